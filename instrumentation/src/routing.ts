// What the router may do with a deployment, and the provider_routable it exports: the server's decision
// (with probe pacing) AND the in-process window, unless the router pinned its own view.
import { levelsFor, type Deployment } from '@provider-health/schema';
import type { Recorder } from './aggregate/recorder';
import type { GaugePoint } from './aggregate/producer';
import type { DeploymentState } from './aggregate/deployments';
import type { HealthClient } from './health/client';
import { HealthWindow, LOCAL_SLIS } from './window/health-window';
import { parseDurationSeconds } from './window/duration';
import type { WindowOptions } from './options';
import type { RouteVerdict } from './types';

export function makeWindowFactory(w: WindowOptions): (s: DeploymentState) => HealthWindow | undefined {
  const seconds = w.seconds ?? parseDurationSeconds(w.thresholds.windows.fast);
  const actOn = LOCAL_SLIS.filter((sli) => w.thresholds.slis[sli]?.failover);
  return (s) => {
    if (s.overflow) return undefined;
    const levels = levelsFor(w.thresholds, s.deployment.provider, s.deployment.alias);
    // Twice the guard: rate() over a few probes wobbles, and a rate under minVolume would silence the alert.
    const perMin = w.probeRatePerMin ?? levels.minVolume * 60 * 2;
    return new HealthWindow(seconds, levels, actOn, perMin > 0 ? 60_000 / perMin : Infinity);
  };
}

export function verdict(
  recorder: Recorder,
  client: HealthClient | undefined,
  d: Deployment,
  nowMs: number,
): RouteVerdict {
  const s = recorder.deployment(d);
  if (!s) return { allow: true, probe: false, reason: 'invalid deployment id; not judged' };
  const server = client?.word(s.deployment, nowMs);
  if (server && !server.routable) {
    const rate = server.decision?.probeRatePerMin ?? 0;
    const alert = server.decision?.alert ?? 'server decision';
    if (rate > 0 && nowMs - s.lastProbeMs >= 60_000 / rate) {
      s.lastProbeMs = nowMs;
      return { allow: true, probe: true, reason: `probe while disabled by ${alert}` };
    }
    return { allow: false, probe: false, reason: `disabled by ${alert}${server.stale ? ' (server view stale)' : ''}` };
  }
  const local = s.window?.verdict(nowMs);
  if (local?.sick) {
    // Without probes a locally held-back deployment stops producing samples, so Prometheus never sees what
    // the window saw, no fleet-wide decision follows, and the window alone flaps the deployment back in.
    if (nowMs - s.lastProbeMs >= s.window!.probeIntervalMs) {
      s.lastProbeMs = nowMs;
      return { allow: true, probe: true, reason: `probe while held back locally: ${local.reason}` };
    }
    return { allow: false, probe: false, reason: local.reason };
  }
  if (server?.unknown) return { allow: true, probe: false, reason: 'routable (no server decision yet)' };
  return { allow: true, probe: false, reason: server?.stale ? 'routable (server view stale)' : 'routable' };
}

export function routablePoints(
  recorder: Recorder,
  compute: (s: DeploymentState, nowMs: number) => boolean,
): GaugePoint[] {
  const now = Date.now();
  return recorder.deployments.all().map((s) => ({
    attributes: s.base() as Record<string, string>,
    value: s.routerRoutable ?? (compute(s, now) ? 1 : 0),
  }));
}

/** provider_routable of one deployment without a router pin: server routable AND window not sick. */
export function computedRoutable(client: HealthClient | undefined, s: DeploymentState, nowMs: number): boolean {
  const server = client?.word(s.deployment, nowMs);
  if (server && !server.routable) return false;
  return !s.window?.verdict(nowMs).sick;
}
