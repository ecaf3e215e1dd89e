// Semantics and merging: ids, units, level ordering, defaults <- provider <- provider.alias.
// Only meaning is checked here (structure is the JSON Schema's job), but it also runs on a tree that fails the
// schema, so ids and levels are reported in the same pass: every parser tolerates any value.
import {
  LEVELLED_SLIS,
  SLIS,
  normaliseId,
  type LevelledSliId,
  type ResolvedLevels,
  type ResolvedProvider,
  type ResolvedThresholds,
  type SliId,
  type SliRuleSettings,
} from '@provider-health/schema';
import { errorAt, type ConfigError, type Pos } from './errors';
import { nodeAt, valuePosAt, type TMap, type TNode } from './tree';
import { formatDuration, parseDuration, parseLatency, parseRatio, type Duration, type Parsed } from './units';

const DEFAULT_INTERVAL = '15s';
const LEVEL_KEYS = ['clear', 'warning', 'critical'] as const;
type LevelKey = (typeof LEVEL_KEYS)[number];

/** A resolved level and where it was set, so an ordering error points at the override that broke it. */
interface Origin {
  value: number;
  pos: Pos;
  path: string;
  scope: string;
}
/** Flat map: "minVolume", "errorRatio.warning", "traffic.floor", ... */
type LevelOrigins = Map<string, Origin>;

class Resolver {
  readonly errors: ConfigError[] = [];
  constructor(readonly tree: TNode) {}

  node(path: string[]): TNode | undefined {
    return nodeAt(this.tree, path);
  }
  value(path: string[]): unknown {
    const n = this.node(path);
    return n?.kind === 'scalar' ? n.value : undefined;
  }
  fail(path: string[], message: string, hint?: string): void {
    this.errors.push(errorAt(valuePosAt(this.tree, path), `${path.join('.')}: ${message}`, hint));
  }
  /** Runs a parser on a present value, reporting its error; undefined when absent or invalid. */
  parse<T>(path: string[], parser: (v: unknown) => Parsed<T>): T | undefined {
    const n = this.node(path);
    if (!n) return undefined;
    const r = parser(n.kind === 'scalar' ? n.value : undefined);
    if (r.ok) return r.value;
    this.fail(path, r.message, r.hint);
    return undefined;
  }
  /** A duration (or the fallback when absent); zero when invalid, with the error recorded. */
  duration(path: string[], opts: { positive?: boolean; fallback?: string } = {}): Duration {
    const fallback = opts.fallback === undefined ? undefined : parseDuration(opts.fallback);
    const d = this.node(path) ? this.parse(path, parseDuration) : fallback?.ok ? fallback.value : undefined;
    if (!d) return { ms: 0, text: '0s' };
    if (opts.positive && d.ms === 0) this.fail(path, 'must be greater than 0s');
    return d;
  }
}

export function resolve(tree: TNode): { resolved?: ResolvedThresholds; errors: ConfigError[] } {
  const r = new Resolver(tree);
  const prometheus = {
    scrapeInterval: r.duration(['prometheus', 'scrapeInterval'], { positive: true, fallback: DEFAULT_INTERVAL }),
    evaluationInterval: r.duration(['prometheus', 'evaluationInterval'], {
      positive: true,
      fallback: DEFAULT_INTERVAL,
    }),
  };
  const windows = resolveWindows(r, prometheus.scrapeInterval.ms);
  const slis = resolveSliRules(r);
  const defaults = readLevels(r, ['defaults'], 'defaults', new Map());
  checkOrdering(r, defaults, 'defaults');
  const providers = resolveProviders(r, defaults);
  const alertmanager = resolveAlertmanager(r);
  const links = {
    runbookUrl: String(r.value(['links', 'runbookUrl'])),
    dashboardUrl: String(r.value(['links', 'dashboardUrl'])),
  };
  if (r.errors.length > 0) return { errors: r.errors };
  return {
    errors: [],
    resolved: {
      windows,
      slis,
      defaults: toLevels(defaults),
      providers,
      alertmanager,
      prometheus: {
        scrapeInterval: prometheus.scrapeInterval.text,
        evaluationInterval: prometheus.evaluationInterval.text,
      },
      links,
    },
  };
}

function resolveWindows(r: Resolver, scrapeMs: number): ResolvedThresholds['windows'] {
  const fast = r.duration(['defaults', 'windows', 'fast'], { positive: true });
  const slow = r.duration(['defaults', 'windows', 'slow'], { positive: true });
  if (fast.ms > 0 && slow.ms > 0 && slow.ms <= fast.ms) {
    r.fail(['defaults', 'windows', 'slow'], `must be longer than the fast window (${fast.text})`);
  }
  if (fast.ms > 0 && scrapeMs > 0 && fast.ms < 2 * scrapeMs) {
    r.fail(
      ['defaults', 'windows', 'fast'],
      `${fast.text} holds fewer than two scrapes at the ${formatDuration(scrapeMs)} scrape interval, so rate() has nothing to compute`,
      `use at least ${formatDuration(4 * scrapeMs)} (four scrapes)`,
    );
  }
  return { fast: fast.text, slow: slow.text };
}

function resolveSliRules(r: Resolver): Record<SliId, SliRuleSettings> {
  const out = {} as Record<SliId, SliRuleSettings>;
  for (const sli of SLIS) {
    const base = ['defaults', sli];
    const settings: SliRuleSettings = {
      for: r.duration([...base, 'for']).text,
      failover: r.value([...base, 'failover']) === true,
    };
    if (r.node([...base, 'keepFiringFor'])) settings.keepFiringFor = r.duration([...base, 'keepFiringFor']).text;
    out[sli] = settings;
  }
  return out;
}

/** Reads the levels set at one scope over the inherited ones. */
/** The level keys of a scope, their paths below it and parsers; traffic has only a floor. */
const LEVEL_SPECS: Array<{ key: string; rel: string[]; parser: (v: unknown) => Parsed<number> }> = [
  { key: 'minVolume', rel: ['minVolume'], parser: parseVolume },
  ...LEVELLED_SLIS.flatMap((sli) =>
    LEVEL_KEYS.map((level) => ({
      key: `${sli}.${level}`,
      rel: [sli, level],
      parser: sli === 'latencyP95' ? parseLatency : parseRatio,
    })),
  ),
  { key: 'traffic.floor', rel: ['traffic', 'floor'], parser: parseRatio },
];
const MUST_BE_POSITIVE = new Set(
  LEVEL_SPECS.map((s) => s.key).filter((k) => !k.endsWith('.clear') && k !== 'minVolume'),
);

function parseVolume(v: unknown): Parsed<number> {
  return typeof v === 'number' ? { ok: true, value: v } : { ok: false, message: 'expected attempts per second' };
}

/** Reads the levels set at one scope over the inherited ones (walking from the scope's node: this runs per alias). */
function readLevels(r: Resolver, base: string[], scope: string, inherited: LevelOrigins): LevelOrigins {
  const scopeNode = r.node(base);
  if (scopeNode?.kind !== 'map') return inherited;
  const out = new Map(inherited);
  for (const spec of LEVEL_SPECS) {
    const node = childAt(scopeNode, spec.rel);
    if (!node) continue;
    const path = [...base, ...spec.rel];
    const value = r.parse(path, spec.parser);
    if (value === undefined) continue;
    out.set(spec.key, { value, pos: node.pos, path: path.join('.'), scope });
    if (value === 0 && MUST_BE_POSITIVE.has(spec.key)) r.fail(path, 'must be greater than 0');
  }
  return out;
}

function childAt(node: TNode, rel: string[]): TNode | undefined {
  let n: TNode | undefined = node;
  for (const key of rel) n = n?.kind === 'map' ? n.entries.get(key)?.value : undefined;
  return n;
}

/** clear < warning < critical wherever set; reported once, at the scope that set one of the pair. */
function checkOrdering(r: Resolver, levels: LevelOrigins, scope: string): void {
  for (const sli of LEVELLED_SLIS) {
    const present: Array<{ k: LevelKey; o: Origin }> = [];
    let setHere = false;
    for (const k of LEVEL_KEYS) {
      const o = levels.get(`${sli}.${k}`);
      if (!o) continue;
      present.push({ k, o });
      setHere ||= o.scope === scope;
    }
    // Pairs inherited whole were checked at the scope that set them.
    if (!setHere) continue;
    for (let i = 0; i < present.length; i++) {
      for (let j = i + 1; j < present.length; j++) {
        const [lo, hi] = [present[i], present[j]];
        if (lo.o.value < hi.o.value || (lo.o.scope !== scope && hi.o.scope !== scope)) continue;
        const blame = hi.o.scope === scope && lo.o.scope !== scope ? hi : lo;
        const other = blame === lo ? hi : lo;
        const relation = blame === lo ? 'below' : 'above';
        const otherAt = other.o.scope === scope ? '' : `, from ${other.o.path}`;
        r.errors.push(
          errorAt(
            blame.o.pos,
            `${blame.o.path} must be ${relation} ${other.k} (${formatLevel(sli, other.o.value)}${otherAt})`,
            'levels must satisfy clear < warning < critical',
          ),
        );
      }
    }
  }
}

function formatLevel(sli: LevelledSliId, v: number): string {
  return sli === 'latencyP95' ? `${v}s` : `${Number((v * 100).toPrecision(12))}%`;
}

function resolveProviders(r: Resolver, defaults: LevelOrigins): Record<string, ResolvedProvider> {
  const out: Record<string, ResolvedProvider> = {};
  const providersNode = r.node(['providers']);
  if (providersNode?.kind !== 'map') return out;
  for (const [raw, entry] of normalisedIds(r, providersNode, 'provider')) {
    const base = ['providers', raw];
    const levels = readLevels(r, base, base.join('.'), defaults);
    checkOrdering(r, levels, base.join('.'));
    const aliases: ResolvedProvider['aliases'] = {};
    const aliasNode = r.node([...base, 'aliases']);
    if (aliasNode?.kind === 'map') {
      for (const [rawAlias, alias] of normalisedIds(r, aliasNode, 'alias')) {
        const aliasBase = [...base, 'aliases', rawAlias];
        const aliasLevels = readLevels(r, aliasBase, aliasBase.join('.'), levels);
        checkOrdering(r, aliasLevels, aliasBase.join('.'));
        aliases[alias] = { levels: toLevels(aliasLevels) };
      }
    }
    out[entry] = { levels: toLevels(levels), aliases };
  }
  return out;
}

/** Raw key -> normalised id, in file order; unsafe ids and ids that collide after normalising are errors. */
function normalisedIds(r: Resolver, map: TMap, what: 'provider' | 'alias'): Array<[string, string]> {
  const seen = new Map<string, { raw: string; pos: Pos }>();
  const out: Array<[string, string]> = [];
  for (const [raw, entry] of map.entries) {
    const id = normaliseId(raw);
    if (id === undefined) {
      r.errors.push(
        errorAt(
          entry.keyPos,
          `unsafe ${what} id "${raw}"`,
          'ids are lower-case letters, digits, "_", "." and "-", start with a letter or digit, at most 64 characters',
        ),
      );
      continue;
    }
    const first = seen.get(id);
    if (first) {
      r.errors.push(
        errorAt(
          entry.keyPos,
          `${what} id "${raw}" collides with "${first.raw}" (${where(first.pos, entry.keyPos)}) after lower-casing: both are "${id}"`,
          'merge the two entries',
        ),
      );
      continue;
    }
    seen.set(id, { raw, pos: entry.keyPos });
    out.push([raw, id]);
  }
  return out;
}

/** "line 3", or "other.yaml:3" when the two positions are in different files (an overlay). */
function where(pos: Pos, from: Pos): string {
  return pos.file === from.file ? `line ${pos.line}` : `${pos.file}:${pos.line}`;
}

function toLevels(o: LevelOrigins): ResolvedLevels {
  const v = (k: string) => o.get(k)?.value;
  const levelled = (sli: LevelledSliId) => {
    const l: ResolvedLevels['errorRatio'] = { critical: v(`${sli}.critical`) ?? 0 };
    const warning = v(`${sli}.warning`);
    const clear = v(`${sli}.clear`);
    if (warning !== undefined) l.warning = warning;
    if (clear !== undefined) l.clear = clear;
    return l;
  };
  return {
    minVolume: v('minVolume') ?? 0,
    errorRatio: levelled('errorRatio'),
    latencyP95: levelled('latencyP95'),
    rateLimited: levelled('rateLimited'),
    failoverRate: levelled('failoverRate'),
    traffic: { floor: v('traffic.floor') ?? 0 },
  };
}

function resolveAlertmanager(r: Resolver): ResolvedThresholds['alertmanager'] {
  const names = ['email', 'webhook', 'failover', 'watchdog'] as const;
  const receivers = {} as ResolvedThresholds['alertmanager']['receivers'];
  const byName = new Map<string, string>();
  for (const name of names) {
    const raw = r.value(['alertmanager', 'receivers', name]);
    if (typeof raw !== 'string') continue; // the schema reports it
    const value = raw;
    receivers[name] = value;
    const other = byName.get(value);
    if (other && (name === 'watchdog' || name === 'failover' || other === 'failover')) {
      r.fail(
        ['alertmanager', 'receivers', name],
        `"${value}" is already the ${other} receiver`,
        name === 'watchdog' ? 'the Watchdog needs its own receiver' : 'the failover webhook needs its own receiver',
      );
    }
    byName.set(value, name);
  }
  const timing = (key: string) => r.duration(['alertmanager', key], { positive: true }).text;
  return {
    receivers,
    groupWait: timing('groupWait'),
    groupInterval: timing('groupInterval'),
    repeatInterval: timing('repeatInterval'),
  };
}
