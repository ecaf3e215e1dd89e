// Valid input: the resolved form, merge precedence, id normalisation, overlays and the shipped files.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import type { ResolvedLevels } from '@provider-health/schema';
import { loadThresholds } from '../../src/config';
import { BASE, BASE_FILE, load, withLine } from '../fixtures';

const RULES = path.resolve(__dirname, '..', '..');

function resolved(text: string | Buffer) {
  const r = load(text);
  if (!r.ok) throw new Error(r.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
  return r.resolved;
}

const DEFAULT_LEVELS: ResolvedLevels = {
  minVolume: 0.2,
  errorRatio: { warning: 0.05, critical: 0.2, clear: 0.02 },
  latencyP95: { warning: 20, critical: 60, clear: 15 },
  rateLimited: { warning: 0.1, critical: 0.5, clear: 0.05 },
  failoverRate: { warning: 0.05, critical: 0.2, clear: 0.02 },
  traffic: { floor: 0.1 },
};

describe('a valid file', () => {
  it('resolves every key', () => {
    const azure = { ...DEFAULT_LEVELS, errorRatio: { warning: 0.05, critical: 0.1, clear: 0.02 } };
    expect(resolved(BASE)).toEqual({
      windows: { fast: '1m', slow: '5m' },
      slis: {
        errorRatio: { for: '30s', keepFiringFor: '1m', failover: true },
        latencyP95: { for: '1m', failover: true },
        rateLimited: { for: '1m', failover: true },
        failoverRate: { for: '2m', failover: false },
        traffic: { for: '2m', failover: false },
      },
      defaults: DEFAULT_LEVELS,
      providers: {
        azure: {
          levels: azure,
          aliases: { 'gpt-4o': { levels: { ...azure, latencyP95: { warning: 30, critical: 60, clear: 15 } } } },
        },
      },
      alertmanager: {
        receivers: {
          email: 'budget-email',
          webhook: 'budget-webhook',
          failover: 'provider-failover',
          watchdog: 'deadman',
        },
        groupWait: '10s',
        groupInterval: '1m',
        repeatInterval: '4h',
      },
      prometheus: { scrapeInterval: '15s', evaluationInterval: '15s' },
      links: {
        runbookUrl: 'https://example.com/runbook.md',
        dashboardUrl: 'https://grafana.example.com/d/provider-health',
      },
    });
  });

  it('reads the same from a path, a string and a Buffer', () => {
    const fromPath = loadThresholds({ file: BASE_FILE });
    expect(fromPath).toEqual({ ok: true, resolved: resolved(BASE) });
    expect(resolved(Buffer.from(BASE))).toEqual(resolved(BASE));
  });

  it('round-trips: the resolved form written back as a file resolves to itself', () => {
    const first = resolved(BASE);
    const levels = (l: ResolvedLevels) => ({
      minVolume: l.minVolume,
      errorRatio: l.errorRatio,
      latencyP95: { ...l.latencyP95, ...secondsAsDurations(l.latencyP95) },
      rateLimited: l.rateLimited,
      failoverRate: l.failoverRate,
      traffic: l.traffic,
    });
    const defaults = levels(first.defaults);
    const file = {
      defaults: {
        windows: first.windows,
        minVolume: defaults.minVolume,
        ...Object.fromEntries(
          (['errorRatio', 'latencyP95', 'rateLimited', 'failoverRate'] as const).map((s) => [
            s,
            { ...defaults[s], ...first.slis[s] },
          ]),
        ),
        traffic: { ...defaults.traffic, ...first.slis.traffic },
      },
      providers: Object.fromEntries(
        Object.entries(first.providers).map(([id, p]) => [
          id,
          {
            ...levels(p.levels),
            aliases: Object.fromEntries(Object.entries(p.aliases).map(([a, al]) => [a, levels(al.levels)])),
          },
        ]),
      ),
      alertmanager: first.alertmanager,
      prometheus: first.prometheus,
      links: first.links,
    };
    expect(resolved(stringify(file))).toEqual(first);
  });

  it('canonicalises durations the way Prometheus prints them', () => {
    const r = resolved(withLine(2, '  windows: { fast: 60s, slow: 1h30m }'));
    expect(r.windows).toEqual({ fast: '1m', slow: '1h30m' });
  });

  it('takes ratios as numbers or percentages', () => {
    const r = resolved(withLine(11, '    errorRatio: { critical: 0.125, warning: "7.5%" }'));
    expect(r.providers.azure.levels.errorRatio).toEqual({ critical: 0.125, warning: 0.075, clear: 0.02 });
  });
});

describe('merging', () => {
  const text = [
    BASE.split('\n').slice(0, 9).join('\n'),
    '  azure:',
    '    minVolume: 0.5',
    '    errorRatio: { critical: 10% }',
    '    traffic: { floor: 20% }',
    '    aliases:',
    '      gpt-4o: { errorRatio: { warning: 3% }, latencyP95: { warning: 30s, critical: 90s } }',
    '      o1: { minVolume: 0.05 }',
    '  bedrock:',
    BASE.split('\n').slice(13).join('\n'),
  ].join('\n');

  it('applies defaults <- provider <- alias, most specific wins', () => {
    const r = resolved(text);
    const azure = r.providers.azure;
    expect(azure.levels.errorRatio).toEqual({ warning: 0.05, critical: 0.1, clear: 0.02 });
    expect(azure.levels.minVolume).toBe(0.5);
    expect(azure.levels.traffic).toEqual({ floor: 0.2 });
    expect(azure.aliases['gpt-4o'].levels.errorRatio).toEqual({ warning: 0.03, critical: 0.1, clear: 0.02 });
    expect(azure.aliases['gpt-4o'].levels.latencyP95).toEqual({ warning: 30, critical: 90, clear: 15 });
    expect(azure.aliases['gpt-4o'].levels.minVolume).toBe(0.5);
    expect(azure.aliases.o1.levels).toEqual({ ...azure.levels, minVolume: 0.05 });
  });

  it('keeps a provider listed without overrides, judged by the defaults', () => {
    expect(resolved(text).providers.bedrock).toEqual({ levels: DEFAULT_LEVELS, aliases: {} });
  });

  it('changes nothing else when one provider changes', () => {
    const before = resolved(text);
    const after = resolved(text.replace('errorRatio: { critical: 10% }', 'errorRatio: { critical: 12% }'));
    expect({ ...after, providers: { ...after.providers, azure: undefined } }).toEqual({
      ...before,
      providers: { ...before.providers, azure: undefined },
    });
    expect(after.providers.azure.levels.errorRatio.critical).toBe(0.12);
  });

  it('normalises ids to lower case', () => {
    const r = resolved(withLine(13, '      GPT-4o: { latencyP95: { warning: 30s } }', withLine(10, '  Azure:')));
    expect(Object.keys(r.providers)).toEqual(['azure']);
    expect(Object.keys(r.providers.azure.aliases)).toEqual(['gpt-4o']);
  });
});

describe('overlays', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'ph-overlay-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const overlay = (name: string, text: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('merges key by key, later overlays winning', () => {
    const a = overlay('a.yaml', 'defaults:\n  errorRatio: { for: 10s }\nprometheus: { scrapeInterval: 5s }\n');
    const b = overlay('b.yaml', 'defaults:\n  errorRatio: { for: 20s }\n');
    const r = loadThresholds({ file: BASE_FILE, overlays: [a, b] });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    expect(r.resolved.slis.errorRatio).toEqual({ for: '20s', keepFiringFor: '1m', failover: true });
    expect(r.resolved.defaults.errorRatio).toEqual(DEFAULT_LEVELS.errorRatio);
    expect(r.resolved.prometheus).toEqual({ scrapeInterval: '5s', evaluationInterval: '15s' });
  });

  it('positions errors in the overlay they come from', () => {
    const bad = overlay('bad.yaml', 'providers:\n  azure:\n    errorRatio: { for: 10s }\n');
    const r = loadThresholds({ file: BASE_FILE, overlays: [bad] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors.map((e) => [e.file, e.line, e.col])).toEqual([[bad, 3, 19]]);
  });

  it('names the other file when an overlay id collides with one of the main file', () => {
    const bad = overlay('case.yaml', 'providers:\n  AZURE: { errorRatio: { critical: 30% } }\n');
    const r = loadThresholds({ file: BASE_FILE, overlays: [bad] });
    expect(!r.ok && r.errors).toEqual([
      {
        file: bad,
        line: 2,
        col: 3,
        message: `provider id "AZURE" collides with "azure" (${BASE_FILE}:10) after lower-casing: both are "azure"`,
        hint: 'merge the two entries',
      },
    ]);
  });

  it('reports errors of the main file and the overlay together, main file first', () => {
    const bad = overlay('bad2.yaml', 'alertmanager: { groupWait: 10 }\n');
    const main = path.join(dir, 'main.yaml');
    writeFileSync(main, withLine(3, '  minVolume: x'));
    const r = loadThresholds({ file: main, overlays: [bad] });
    expect(!r.ok && r.errors.map((e) => [e.file, e.line, e.col])).toEqual([
      [main, 3, 14],
      [bad, 1, 28],
    ]);
  });
});

describe('the shipped files', () => {
  it('loads rules/thresholds.yaml and points editors at the schema', () => {
    const file = path.join(RULES, 'thresholds.yaml');
    const r = loadThresholds({ file });
    expect(r.ok).toBe(true);
    expect(readFileSync(file, 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./thresholds.schema.json');
  });

  it('the demo profile shortens for, keepFiringFor, Alertmanager timings and intervals, keeping the windows', () => {
    const file = path.join(RULES, 'thresholds.yaml');
    const base = loadThresholds({ file });
    const demo = loadThresholds({ file, overlays: [path.join(RULES, 'profiles', 'demo.yaml')] });
    if (!base.ok || !demo.ok) throw new Error('shipped files must load');
    const [b, d] = [base.resolved, demo.resolved];
    expect(d.windows).toEqual(b.windows);
    expect(d.prometheus).toEqual({ scrapeInterval: '5s', evaluationInterval: '5s' });
    expect(d.defaults).toEqual(b.defaults);
    expect(d.providers).toEqual(b.providers);
    const ms = (s: string) => Number(/(\d+)s$/.exec(s)?.[1] ?? Infinity) * 1000;
    for (const sli of Object.keys(b.slis) as Array<keyof typeof b.slis>) {
      expect(ms(d.slis[sli].for)).toBeLessThan(60_000);
      expect(d.slis[sli].failover).toBe(b.slis[sli].failover);
    }
    expect(d.alertmanager.receivers).toEqual(b.alertmanager.receivers);
    expect(d.alertmanager.groupWait).toBe('2s');
  });
});

function secondsAsDurations(l: { warning?: number; critical: number; clear?: number }) {
  const d = (s: number | undefined) => (s === undefined ? undefined : `${s}s`);
  return JSON.parse(JSON.stringify({ warning: d(l.warning), critical: d(l.critical), clear: d(l.clear) }));
}
