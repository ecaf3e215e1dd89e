// Reads the YAML configuration file and applies PROVIDER_HEALTH_* environment overrides.
//
// Every scalar setting has a YAML key and an environment variable derived from its path: the key
// `failover.minDisabled` (internal `minDisabledMs`, a duration) is PROVIDER_HEALTH_FAILOVER_MIN_DISABLED.
// Tokens come from `tokens.<role>File` / PROVIDER_HEALTH_TOKEN_<ROLE>_FILE (preferred) or
// `tokens.<role>` / PROVIDER_HEALTH_TOKEN_<ROLE>.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { TOKEN_ROLES, type TokenRole } from '@provider-health/schema';
import { isMap, isScalar, LineCounter, parseDocument, type Node } from 'yaml';
import { defaultConfig } from './defaults';
import { parseDurationMs } from './durations';
import type { ActionTemplate, ServerConfig, Transition } from './types';

export class ConfigError extends Error {}

type Leaf = string | number | boolean;
type Tree = { [key: string]: Leaf | Tree | unknown };

export interface LoadConfigOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
}

export function loadConfig(options: LoadConfigOptions = {}): ServerConfig {
  const env = options.env ?? process.env;
  const config = defaultConfig() as unknown as Tree;
  let raw: Tree = {};
  const where = options.file ? readYaml(options.file) : undefined;
  if (where) raw = where.data;
  const base = options.file ? path.dirname(path.resolve(options.file)) : process.cwd();
  applyFile(config, raw, [], where);
  applyEnv(config, [], env);
  const result = config as unknown as ServerConfig;
  checkChoice(result.failover.confirmWindow, ['fast', 'slow'], 'failover.confirmWindow', options.file);
  checkChoice(result.storage.synchronous, ['full', 'normal'], 'storage.synchronous', options.file);
  checkPort(result.listen.port, position(where, ['listen', 'port']));
  checkHttpUrl(result.prometheus.url, position(where, ['prometheus', 'url']), 'prometheus.url');
  checkHttpUrl(result.alertmanager.url, position(where, ['alertmanager', 'url']), 'alertmanager.url');
  result.tokens = readTokens(raw.tokens as Tree | undefined, env, base, options.file ?? '(environment)');
  result.actions.templates = readActions(raw.actions as Tree | undefined, options.file ?? '(config)');
  return result;
}

interface YamlSource {
  file: string;
  data: Tree;
  lineOf: (keyPath: string[]) => number | undefined;
}

function readYaml(file: string): YamlSource {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the configuration file (${(error as NodeJS.ErrnoException).code})`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw new ConfigError(`${file}:${e.linePos?.[0].line ?? 0}:${e.linePos?.[0].col ?? 0}: ${e.message}`);
  }
  const lineOf = (keyPath: string[]) => {
    const node = doc.getIn(keyPath, true) as Node | undefined;
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };
  const data = (doc.toJS() ?? {}) as Tree;
  if (!isMap(doc.contents) && doc.contents !== null && !isScalar(doc.contents)) {
    throw new ConfigError(`${file}:1:1: the configuration must be a mapping of settings`);
  }
  return { file, data, lineOf };
}

/** The YAML / environment name of an internal key: durations drop their `Ms` suffix. */
const externalKey = (key: string) => (key.endsWith('Ms') ? key.slice(0, -2) : key);
const envName = (keyPath: string[]) =>
  'PROVIDER_HEALTH_' +
  keyPath
    .map((k) => externalKey(k).replace(/([a-z0-9])([A-Z])/g, '$1_$2'))
    .join('_')
    .toUpperCase();

function applyFile(target: Tree, raw: Tree, at: string[], src: YamlSource | undefined): void {
  for (const [key, value] of Object.entries(raw ?? {})) {
    if (isSpecial(at, key)) continue;
    const internal = key in target ? key : `${key}Ms` in target ? `${key}Ms` : undefined;
    const here = [...at, key];
    if (internal === undefined) {
      const known = Object.keys(target).map(externalKey).join(', ');
      throw new ConfigError(`${position(src, here)}: unknown setting '${here.join('.')}'; expected one of: ${known}`);
    }
    const current = target[internal];
    if (isTree(current)) {
      if (!isTree(value)) throw new ConfigError(`${position(src, here)}: '${here.join('.')}' must be a mapping`);
      applyFile(current, value, here, src);
    } else {
      target[internal] = coerce(internal, current as Leaf, value, `${position(src, here)}: '${here.join('.')}'`);
    }
  }
}

function applyEnv(target: Tree, at: string[], env: NodeJS.ProcessEnv): void {
  for (const [key, current] of Object.entries(target)) {
    if (isSpecial(at, key)) continue;
    const here = [...at, key];
    if (isTree(current)) {
      applyEnv(current, here, env);
      continue;
    }
    const value = env[envName(here)];
    if (value !== undefined) target[key] = coerce(key, current as Leaf, value, `environment ${envName(here)}`);
  }
}

function coerce(key: string, current: Leaf, value: unknown, where: string): Leaf {
  if (key.endsWith('Ms')) {
    const ms = parseDurationMs(value);
    if (ms === undefined)
      throw new ConfigError(`${where}: expected a duration such as 30s or 5m, got ${String(value)}`);
    return ms;
  }
  if (typeof current === 'number') {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new ConfigError(`${where}: expected a number`);
    return n;
  }
  if (typeof current === 'boolean') {
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0') return false;
    throw new ConfigError(`${where}: expected true or false`);
  }
  if (typeof value !== 'string' && typeof value !== 'number') throw new ConfigError(`${where}: expected a string`);
  return String(value);
}

function readTokens(
  raw: Tree | undefined,
  env: NodeJS.ProcessEnv,
  base: string,
  file: string,
): Record<TokenRole, string> {
  const tokens = {} as Record<TokenRole, string>;
  for (const role of TOKEN_ROLES) {
    const up = role.toUpperCase();
    // The environment wins over the file; a token file wins over a value at the same level.
    const envFile = env[`PROVIDER_HEALTH_TOKEN_${up}_FILE`];
    const envValue = env[`PROVIDER_HEALTH_TOKEN_${up}`];
    const yamlFile = raw?.[`${role}File`] as string | undefined;
    const yamlValue = raw?.[role] as string | undefined;
    const value = envFile
      ? readToken(envFile, base, role)
      : (envValue ?? (yamlFile ? readToken(yamlFile, base, role) : yamlValue));
    if (!value || value.length < 16) {
      throw new ConfigError(
        `${file}: token '${role}' is missing or shorter than 16 characters. Fix: set tokens.${role}File ` +
          `(or PROVIDER_HEALTH_TOKEN_${up}_FILE) to a file holding a long random value`,
      );
    }
    tokens[role] = value;
  }
  const distinct = new Set(Object.values(tokens));
  if (distinct.size !== TOKEN_ROLES.length)
    throw new ConfigError(`${file}: the read, admin and hook tokens must differ`);
  return tokens;
}

function checkChoice(value: string, allowed: string[], key: string, file = '(config)'): void {
  if (!allowed.includes(value))
    throw new ConfigError(`${file}: ${key} is '${value}'; expected one of ${allowed.join(', ')}`);
}

// Checked here rather than at listen/fetch time, so a typo stops the start with its line instead of
// surfacing later as a socket error or an `unknown` health status.
function checkPort(port: number, where: string): void {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new ConfigError(
      `${where}: listen.port is ${port}; expected a whole number from 0 to 65535 (0 picks a free port)`,
    );
}

function checkHttpUrl(value: string, where: string, key: string): void {
  let ok = false;
  try {
    ok = ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok)
    throw new ConfigError(`${where}: ${key} is '${value}'; expected an http(s) URL such as http://127.0.0.1:9090`);
}

function readToken(file: string, base: string, role: string): string {
  try {
    return readFileSync(path.resolve(base, file), 'utf8').trim();
  } catch (error) {
    throw new ConfigError(
      `token '${role}': cannot read ${path.resolve(base, file)} (${(error as NodeJS.ErrnoException).code})`,
    );
  }
}

const TRANSITIONS: Transition[] = ['disabled', 'refused', 'ended'];

function readActions(raw: Tree | undefined, file: string): ActionTemplate[] {
  const list = (raw?.templates ?? []) as unknown[];
  if (!Array.isArray(list)) throw new ConfigError(`${file}: actions.templates must be a list`);
  return list.map((item, i) => {
    const t = item as Partial<ActionTemplate>;
    const where = `${file}: actions.templates[${i}]`;
    if (typeof t.url !== 'string' || t.url === '') throw new ConfigError(`${where}.url is required`);
    const on = t.on ?? ['disabled', 'ended'];
    for (const o of on) {
      if (!TRANSITIONS.includes(o))
        throw new ConfigError(`${where}.on: '${o}' is not one of ${TRANSITIONS.join(', ')}`);
    }
    return {
      name: t.name ?? `action-${i}`,
      on,
      url: t.url,
      method: (t.method ?? 'POST').toUpperCase(),
      headers: t.headers ?? {},
      body: t.body,
    };
  });
}

function position(src: YamlSource | undefined, keyPath: string[]): string {
  if (!src) return '(config)';
  return `${src.file}:${src.lineOf(keyPath) ?? 1}`;
}

/** Tokens and action templates are read by their own functions. */
const isSpecial = (at: string[], key: string) =>
  (at.length === 0 && key === 'tokens') || (at.length === 1 && at[0] === 'actions' && key === 'templates');

const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
