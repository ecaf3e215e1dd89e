// Names, sizes and timings shared by the generated test groups, all derived from the resolved config.
import { levelsFor, type ResolvedThresholds } from '@provider-health/schema';
import { durationText, seconds } from './duration';

export interface Context {
  t: ResolvedThresholds;
  scrape: number;
  /** Steps of a phase long enough for both windows to settle and `for` / `keepFiringFor` to pass. */
  steady: number;
  stepsPerEval: number;
  /** Attempts per step of healthy traffic at one deployment. */
  n: number;
  /** A provider from the config (with an alias from it when it has one), one absent from it, and spares. */
  p: string;
  a1: string;
  a2: string;
  u: string;
  idle: string;
  lowVolume: string;
  outage: string;
  r1: string;
  r2: string;
}

function unique(base: string, taken: Set<string>): string {
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  taken.add(name);
  return name;
}

function maxMinVolume(t: ResolvedThresholds): number {
  const all = [t.defaults.minVolume];
  for (const p of Object.values(t.providers)) {
    all.push(p.levels.minVolume, ...Object.values(p.aliases).map((a) => a.levels.minVolume));
  }
  return Math.max(...all);
}

export function context(t: ResolvedThresholds): Context {
  const scrape = seconds(t.prometheus.scrapeInterval);
  const stepsPerEval = Math.max(1, Math.round(seconds(t.prometheus.evaluationInterval) / scrape));
  const holds = Object.values(t.slis).map((s) =>
    Math.max(seconds(s.for), s.keepFiringFor ? seconds(s.keepFiringFor) : 0),
  );
  const settle = seconds(t.windows.slow) + Math.max(...holds) + seconds(t.windows.fast);
  const steady = Math.ceil(settle / scrape / stepsPerEval) * stepsPerEval;
  const providers = new Set(Object.keys(t.providers));
  const p = Object.keys(t.providers).sort()[0] ?? unique('provider-a', providers);
  const aliases = new Set(Object.keys(t.providers[p]?.aliases ?? {}));
  const a1 = [...aliases].sort()[0] ?? unique('alias-a', aliases);
  const n = Math.max(10000, Math.ceil((maxMinVolume(t) * scrape * 4) / 10000) * 10000);
  return {
    t,
    scrape,
    steady,
    stepsPerEval,
    n,
    p,
    a1,
    a2: unique('alias-b', aliases),
    u: unique('unlisted', providers),
    idle: unique('idle-by-design', providers),
    lowVolume: unique('low-volume', providers),
    outage: unique('hard-outage', providers),
    r1: 'region-1',
    r2: 'region-2',
  };
}

export const at = (ctx: Context, step: number) => durationText(step * ctx.scrape);

/** The levels a region aggregate of this provider is judged by. */
export const providerLevels = (ctx: Context, provider: string) => levelsFor(ctx.t, provider);
