// The generated Alertmanager and Prometheus configs with the real amtool and promtool.
import { parse, stringify } from 'yaml';
import { GENERATED_FILES, META_ALERTS, ALERTS, COMPONENT } from '@provider-health/schema';
import { buildOutputs } from '../../src';
import { designExample } from '../../src/build/test/fixtures';
import { run, tempDir } from './tools';

const tmp = tempDir('ph-am-');
afterAll(() => tmp.remove());

const t = designExample();
const files = buildOutputs(t, { skipRuleTests: true });
const amConfig = tmp.write('alertmanager.yml', files[GENERATED_FILES.alertmanager]);

/** An operator's existing config with the route file merged in as its header says. */
function mergedOperatorConfig(): string {
  const tree = parse(files[GENERATED_FILES.route]);
  const names = Object.values(t.alertmanager.receivers);
  return stringify({
    route: {
      receiver: 'operator-default',
      routes: [...tree.routes, { receiver: 'budget-email', matchers: ['team="billing"'] }],
    },
    inhibit_rules: tree.inhibit_rules,
    receivers: [{ name: 'operator-default' }, ...names.map((name) => ({ name }))],
  });
}

async function receivers(config: string, labels: Record<string, string>): Promise<string> {
  const args = [
    'config',
    'routes',
    'test',
    `--config.file=${config}`,
    ...Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`),
  ];
  const r = await run('amtool', args);
  return r.stdout.trim();
}

const critical = {
  alertname: ALERTS.errorRatio,
  component: COMPONENT,
  severity: 'critical',
  failover: 'true',
  provider: 'azure',
  region: 'eastus',
};

const { failover: _failover, ...criticalLabels } = critical;
const warning = { ...criticalLabels, severity: 'warning' };

describe('generated Alertmanager configuration', () => {
  it('passes amtool check-config, alone and merged into an operator config', async () => {
    const alone = await run('amtool', ['check-config', amConfig]);
    expect(alone.stdout).toContain('SUCCESS');
    expect(alone.code).toBe(0);
    const merged = await run('amtool', ['check-config', tmp.write('merged.yml', mergedOperatorConfig())]);
    expect(merged.stdout).toContain('SUCCESS');
    expect(merged.code).toBe(0);
  });

  it.each([
    ['the example', () => amConfig],
    ['an operator config with the route file merged', () => tmp.write('merged-routes.yml', mergedOperatorConfig())],
  ])(
    'routes in %s: critical failover alerts to failover, webhook and e-mail; Watchdog to its own only',
    async (_, file) => {
      const config = file();
      expect(await receivers(config, critical)).toBe('provider-failover,budget-webhook,budget-email');
      expect(await receivers(config, warning)).toBe('budget-webhook,budget-email');
      expect(await receivers(config, { alertname: META_ALERTS.watchdog, component: COMPONENT, severity: 'none' })).toBe(
        'deadman',
      );
    },
  );

  it('leaves alerts of other components to the operator’s own routes', async () => {
    const merged = tmp.write('merged-other.yml', mergedOperatorConfig());
    expect(await receivers(merged, { alertname: 'BudgetNearLimit', team: 'billing' })).toBe('budget-email');
    expect(await receivers(merged, { alertname: 'Unrelated' })).toBe('operator-default');
  });
});

describe('generated Prometheus configuration', () => {
  it('passes promtool check config with its rule file', async () => {
    const rules = tmp.write('rules/provider-health.rules.yml', files[GENERATED_FILES.rules]);
    const prom = buildOutputs(t, { skipRuleTests: true, ruleFiles: [rules] })[GENERATED_FILES.prometheus];
    const r = await run('promtool', ['check', 'config', tmp.write('prometheus.yml', prom)]);
    expect(r.stderr + r.stdout).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });
});
