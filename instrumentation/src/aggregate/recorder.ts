// The hot path: turns records into in-place updates of interned cells. No attribute hashing, no I/O, no
// allocation once a label tuple has been seen.
import type { Attributes } from '@opentelemetry/api';
import { LABELS, OUTCOMES, normaliseId, TOKEN_TYPES, type Deployment, type Outcome } from '@provider-health/schema';
import { CounterCell, HistogramCell } from './cells';
import { SeriesTable } from './series-table';
import { DeploymentRegistry, type DeploymentState, type TenantCells } from './deployments';
import { SPECS } from '../descriptors';
import { TenantPolicy, type TenantOptions } from '../labels/tenant-policy';
import type { AttemptRecord } from '../types';

const OUTCOME_INDEX: Record<string, number> = Object.fromEntries(OUTCOMES.map((o, i) => [o, i]));

export interface RecorderOptions {
  /** Hard limit of exported series per instrument, overflow series included (default 2000, as the SDK). */
  seriesLimit?: number;
  tenants?: TenantOptions;
  /** Called once per new deployment (the health window attaches here). */
  onDeployment?: (state: DeploymentState) => void;
}

export class Recorder {
  readonly latency: SeriesTable<HistogramCell>;
  readonly ttft: SeriesTable<HistogramCell>;
  readonly requests: SeriesTable<CounterCell>;
  readonly tokens: SeriesTable<CounterCell>;
  readonly retries: SeriesTable<CounterCell>;
  readonly failovers: SeriesTable<CounterCell>;
  readonly dropped: SeriesTable<CounterCell>;
  readonly deployments: DeploymentRegistry;
  private readonly tenants: TenantPolicy;
  private readonly droppedByLabel = new Map<string, CounterCell>();

  constructor(options: RecorderOptions = {}) {
    const limit = options.seriesLimit ?? 2000;
    const counter = (a: Attributes) => new CounterCell(a);
    this.latency = new SeriesTable(limit, (a) => new HistogramCell(a, SPECS.latency.boundaries!));
    this.ttft = new SeriesTable(limit, (a) => new HistogramCell(a, SPECS.timeToFirstToken.boundaries!));
    this.requests = new SeriesTable(limit, counter);
    this.tokens = new SeriesTable(limit, counter);
    this.retries = new SeriesTable(limit, counter);
    this.failovers = new SeriesTable(limit, counter);
    this.dropped = new SeriesTable(limit, counter);
    this.tenants = new TenantPolicy(options.tenants, () => this.drop(LABELS.tenant));
    this.deployments = new DeploymentRegistry(limit, (s) => options.onDeployment?.(s));
  }

  /** Records one attempt; returns the deployment state (for the window) or undefined when refused. */
  attempt(r: AttemptRecord, nowMs: number): DeploymentState | undefined {
    const d = this.deployment(r);
    const oi = OUTCOME_INDEX[r.outcome];
    if (d === undefined) return undefined;
    if (oi === undefined) return void this.drop(LABELS.outcome);
    const latency = r.latencySeconds >= 0 ? r.latencySeconds : 0;
    (d.latency[oi] ??= this.cell(d, this.latency, () => ({ ...d.base(), [LABELS.outcome]: r.outcome }))).record(
      latency,
    );
    if (r.timeToFirstTokenSeconds !== undefined && r.timeToFirstTokenSeconds >= 0) {
      (d.ttft ??= this.cell(d, this.ttft, () => d.base())).record(r.timeToFirstTokenSeconds);
    }
    const tenant = this.tenants.label(r.tenant);
    const t = this.tenantCells(d, tenant);
    this.requestCell(d, t, oi, r.outcome, validStatus(r.statusCode), tenant).value++;
    if (r.inputTokens !== undefined && r.inputTokens >= 0) {
      (t.input ??= this.tokenCell(d, TOKEN_TYPES[0], tenant)).value += r.inputTokens;
    }
    if (r.outputTokens !== undefined && r.outputTokens >= 0) {
      (t.output ??= this.tokenCell(d, TOKEN_TYPES[1], tenant)).value += r.outputTokens;
    }
    d.window?.record(oi, latency, nowMs);
    return d;
  }

  retry(at: Deployment, reason: Outcome): void {
    const d = this.deployment(at);
    if (d === undefined) return;
    let c = d.retries.get(reason);
    if (!c) d.retries.set(reason, (c = this.cell(d, this.retries, () => ({ ...d.base(), [LABELS.reason]: reason }))));
    c.value++;
  }

  failover(from: Deployment, rawTo: string, reason: Outcome): void {
    const d = this.deployment(from);
    if (d === undefined) return;
    const toProvider = normaliseId(rawTo);
    if (toProvider === undefined) return this.drop(LABELS.toProvider);
    const key = `${toProvider}\u0000${reason}`;
    let c = d.failovers.get(key);
    if (!c) {
      const attributes = () => ({
        [LABELS.provider]: d.deployment.provider,
        [LABELS.toProvider]: toProvider,
        [LABELS.alias]: d.deployment.alias,
        [LABELS.region]: d.deployment.region,
        [LABELS.reason]: reason,
      });
      d.failovers.set(key, (c = this.cell(d, this.failovers, attributes)));
    }
    c.value++;
  }

  deployment(at: Deployment): DeploymentState | undefined {
    const d = this.deployments.get(at.provider, at.alias, at.region);
    if ('label' in d) {
      this.drop(d.label);
      return undefined;
    }
    return d;
  }

  private drop(label: string): void {
    let c = this.droppedByLabel.get(label);
    if (!c) this.droppedByLabel.set(label, (c = this.dropped.create({ [LABELS.droppedLabel]: label })));
    c.value++;
  }

  private cell<C extends { attributes: Attributes }>(
    d: DeploymentState,
    table: SeriesTable<C>,
    attributes: () => Attributes,
  ): C {
    return d.overflow ? table.overflowCell() : table.create(attributes());
  }

  private tenantCells(d: DeploymentState, tenant: string): TenantCells {
    let t = d.tenants.get(tenant);
    if (!t) d.tenants.set(tenant, (t = { requests: [] }));
    return t;
  }

  private requestCell(
    d: DeploymentState,
    t: TenantCells,
    oi: number,
    outcome: Outcome,
    status: number | undefined,
    tenant: string,
  ): CounterCell {
    const byStatus = (t.requests[oi] ??= new Map());
    let c = byStatus.get(status);
    if (!c) {
      const attributes = () => ({
        ...d.base(),
        [LABELS.outcome]: outcome,
        [LABELS.statusCode]: status === undefined ? '' : String(status),
        [LABELS.tenant]: tenant,
      });
      byStatus.set(status, (c = this.cell(d, this.requests, attributes)));
    }
    return c;
  }

  private tokenCell(d: DeploymentState, type: string, tenant: string): CounterCell {
    return this.cell(d, this.tokens, () => ({ ...d.base(), [LABELS.tokenType]: type, [LABELS.tenant]: tenant }));
  }
}

// Status codes key a Map on the hot path: only real HTTP codes, so junk cannot grow it.
const validStatus = (s: number | undefined) =>
  s !== undefined && Number.isInteger(s) && s >= 100 && s < 600 ? s : undefined;
