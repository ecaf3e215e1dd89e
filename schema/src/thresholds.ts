// The thresholds configuration (DESIGN §4): what rules/thresholds.yaml holds, and the resolved form the
// generator, the instrumentation's health window and the server all judge by.
import type { AliasId, ProviderId } from './telemetry';

/** The SLIs, in the order they appear in files and UIs. */
export const SLIS = ['errorRatio', 'latencyP95', 'rateLimited', 'failoverRate', 'traffic'] as const;
export type SliId = (typeof SLIS)[number];
/** SLIs judged against warning/critical/clear levels; traffic has a floor instead. */
export const LEVELLED_SLIS = [
  'errorRatio',
  'latencyP95',
  'rateLimited',
  'failoverRate',
] as const satisfies readonly SliId[];
export type LevelledSliId = (typeof LEVELLED_SLIS)[number];

/** Keys that may be overridden per provider and per alias. */
export const OVERRIDABLE_LEVELS = ['warning', 'critical', 'clear', 'floor', 'minVolume'] as const;
/** Keys that are properties of a shared rule and so only exist in `defaults`. */
export const RULE_ONLY_KEYS = ['for', 'keepFiringFor', 'failover', 'windows'] as const;

/** Levels of one SLI; ratios in 0..1, latency in seconds. */
export interface Levels {
  warning?: number;
  critical: number;
  clear?: number;
}
export interface TrafficLevels {
  /** Share (0..1) of the previous hour's success rate below which traffic counts as stopped. */
  floor: number;
}
/** Every level of one scope, fully resolved. */
export interface ResolvedLevels {
  /** Attempts per second (all outcomes but canceled) below which a window is not judged. */
  minVolume: number;
  errorRatio: Levels;
  latencyP95: Levels;
  rateLimited: Levels;
  failoverRate: Levels;
  traffic: TrafficLevels;
}
/** Properties of an SLI's shared rule. Durations in Prometheus syntax. */
export interface SliRuleSettings {
  for: string;
  keepFiringFor?: string;
  failover: boolean;
}
export interface Windows {
  fast: string;
  slow: string;
}
export interface AlertmanagerSettings {
  receivers: { email: string; webhook: string; failover: string; watchdog: string };
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
}
/** Intervals of the example prometheus.yml and of the generated rule group. */
export interface PrometheusSettings {
  scrapeInterval: string;
  evaluationInterval: string;
}
export interface LinkSettings {
  /** Base of runbook links; the alert name is appended as an anchor. */
  runbookUrl: string;
  /** Grafana dashboard link; `provider` is added as a query variable. */
  dashboardUrl: string;
}

export interface ResolvedAlias {
  levels: ResolvedLevels;
}
export interface ResolvedProvider {
  levels: ResolvedLevels;
  aliases: Record<AliasId, ResolvedAlias>;
}

/** thresholds.yaml after validation and merging: defaults ← provider ← provider.alias. */
export interface ResolvedThresholds {
  windows: Windows;
  slis: Record<SliId, SliRuleSettings>;
  defaults: ResolvedLevels;
  providers: Record<ProviderId, ResolvedProvider>;
  alertmanager: AlertmanagerSettings;
  prometheus: PrometheusSettings;
  links: LinkSettings;
}

/** The levels that judge a deployment or an aggregate: the most specific level present. */
export function levelsFor(t: ResolvedThresholds, provider: ProviderId, alias?: AliasId): ResolvedLevels {
  const p = t.providers[provider];
  if (!p) return t.defaults;
  if (alias !== undefined && p.aliases[alias]) return p.aliases[alias].levels;
  return p.levels;
}
