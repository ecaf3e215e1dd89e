// Assembles the health API answer (schema HealthResponse) from the Prometheus snapshot, Alertmanager's
// active alerts and the failover state. Pure: every input is passed in.
import {
  LABELS,
  type DeploymentHealth,
  type Deployment,
  type HealthHistory,
  type HealthResponse,
  type Incident,
  type LevelledSliId,
  type ProviderHealth,
  type SliReading,
  type SourceState,
} from '@provider-health/schema';
import { toApiDecision } from '../failover/present';
import { disablingDecisions, isRoutable, pinFor } from '../failover/routing';
import { covers, deploymentKey } from '../failover/scope';
import type { AmAlert, DecisionRecord, Override } from '../failover/types';
import { SourceError } from '../sources/fetch-json';
import type { PromSnapshot } from '../sources/prom-snapshot';
import { incidentCovers, toIncident } from './incidents';
import { deploymentStatus, providerStatus } from './status';

export interface HealthInputs {
  prom: { value?: PromSnapshot; error?: Error };
  am: { value?: AmAlert[]; error?: Error };
  /** The last topology read, for when Prometheus cannot be read now. */
  lastTopology: Deployment[];
  decisions: DecisionRecord[];
  overrides: Override[];
  history?: Map<string, HealthHistory>;
  provider?: string;
  now: number;
}

export function buildHealth(i: HealthInputs): HealthResponse {
  const promState = sourceState(i.prom.error);
  const amState = sourceState(i.am.error);
  const reasons = [
    i.prom.error && `Prometheus: ${i.prom.error.message}`,
    i.am.error && `Alertmanager: ${i.am.error.message}`,
  ];
  const reason = reasons.filter(Boolean).join('; ') || undefined;
  const incidents = groupIncidents(i.am.value ?? []);
  const topology = withDecisionScopes(i.prom.value?.topology ?? i.lastTopology, i.decisions);
  const providers = [...new Set(topology.map((d) => d.provider))]
    .filter((p) => !i.provider || p === i.provider)
    .sort()
    .map((p) =>
      buildProvider(
        p,
        topology.filter((d) => d.provider === p),
        incidents.get(p) ?? [],
        i,
        reason,
      ),
    );
  return {
    generatedAt: new Date(i.now).toISOString(),
    source: { prometheus: promState, alertmanager: amState, ...(reason ? { reason } : {}) },
    providers,
  };
}

function buildProvider(
  provider: string,
  deployments: Deployment[],
  incidents: Incident[],
  i: HealthInputs,
  unreadable?: string,
): ProviderHealth {
  const rows = deployments
    .sort((a, b) => a.region.localeCompare(b.region) || a.alias.localeCompare(b.alias))
    .map((d) => buildDeployment(d, incidents, i, unreadable));
  const status = providerStatus(rows.map((r) => r.status));
  const out: ProviderHealth = { provider, status, deployments: rows, incidents };
  if (status === 'unknown' && unreadable) out.reason = unreadable;
  return out;
}

function buildDeployment(d: Deployment, incidents: Incident[], i: HealthInputs, unreadable?: string): DeploymentHealth {
  const snap = i.prom.value;
  const values = snap?.slis.get(deploymentKey(d)) ?? {};
  const routable = isRoutable(d, i.decisions, i.overrides);
  const mine = incidents.filter((x) => incidentCovers(x, d.provider, d));
  const minVolume = snap?.thresholds.minVolume(d.provider, d.alias);
  const { status, reason } = deploymentStatus({
    unreadable,
    routable,
    incidents: mine,
    attemptsPerSec: values.attemptsPerSec,
    minVolume,
  });
  const reading = (
    sli: LevelledSliId,
    key: 'errorRatio' | 'latencyP95' | 'rateLimited' | 'failoverRate',
  ): SliReading => {
    const level = (l: string) => snap?.thresholds.level(sli, l, d.provider, d.alias);
    const r: SliReading = { value: values[key] ?? null, critical: level('critical') ?? NaN };
    const warning = level('warning');
    const clear = level('clear');
    if (warning !== undefined) r.warning = warning;
    if (clear !== undefined) r.clear = clear;
    return r;
  };
  const out: DeploymentHealth = {
    region: d.region,
    alias: d.alias,
    status,
    routable,
    slis: {
      errorRatio: reading('errorRatio', 'errorRatio'),
      latencyP95: reading('latencyP95', 'latencyP95'),
      rateLimited: reading('rateLimited', 'rateLimited'),
      failoverRate: reading('failoverRate', 'failoverRate'),
      successPerSec: values.successPerSec ?? null,
      attemptsPerSec: values.attemptsPerSec ?? null,
    },
  };
  if (reason) out.reason = reason;
  const decision = decisionFor(d, i.decisions, i.overrides);
  if (decision) out.decision = decision;
  const history = i.history?.get(deploymentKey(d));
  if (history) out.history = history;
  return out;
}

/** The decision shown for a deployment: one that disables it, else a refused or dry-run one covering it. */
function decisionFor(d: Deployment, decisions: DecisionRecord[], overrides: Override[]) {
  const pin = pinFor(d, overrides);
  const chosen =
    disablingDecisions(d, decisions, false)[0] ?? decisions.find((x) => x.state !== 'ended' && covers(x.scope, d));
  if (chosen) return toApiDecision(chosen, pin);
  if (!pin) return undefined;
  const o = overrides.find((x) => x.pin === pin && covers(x.scope, d))!;
  const at = new Date(o.at).toISOString();
  return {
    id: `pin:${o.scopeKey}`,
    state: pin === 'disabled' ? 'disabled' : 'ended',
    since: at,
    scope: o.scope,
    alert: '',
    probeRatePerMin: 0,
    minDisabledUntil: at,
    pinned: pin,
  } as const;
}

/** Decision scopes naming deployments Prometheus does not (yet) know still show up. */
function withDecisionScopes(topology: Deployment[], decisions: DecisionRecord[]): Deployment[] {
  const out = [...topology];
  for (const x of decisions) {
    if (x.state === 'ended' || out.some((d) => covers(x.scope, d))) continue;
    out.push({ provider: x.scope.provider, region: x.scope.region ?? '', alias: x.scope.alias ?? '' });
  }
  return out;
}

function groupIncidents(alerts: AmAlert[]): Map<string, Incident[]> {
  const out = new Map<string, Incident[]>();
  for (const a of alerts) {
    const p = a.labels[LABELS.provider];
    if (!p) continue;
    out.set(p, [...(out.get(p) ?? []), toIncident(a)]);
  }
  for (const list of out.values())
    list.sort((a, b) => a.since.localeCompare(b.since) || a.alert.localeCompare(b.alert));
  return out;
}

const sourceState = (e?: Error): SourceState => (!e ? 'ok' : e instanceof SourceError ? e.state : 'error');
