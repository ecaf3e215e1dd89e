import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from './load';

const dir = mkdtempSync(path.join(tmpdir(), 'ph-config-'));
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  return file;
};
const TOKENS_ENV = {
  PROVIDER_HEALTH_TOKEN_READ: 'r'.repeat(20),
  PROVIDER_HEALTH_TOKEN_ADMIN: 'a'.repeat(20),
  PROVIDER_HEALTH_TOKEN_HOOK: 'h'.repeat(20),
};

describe('loadConfig', () => {
  it('reads the YAML file, durations as strings, and lets the environment override leaves', () => {
    write('hook.token', 'hook-token-from-a-file\n');
    const file = write(
      'a.yaml',
      'listen: {port: 9000}\nfailover:\n  minDisabled: 2m\n  maxDisabledShare: 0.25\ntokens: {hookFile: hook.token}\n',
    );
    const c = loadConfig({
      file,
      env: {
        ...TOKENS_ENV,
        PROVIDER_HEALTH_TOKEN_HOOK: undefined,
        PROVIDER_HEALTH_PROMETHEUS_URL: 'http://p:9090',
        PROVIDER_HEALTH_FAILOVER_RECONCILE_INTERVAL: '45s',
        PROVIDER_HEALTH_FAILOVER_DRY_RUN: 'true',
      },
    });
    expect(c.listen.port).toBe(9000);
    expect(c.failover.minDisabledMs).toBe(120_000);
    expect(c.failover.maxDisabledShare).toBe(0.25);
    expect(c.failover.reconcileIntervalMs).toBe(45_000);
    expect(c.failover.dryRun).toBe(true);
    expect(c.prometheus.url).toBe('http://p:9090');
    expect(c.tokens.hook).toBe('hook-token-from-a-file');
  });

  it('names the file, line and key of an unknown setting', () => {
    const file = write('b.yaml', 'listen:\n  port: 1\nfailover:\n  minDisabld: 2m\n');
    expect(() => loadConfig({ file, env: TOKENS_ENV })).toThrow(
      new RegExp(`${file}:4: unknown setting 'failover.minDisabld'`),
    );
  });

  it('refuses bad durations, missing, short or equal tokens', () => {
    const file = write('c.yaml', 'failover: {minDisabled: soon}\n');
    expect(() => loadConfig({ file, env: TOKENS_ENV })).toThrow(/expected a duration/);
    expect(() => loadConfig({ env: { ...TOKENS_ENV, PROVIDER_HEALTH_TOKEN_READ: 'short' } })).toThrow(ConfigError);
    expect(() => loadConfig({ env: { ...TOKENS_ENV, PROVIDER_HEALTH_TOKEN_READ: 'a'.repeat(20) } })).toThrow(
      /must differ/,
    );
  });

  it('refuses a port out of range and a URL without a scheme at load, naming the line', () => {
    const port = write('p.yaml', 'listen:\n  port: 99999\n');
    expect(() => loadConfig({ file: port, env: TOKENS_ENV })).toThrow(new RegExp(`${port}:2: listen.port is 99999`));
    const url = write('u.yaml', 'prometheus:\n  url: localhost:9090\n');
    expect(() => loadConfig({ file: url, env: TOKENS_ENV })).toThrow(
      new RegExp(`${url}:2: prometheus.url is 'localhost:9090'; expected an http\\(s\\) URL`),
    );
    expect(() => loadConfig({ env: { ...TOKENS_ENV, PROVIDER_HEALTH_ALERTMANAGER_URL: 'am:9093' } })).toThrow(
      /alertmanager.url is 'am:9093'/,
    );
  });

  it('reads action templates with defaults', () => {
    const file = write(
      'd.yaml',
      'actions:\n  maxAttempts: 3\n  templates:\n    - {url: "http://router/{{decision.scope.provider}}"}\n',
    );
    const c = loadConfig({ file, env: TOKENS_ENV });
    expect(c.actions.maxAttempts).toBe(3);
    expect(c.actions.templates).toEqual([
      {
        name: 'action-0',
        on: ['disabled', 'ended'],
        url: 'http://router/{{decision.scope.provider}}',
        method: 'POST',
        headers: {},
        body: undefined,
      },
    ]);
  });
});
