// Seeded mutations of a thresholds file: keys, values, types, units, ids, indentation, whole lines and
// raw bytes. Each case has its own seed, so one failing case reproduces on its own.

import { seededRandom } from '@provider-health/testkit';

export type Rng = () => number;

/** The testkit's seeded PRNG, under the name this file's callers use. */
export const mulberry32: (seed: number) => Rng = seededRandom;

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];

const VALUES = [
  '5%',
  '50%',
  '0.3',
  '0.01',
  '5',
  '1.5',
  '-1',
  '150%',
  '0',
  '30s',
  '30',
  '1m',
  '1h30m',
  '0s',
  '700s',
  '10m55s',
  '1.5m',
  '90s',
  '2h',
  'true',
  'false',
  'null',
  '~',
  '[]',
  '{}',
  '"x"',
  "''",
  'yes',
  '2026-01-01',
  '0x10',
  '1e3',
  '.inf',
  '.nan',
  '"5 %"',
  '99.9%',
  '"1m"',
  'https://example.com/x',
  'budget-email',
  '[1, 2]',
  '{ critical: 5% }',
  '"{{ $value }}"',
  'https://x/{{.}}',
  '"a\\"b"',
  'budget email',
  '"x\\u0000"',
] as const;
const KEYS = [
  'defaults',
  'providers',
  'aliases',
  'windows',
  'fast',
  'slow',
  'minVolume',
  'errorRatio',
  'latencyP95',
  'rateLimited',
  'failoverRate',
  'traffic',
  'warning',
  'critical',
  'clear',
  'floor',
  'for',
  'keepFiringFor',
  'failover',
  'alertmanager',
  'receivers',
  'groupWait',
  'prometheus',
  'scrapeInterval',
  'links',
  'runbookUrl',
] as const;
const IDS = [
  'Azure',
  'AZURE',
  'a b',
  '-x',
  'x'.repeat(70),
  'ü',
  'openai',
  'bedrock',
  'gpt-4o-mini',
  'a.b_c-d',
  '"x:y"',
];
const SNIPPETS = [
  '  for: 1m',
  '    windows: { fast: 1m, slow: 5m }',
  '  openai: { errorRatio: { critical: 30% }, latencyP95: { warning: 10s } }',
  '  bedrock: { rateLimited: { warning: 20%, critical: 60% }, aliases: { claude: { traffic: { floor: 5% } } } }',
  '      o1: { minVolume: 0.05, failoverRate: { clear: 1% } }',
  '    errorRatio: { for: 10s }',
  'prometheus: { scrapeInterval: 5s, evaluationInterval: 5s }',
  '  x: &x 1m',
  '  y: *x',
  '\t- tab',
  '---',
  '? [complex]\n: key',
] as const;

type Op = (text: string, rng: Rng) => string;

const lines = (t: string) => t.split('\n');
const lineIndex = (t: string, rng: Rng) => Math.floor(rng() * lines(t).length);
const editLine = (t: string, i: number, f: (l: string) => string) =>
  lines(t)
    .map((l, j) => (j === i ? f(l) : l))
    .join('\n');

/** Replaces the n-th match of a regex (chosen at random) using f. */
function replaceRandomMatch(text: string, re: RegExp, rng: Rng, f: (m: RegExpExecArray) => string): string {
  const matches = [...text.matchAll(new RegExp(re.source, 'g'))] as RegExpExecArray[];
  if (matches.length === 0) return text;
  const m = pick(rng, matches);
  return text.slice(0, m.index) + f(m) + text.slice(m.index + m[0].length);
}

const typo = (key: string, rng: Rng): string => {
  const i = Math.floor(rng() * (key.length - 1));
  const kinds = [
    () => key.slice(0, i) + key.slice(i + 1),
    () => key.slice(0, i) + key[i + 1] + key[i] + key.slice(i + 2),
    () => key.toUpperCase(),
    () => `${key}s`,
    () => pick(rng, KEYS),
  ];
  return pick(rng, kinds)();
};

const OPS: Op[] = [
  // value: any scalar after "key: "
  (t, rng) => replaceRandomMatch(t, /(:\s+)([^\s{},#][^,}\n#]*)/, rng, (m) => `${m[1]}${pick(rng, VALUES)}`),
  // key: rename to a typo or another key
  (t, rng) => replaceRandomMatch(t, /([A-Za-z][A-Za-z0-9]*)(?=:\s)/, rng, (m) => typo(m[1], rng)),
  // units: drop or change them
  (t, rng) =>
    replaceRandomMatch(t, /(\d+)(ms|s|m|h|%)/, rng, (m) => `${m[1]}${pick(rng, ['', 's', 'm', 'h', '%', 'd', 'ms'])}`),
  // ids
  (t, rng) => replaceRandomMatch(t, /\b(azure|gpt-4o)\b/, rng, () => pick(rng, IDS)),
  // delete, duplicate, swap lines
  (t, rng) =>
    lines(t)
      .filter((_, j) => j !== lineIndex(t, rng))
      .join('\n'),
  (t, rng) => {
    const i = lineIndex(t, rng);
    return editLine(t, i, (l) => `${l}\n${l}`);
  },
  (t, rng) => {
    const ls = lines(t);
    const [i, j] = [lineIndex(t, rng), lineIndex(t, rng)];
    [ls[i], ls[j]] = [ls[j], ls[i]];
    return ls.join('\n');
  },
  // indentation
  (t, rng) =>
    editLine(t, lineIndex(t, rng), (l) => pick(rng, [`  ${l}`, l.replace(/^ {2}/, ''), `\t${l}`, l.trimStart()])),
  // insert a snippet
  (t, rng) => {
    const ls = lines(t);
    ls.splice(lineIndex(t, rng), 0, pick(rng, SNIPPETS));
    return ls.join('\n');
  },
];

/** Byte-level damage, applied after the text mutations. */
function mutateBytes(buf: Buffer, rng: Rng): Buffer {
  const at = Math.floor(rng() * buf.length);
  const kinds = [
    () =>
      Buffer.concat([
        buf.subarray(0, at),
        Buffer.from([pick(rng, [0xff, 0xc3, 0xe2, 0x80, 0x00, 0xfe])]),
        buf.subarray(at),
      ]),
    () => {
      const copy = Buffer.from(buf);
      copy[at] ^= 1 << Math.floor(rng() * 8);
      return copy;
    },
    () => buf.subarray(0, at),
  ];
  return pick(rng, kinds)();
}

/** One mutated case: 1-3 text mutations, and a byte mutation in one case out of eight. */
export function mutate(base: string, seed: number): Buffer {
  const rng = mulberry32(seed);
  let text = base;
  const n = 1 + Math.floor(rng() * 3);
  for (let i = 0; i < n; i++) text = pick(rng, OPS)(text, rng);
  const bytes = Buffer.from(text);
  return rng() < 0.125 ? mutateBytes(bytes, rng) : bytes;
}
