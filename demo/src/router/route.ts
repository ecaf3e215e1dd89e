// Chooses deployments for a request and walks them: a probe first when one is due, then the routable
// deployments in rotation; a retry on the same deployment, then failover to the next.
import type { Deployment } from '@provider-health/schema';
import { RETRYABLE, type Classified } from './outcome';
import { runAttempt, type AttemptOutcome } from './attempt';
import type { RouterTelemetry } from './telemetry';
import type { ProviderSpec } from './topology';
import { deploymentKey } from './topology';
import type { ChatInput, Upstream } from './upstreams';

export interface RoutePolicy {
  /** Extra attempts on the same deployment before failing over. */
  retriesPerDeployment: number;
  /** Upper bound of attempts per request across deployments. */
  maxAttempts: number;
}
export const DEFAULT_POLICY: RoutePolicy = { retriesPerDeployment: 1, maxAttempts: 4 };

export interface RouteRequest {
  alias: string;
  input: ChatInput;
  stream: boolean;
  tenant: string;
  signal: AbortSignal;
}

export type RouteResult =
  | (Extract<AttemptOutcome, { ok: true }> & { deployment: Deployment; attempts: number })
  | { ok: false; error: Classified; attempts: number };

/** Reported after every attempt, for the demo's timeline. */
export interface AttemptEvent {
  deployment: Deployment;
  outcome: Classified['outcome'] | 'success';
  probe: boolean;
  at: Date;
}

export interface RouterStats {
  /** Attempts per provider, probes included. */
  attempts: Record<string, number>;
  /** Successful requests per provider. */
  served: Record<string, number>;
  /** Probe requests sent per deployment key. */
  probes: Record<string, number>;
  failovers: number;
  failed: number;
}

interface Target {
  deployment: Deployment;
  spec: ProviderSpec;
  upstream: Upstream;
}

export class Routes {
  private readonly byAlias = new Map<string, Target[]>();
  private rotation = 0;
  readonly stats: RouterStats = { attempts: {}, served: {}, probes: {}, failovers: 0, failed: 0 };
  private readonly listeners = new Set<(e: AttemptEvent) => void>();

  constructor(
    providers: ProviderSpec[],
    /** Keyed by deploymentKey. */
    upstreams: Map<string, Upstream>,
    private readonly telemetry: RouterTelemetry,
    private readonly policy: RoutePolicy = DEFAULT_POLICY,
  ) {
    for (const spec of providers) {
      for (const alias of Object.keys(spec.models)) {
        const list = this.byAlias.get(alias) ?? [];
        list.push({
          deployment: { provider: spec.id, region: spec.region, alias },
          spec,
          upstream: upstreams.get(deploymentKey({ provider: spec.id, region: spec.region, alias }))!,
        });
        this.byAlias.set(alias, list);
      }
    }
  }

  onAttempt(listener: (e: AttemptEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  aliases(): string[] {
    return [...this.byAlias.keys()];
  }

  async route(req: RouteRequest): Promise<RouteResult> {
    const targets = this.byAlias.get(req.alias);
    if (!targets) {
      return {
        ok: false,
        attempts: 0,
        error: {
          outcome: 'client_error',
          statusCode: 404,
          message: `unknown model '${req.alias}'; known: ${this.aliases().join(', ')}`,
        },
      };
    }
    return this.telemetry.withRequestSpan({ model: req.alias, tenant: req.tenant, operation: 'chat' }, () =>
      this.walk(this.order(targets), req),
    );
  }

  /** Probe (if due) first, then routable targets rotated for spread; all of them if none is routable. */
  private order(targets: Target[]): Array<Target & { probe: boolean }> {
    const verdicts = targets.map((t) => ({ t, v: this.telemetry.mayRoute(t.deployment) }));
    // The instrumentation paces probes, for server decisions and for its own window alike.
    const probe = verdicts.find((x) => x.v.probe);
    const allowed = verdicts.filter((x) => x.v.allow && !x.v.probe).map((x) => x.t);
    // Failing open: sending to a sick provider beats refusing every caller.
    const pool = allowed.length > 0 ? allowed : targets;
    const start = this.rotation++ % pool.length;
    const rotated = [...pool.slice(start), ...pool.slice(0, start)];
    const ordered = rotated.map((t) => ({ ...t, probe: false }));
    return probe
      ? [{ ...probe.t, probe: true }, ...ordered.filter((t) => t.deployment !== probe.t.deployment)]
      : ordered;
  }

  private async walk(order: Array<Target & { probe: boolean }>, req: RouteRequest): Promise<RouteResult> {
    let attempts = 0;
    let last: Classified | undefined;
    for (let i = 0; i < order.length && attempts < this.policy.maxAttempts; i++) {
      const target = order[i];
      if (target.probe)
        this.stats.probes[deploymentKey(target.deployment)] =
          (this.stats.probes[deploymentKey(target.deployment)] ?? 0) + 1;
      const tries = target.probe ? 1 : 1 + this.policy.retriesPerDeployment;
      for (let t = 0; t < tries && attempts < this.policy.maxAttempts; t++) {
        if (t > 0) this.telemetry.retry(target.deployment, last!.outcome);
        const r = await runAttempt({
          telemetry: this.telemetry,
          upstream: target.upstream,
          deployment: target.deployment,
          model: target.spec.models[req.alias],
          input: req.input,
          stream: req.stream,
          tenant: req.tenant,
          resendCount: attempts,
          signal: req.signal,
        });
        attempts++;
        this.report(target, r.ok ? 'success' : r.error.outcome);
        if (r.ok) {
          this.stats.served[target.deployment.provider] = (this.stats.served[target.deployment.provider] ?? 0) + 1;
          return { ...r, deployment: target.deployment, attempts };
        }
        last = r.error;
        if (!RETRYABLE.has(r.error.outcome)) return this.fail(r.error, attempts);
      }
      const next = order[i + 1];
      if (next && attempts < this.policy.maxAttempts) {
        this.telemetry.failover(target.deployment, next.deployment.provider, last!.outcome);
        this.stats.failovers++;
      }
    }
    return this.fail(last!, attempts);
  }

  private report(target: Target & { probe: boolean }, outcome: AttemptEvent['outcome']): void {
    const p = target.deployment.provider;
    this.stats.attempts[p] = (this.stats.attempts[p] ?? 0) + 1;
    if (this.listeners.size === 0) return;
    const e = { deployment: target.deployment, outcome, probe: target.probe, at: new Date() };
    for (const l of this.listeners) l(e);
  }

  private fail(error: Classified, attempts: number): RouteResult {
    this.stats.failed++;
    return { ok: false, error, attempts };
  }
}
