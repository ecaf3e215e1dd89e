// Reads and checks a scenario file; every problem is reported as file:line:col with what was expected.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { SLIS, normaliseId, type SliId } from '@provider-health/schema';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type YAMLMap } from 'yaml';
import { STEPS, type FaultSpec, type LoadSpec, type PhaseSpec, type Scenario, type StepId } from './types';

export const SCENARIO_DIR = path.resolve(__dirname, '..', '..', 'scenarios');
export const DEFAULT_SCENARIO = 'azure-outage';

export class ScenarioError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid scenario:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}

export function listScenarios(dir = SCENARIO_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** A scenario by name (from demo/scenarios/) or by path. */
export function loadScenario(nameOrPath: string, dir = SCENARIO_DIR): Scenario {
  const file =
    nameOrPath.includes('/') || nameOrPath.endsWith('.yaml') ? nameOrPath : path.join(dir, `${nameOrPath}.yaml`);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ScenarioError([`${file}: no such scenario. Known: ${listScenarios(dir).join(', ')}`]);
  }
  return parseScenario(text, file);
}

export function parseScenario(text: string, file: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const problems: string[] = [];
  const at = (node: Node | null | undefined) => {
    const pos = lines.linePos(node?.range?.[0] ?? 0);
    return `${file}:${pos.line}:${pos.col}`;
  };
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    problems.push(`${file}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`);
  }
  if (problems.length) throw new ScenarioError(problems);
  const r = new Reader(at, problems);
  const root = r.map(doc.contents, 'the scenario', ['name', 'description', 'load', 'phases', 'expect']);
  if (!root) throw new ScenarioError(problems.length ? problems : [`${file}:1:1: empty scenario`]);

  const scenario: Scenario = {
    name: r.string(root, 'name', true) ?? path.basename(file, '.yaml'),
    description: r.string(root, 'description', false) ?? '',
    file,
    load: readLoad(r, root),
    phases: readPhases(r, root),
    expect: readExpect(r, root),
  };
  checkPhaseSteps(scenario, problems, file);
  if (problems.length) throw new ScenarioError(problems);
  return scenario;
}

function readLoad(r: Reader, root: YAMLMap): LoadSpec {
  const m = r.map(root.get('load', true), 'load', ['requestsPerSecond', 'tenants', 'streamShare', 'aliases']);
  if (!m) return { requestsPerSecond: 0, tenants: [], streamShare: 0, aliases: [] };
  return {
    requestsPerSecond: r.number(m, 'requestsPerSecond', { min: 0.1, max: 500, required: true }) ?? 0,
    tenants: r.ids(m, 'tenants', true),
    streamShare: r.number(m, 'streamShare', { min: 0, max: 1 }) ?? 0,
    aliases: r.ids(m, 'aliases', true),
  };
}

const PHASE_KEYS = ['name', 'duration', 'until', 'hold', 'timeout', 'faults', 'load', 'stopAliases'];
const FAULT_KEYS = ['provider', 'region', 'alias', 'errorRate', 'status', 'latency', 'jitter', 'timeToFirstToken'];

function readPhases(r: Reader, root: YAMLMap): PhaseSpec[] {
  const seq = root.get('phases', true) as Node | undefined;
  if (!isSeq(seq) || seq.items.length === 0) {
    r.problem(seq ?? root, 'phases: expected a non-empty list of phases');
    return [];
  }
  return seq.items.flatMap((item, i) => {
    const m = r.map(item as Node, `phases[${i}]`, PHASE_KEYS);
    if (!m) return [];
    const duration = r.duration(m, 'duration');
    const until = r.enumValue(m, 'until', STEPS);
    if ((duration === undefined) === (until === undefined)) {
      r.problem(m, `phases[${i}]: give either duration (e.g. 30s) or until (a step: ${STEPS.join(', ')})`);
    }
    const faults = m.get('faults', true) as Node | undefined;
    return [
      {
        name: r.string(m, 'name', true) ?? `phase ${i + 1}`,
        durationSeconds: duration,
        untilStep: until,
        holdSeconds: r.duration(m, 'hold') ?? 0,
        timeoutSeconds: r.duration(m, 'timeout') ?? 300,
        faults: faults === undefined ? [] : readFaults(r, faults, i),
        loadFactor: r.number(m, 'load', { min: 0, max: 10 }) ?? 1,
        stoppedAliases: m.has('stopAliases') ? r.ids(m, 'stopAliases', false) : [],
      },
    ];
  });
}

function readFaults(r: Reader, node: Node, phase: number): FaultSpec[] {
  if (!isSeq(node)) {
    r.problem(node, `phases[${phase}].faults: expected a list of faults`);
    return [];
  }
  return node.items.flatMap((item, i) => {
    const m = r.map(item as Node, `phases[${phase}].faults[${i}]`, FAULT_KEYS);
    if (!m) return [];
    const fault: FaultSpec = { provider: r.id(m, 'provider', true) ?? '' };
    const region = r.id(m, 'region', false);
    const alias = r.id(m, 'alias', false);
    const status = r.number(m, 'status', { min: 400, max: 599, integer: true });
    const errorRate = r.number(m, 'errorRate', { min: 0, max: 1 });
    if (region) fault.region = region;
    if (alias) fault.alias = alias;
    if (status !== undefined) fault.status = status;
    if (errorRate !== undefined) fault.errorRate = errorRate;
    if (errorRate !== undefined && status === undefined) r.problem(m, 'errorRate needs a status (e.g. status: 503)');
    const latency = r.duration(m, 'latency');
    const jitter = r.duration(m, 'jitter');
    const ttft = r.duration(m, 'timeToFirstToken');
    if (latency !== undefined) fault.latencySeconds = latency;
    if (jitter !== undefined) fault.jitterSeconds = jitter;
    if (ttft !== undefined) fault.timeToFirstTokenSeconds = ttft;
    return [fault];
  });
}

function readExpect(r: Reader, root: YAMLMap) {
  const m = r.map(root.get('expect', true), 'expect', ['provider', 'slis', 'steps', 'quietProviders']);
  if (!m) return { provider: '', slis: [], steps: [], quietProviders: [] };
  return {
    provider: r.id(m, 'provider', true) ?? '',
    slis: r.enumList(m, 'slis', SLIS) as SliId[],
    steps: r.enumList(m, 'steps', STEPS) as StepId[],
    quietProviders: m.has('quietProviders') ? r.ids(m, 'quietProviders', false) : [],
  };
}

/** A step a phase waits for must be expected, or the phase could only end by timing out. */
function checkPhaseSteps(s: Scenario, problems: string[], file: string): void {
  for (const p of s.phases) {
    if (p.untilStep && !s.expect.steps.includes(p.untilStep)) {
      problems.push(`${file}: phase '${p.name}' waits for step '${p.untilStep}', which expect.steps does not list`);
    }
  }
}

/** Typed access to YAML nodes that records each problem with its position. */
class Reader {
  constructor(
    private readonly at: (n: Node | null | undefined) => string,
    private readonly problems: string[],
  ) {}

  problem(node: Node | null | undefined, message: string): void {
    this.problems.push(`${this.at(node)}: ${message}`);
  }

  map(node: unknown, what: string, keys: string[]): YAMLMap | undefined {
    if (!isMap(node)) {
      this.problem(node as Node, `${what}: expected a mapping with keys ${keys.join(', ')}`);
      return undefined;
    }
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!keys.includes(key)) {
        const near = keys.find((k) => editDistance(k.toLowerCase(), key.toLowerCase()) <= 2);
        this.problem(
          pair.key as Node,
          `${what}: unknown key '${key}'${near ? ` (did you mean '${near}'?)` : ''}; allowed: ${keys.join(', ')}`,
        );
      }
    }
    return node;
  }

  private scalar(m: YAMLMap, key: string, required: boolean): { node: Node; value: unknown } | undefined {
    const node = m.get(key, true) as Node | undefined;
    if (node === undefined || node === null) {
      if (required) this.problem(m, `missing '${key}'`);
      return undefined;
    }
    if (!isScalar(node)) {
      this.problem(node, `${key}: expected a single value`);
      return undefined;
    }
    return { node, value: node.value };
  }

  string(m: YAMLMap, key: string, required: boolean): string | undefined {
    const s = this.scalar(m, key, required);
    if (!s) return undefined;
    if (typeof s.value !== 'string' || s.value === '') {
      this.problem(s.node, `${key}: expected text`);
      return undefined;
    }
    return s.value;
  }

  id(m: YAMLMap, key: string, required: boolean): string | undefined {
    const raw = this.string(m, key, required);
    if (raw === undefined) return undefined;
    const id = normaliseId(raw);
    if (!id)
      this.problem(m.get(key, true) as Node, `${key}: '${raw}' is not a valid id (lower-case letters, digits, _ . -)`);
    return id;
  }

  ids(m: YAMLMap, key: string, required: boolean): string[] {
    const node = m.get(key, true) as Node | undefined;
    if (!isSeq(node) || (required && node.items.length === 0)) {
      this.problem(node ?? m, `${key}: expected a${required ? ' non-empty' : ''} list of ids`);
      return [];
    }
    return node.items.flatMap((item) => {
      const raw = isScalar(item) ? item.value : undefined;
      const id = typeof raw === 'string' ? normaliseId(raw) : undefined;
      if (!id) this.problem(item as Node, `${key}: '${String(raw)}' is not a valid id`);
      return id ? [id] : [];
    });
  }

  number(
    m: YAMLMap,
    key: string,
    o: { min: number; max: number; integer?: boolean; required?: boolean },
  ): number | undefined {
    const s = this.scalar(m, key, o.required ?? false);
    if (!s) return undefined;
    let v = s.value;
    if (typeof v === 'string' && /^\d+(\.\d+)?%$/.test(v)) v = Number(v.slice(0, -1)) / 100;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < o.min || v > o.max || (o.integer && !Number.isInteger(v))) {
      this.problem(
        s.node,
        `${key}: expected ${o.integer ? 'an integer' : 'a number'} from ${o.min} to ${o.max}, got ${JSON.stringify(s.value)}`,
      );
      return undefined;
    }
    return v;
  }

  /** Durations as `500ms`, `30s`, `2m`; returns seconds. */
  duration(m: YAMLMap, key: string): number | undefined {
    const s = this.scalar(m, key, false);
    if (!s) return undefined;
    const match = typeof s.value === 'string' ? /^(\d+(?:\.\d+)?)(ms|s|m)$/.exec(s.value) : null;
    if (!match) {
      const fix = typeof s.value === 'number' ? ` (write "${s.value}s")` : '';
      this.problem(s.node, `${key}: expected a duration like 500ms, 30s or 2m, got ${JSON.stringify(s.value)}${fix}`);
      return undefined;
    }
    const n = Number(match[1]);
    return match[2] === 'ms' ? n / 1000 : match[2] === 'm' ? n * 60 : n;
  }

  enumValue<T extends string>(m: YAMLMap, key: string, allowed: readonly T[]): T | undefined {
    const v = this.string(m, key, false);
    if (v === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(v)) {
      this.problem(m.get(key, true) as Node, `${key}: '${v}' is not one of ${allowed.join(', ')}`);
      return undefined;
    }
    return v as T;
  }

  enumList<T extends string>(m: YAMLMap, key: string, allowed: readonly T[]): T[] {
    const node = m.get(key, true) as Node | undefined;
    if (!isSeq(node) || node.items.length === 0) {
      this.problem(node ?? m, `${key}: expected a non-empty list, each one of ${allowed.join(', ')}`);
      return [];
    }
    return node.items.flatMap((item) => {
      const v = isScalar(item) ? item.value : undefined;
      if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return [v as T];
      this.problem(item as Node, `${key}: '${String(v)}' is not one of ${allowed.join(', ')}`);
      return [];
    });
  }
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length];
}
