// Structure: the JSON Schema editors use (rules/thresholds.schema.json), its errors mapped back to file
// positions and rewritten into messages that say what to type instead.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import { RULE_ONLY_KEYS, SLIS } from '@provider-health/schema';
import { errorAt, formatError, type ConfigError } from './errors';
import { closest, describeHomes, keyHomes } from './suggest';
import { posAt, toPlain, valuePosAt, nodeAt, type TNode } from './tree';
import { describe, parseDuration, parseLatency, parseRatio, type Parsed } from './units';

/** rules/thresholds.schema.json; the same path from src/config and dist/config. */
export const SCHEMA_PATH = path.resolve(__dirname, '..', '..', 'thresholds.schema.json');

let compiled: { validate: ValidateFunction; homes: Map<string, string[]> } | undefined;

function schema() {
  if (!compiled) {
    const json = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
    const ajv = new Ajv({ allErrors: true, verbose: true, strict: true });
    compiled = { validate: ajv.compile(json), homes: keyHomes(json) };
  }
  return compiled;
}

const VALUE_KINDS: Record<string, (v: unknown) => Parsed<unknown>> = {
  duration: parseDuration,
  ratio: parseRatio,
  latency: parseLatency,
};

/** Validates the merged tree; one error per offending place, positioned where the user typed it. */
export function validateStructure(tree: TNode): ConfigError[] {
  const { validate, homes } = schema();
  if (validate(toPlain(tree))) return [];
  const seen = new Set<string>();
  const out: ConfigError[] = [];
  const errors = validate.errors ?? [];
  // A misspelt key also makes the real one "missing"; the did-you-mean says it all.
  const suggested = new Set(
    errors
      .filter((e) => e.keyword === 'additionalProperties')
      .map((e) => `${e.instancePath}/${closest(String(e.params.additionalProperty), allowedKeys(e.parentSchema))}`),
  );
  for (const err of errors) {
    if (err.keyword === 'required' && suggested.has(`${err.instancePath}/${err.params.missingProperty}`)) continue;
    const mapped = mapError(tree, err, homes);
    const id = mapped && formatError(mapped);
    if (mapped && id && !seen.has(id)) {
      seen.add(id);
      out.push(mapped);
    }
  }
  return out;
}

function segments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const dotted = (segs: string[]) => (segs.length ? segs.join('.') : 'the top level');

function mapError(tree: TNode, err: ErrorObject, homes: Map<string, string[]>): ConfigError | undefined {
  const at = segments(err.instancePath);
  const kind = /#\/definitions\/(duration|ratio|latency)\//.exec(err.schemaPath)?.[1];
  if (kind) {
    const parsed = VALUE_KINDS[kind](err.data);
    // The schema is stricter than the parser only for the durations' minimum length ("0").
    const message = parsed.ok ? `expected a ${kind}, got ${describe(err.data)}` : parsed.message;
    return errorAt(valuePosAt(tree, at), `${dotted(at)}: ${message}`, parsed.ok ? undefined : parsed.hint);
  }
  switch (err.keyword) {
    case 'additionalProperties':
      return unknownKey(tree, at, String(err.params.additionalProperty), err.parentSchema, homes);
    case 'required': {
      const missing = String(err.params.missingProperty);
      return errorAt(posAt(tree, at), `${dotted(at)}: missing \`${missing}\``, `add ${dotted([...at, missing])}`);
    }
    case 'type': {
      const value = nodeValue(tree, at);
      // JSON Schema numbers are finite; YAML's .inf and .nan are numbers all the same.
      const expected = typeof value === 'number' ? 'a finite number' : typeName(String(err.params.type));
      return errorAt(valuePosAt(tree, at), `${dotted(at)} must be ${expected}, got ${describe(value)}`);
    }
    case 'const':
      return errorAt(
        valuePosAt(tree, at),
        `${dotted(at)}: traffic alerts never fail over`,
        'remove the key or set it to false',
      );
    case 'exclusiveMinimum':
      return errorAt(valuePosAt(tree, at), `${dotted(at)} must be greater than ${err.params.limit}`);
    case 'pattern':
      return errorAt(valuePosAt(tree, at), `${dotted(at)}: ${patternMessage(at)}, got ${describe(err.data)}`);
    case 'anyOf':
      return undefined; // its branches report
    default:
      return errorAt(valuePosAt(tree, at), `${dotted(at)} ${err.message ?? 'is invalid'}`);
  }
}

function nodeValue(tree: TNode, at: string[]): unknown {
  const n = nodeAt(tree, at);
  return n ? toPlain(n) : undefined;
}

function typeName(t: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    'object,null': 'a mapping',
    string: 'a string',
    number: 'a number',
    boolean: 'true or false',
  };
  return names[t] ?? t;
}

function patternMessage(at: string[]): string {
  if (at[0] === 'links') return 'expected an http(s) URL without spaces, quotes or braces';
  if (at[0] === 'alertmanager') return 'expected a receiver name (printable, no surrounding spaces)';
  return 'invalid value';
}

function allowedKeys(parentSchema: unknown): string[] {
  return Object.keys((parentSchema as { properties?: object })?.properties ?? {});
}

function unknownKey(
  tree: TNode,
  at: string[],
  key: string,
  parentSchema: unknown,
  homes: Map<string, string[]>,
): ConfigError {
  const pos = posAt(tree, [...at, key]);
  const where = dotted(at);
  const allowed = allowedKeys(parentSchema);
  if ((RULE_ONLY_KEYS as readonly string[]).includes(key) && at[0] === 'providers') {
    const home = key === 'windows' ? 'defaults.windows' : 'defaults.<sli>';
    return errorAt(
      pos,
      `\`${key}\` cannot be overridden per provider or alias: it is a property of the shared rule and only allowed under ${home}`,
      `move it to ${home}; per provider and alias only warning, critical, clear, floor and minVolume can change`,
    );
  }
  const near = closest(key, allowed);
  if (near) return errorAt(pos, `unknown key \`${key}\` in ${where}`, `did you mean \`${near}\`?`);
  const exact = homes.get(key);
  const misplacedAs = exact ? key : closest(key, homes.keys());
  const paths = misplacedAs ? homes.get(misplacedAs) : undefined;
  if (misplacedAs && paths) {
    const home = describeHomes(paths, SLIS);
    const name = misplacedAs === key ? `\`${key}\`` : `did you mean \`${misplacedAs}\`? it`;
    return errorAt(pos, `\`${key}\` is not allowed in ${where}`, `${name} belongs under ${home}`);
  }
  const list = allowed.length ? `allowed here: ${allowed.join(', ')}` : undefined;
  return errorAt(pos, `unknown key \`${key}\` in ${where}`, list);
}
