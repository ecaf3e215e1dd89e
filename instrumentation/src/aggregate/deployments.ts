// Interns deployments: raw (provider, alias, region) strings map, through nested Maps, to one state object
// holding direct references to that deployment's cells, so the hot path does a few Map lookups and no
// attribute hashing.
import { LABELS, normaliseId, type Deployment } from '@provider-health/schema';
import type { Attributes } from '@opentelemetry/api';
import type { CounterCell, HistogramCell } from './cells';
import type { HealthWindow } from '../window/health-window';

export interface TenantCells {
  /** Per outcome index: status code → requests cell. */
  readonly requests: Array<Map<number | undefined, CounterCell> | undefined>;
  input?: CounterCell;
  output?: CounterCell;
}

export class DeploymentState {
  readonly latency: Array<HistogramCell | undefined> = [];
  ttft: HistogramCell | undefined;
  readonly tenants = new Map<string, TenantCells>();
  readonly retries = new Map<string, CounterCell>();
  readonly failovers = new Map<string, CounterCell>();
  window: HealthWindow | undefined;
  /** Set by the router through setRoutable(); wins over the computed view. */
  routerRoutable: 0 | 1 | undefined;
  /** Time of the last probe let through while disabled. */
  lastProbeMs = 0;

  constructor(
    readonly deployment: Deployment,
    /** True for the shared state of deployments beyond the limit: its cells are overflow cells. */
    readonly overflow: boolean,
  ) {}

  base(): Attributes {
    const d = this.deployment;
    return { [LABELS.provider]: d.provider, [LABELS.alias]: d.alias, [LABELS.region]: d.region };
  }
}

export type InvalidId = { label: 'provider' | 'alias' | 'region'; value: string };

export class DeploymentRegistry {
  private readonly byRaw = new Map<string, Map<string, Map<string, DeploymentState>>>();
  private readonly byKey = new Map<string, DeploymentState>();
  private overflowState: DeploymentState | undefined;

  constructor(
    private readonly limit: number,
    private readonly onCreate: (state: DeploymentState) => void,
  ) {}

  /** The state for raw ids, or an InvalidId when one of them is not a valid id after normalising. */
  get(provider: string, alias: string, region: string): DeploymentState | InvalidId {
    const hit = this.byRaw.get(provider)?.get(alias)?.get(region);
    return hit !== undefined ? hit : this.intern(provider, alias, region);
  }

  all(): DeploymentState[] {
    return [...this.byKey.values()];
  }

  private intern(provider: string, alias: string, region: string): DeploymentState | InvalidId {
    const p = normaliseId(provider);
    if (p === undefined) return { label: 'provider', value: provider };
    const a = normaliseId(alias);
    if (a === undefined) return { label: 'alias', value: alias };
    // A provider without regions (OpenAI's public API) has an empty region, as in the server's topology.
    const r = region.trim() === '' ? '' : normaliseId(region);
    if (r === undefined) return { label: 'region', value: region };
    const key = `${p}\u0000${a}\u0000${r}`;
    let state = this.byKey.get(key);
    if (!state) {
      state = this.byKey.size < this.limit ? this.create({ provider: p, alias: a, region: r }, key) : this.overflow();
    }
    this.remember(provider, alias, region, state);
    return state;
  }

  private create(deployment: Deployment, key: string): DeploymentState {
    const state = new DeploymentState(deployment, false);
    this.byKey.set(key, state);
    this.onCreate(state);
    return state;
  }

  private overflow(): DeploymentState {
    this.overflowState ??= new DeploymentState({ provider: '', alias: '', region: '' }, true);
    return this.overflowState;
  }

  private remember(provider: string, alias: string, region: string, state: DeploymentState): void {
    // Raw spellings of overflowed deployments are not remembered, so garbage ids cannot grow the maps.
    if (state.overflow) return;
    let byAlias = this.byRaw.get(provider);
    if (!byAlias) this.byRaw.set(provider, (byAlias = new Map()));
    let byRegion = byAlias.get(alias);
    if (!byRegion) byAlias.set(alias, (byRegion = new Map()));
    byRegion.set(region, state);
  }
}
