// Callers stop on their own stack: the traffic-stopped alert (critical, never failover) must fire for the
// providers that stay routable, reach the on-call, and clear when callers come back; no provider is disabled.
import { ALERTS, LABELS } from '@provider-health/schema';
import { loadScenario } from '../../src/scenario';
import { startStack, type Stack } from '../../src/stack/stack';
import { runScenario, type RunResult } from '../../src/run/runner';
import { auditRows, disables, queryBy } from '../support/api';

jest.setTimeout(10 * 60_000);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let stack: Stack;
let result: RunResult;

beforeAll(async () => {
  stack = await startStack();
  // Half the steady period of the shipped file: a minute of traffic is history enough for the alert.
  result = await runScenario(stack, loadScenario('callers-stop'), { seed: 11, timeScale: 0.5 });
});

afterAll(async () => {
  await stack?.stop();
});

describe('callers-stop', () => {
  it('reaches every expected step', () => {
    expect({ error: result.error, missing: result.missing }).toEqual({ error: undefined, missing: [] });
  });

  it('fired the traffic-stopped alert for every provider, critical and without failover', async () => {
    const fired = await queryBy(
      stack,
      `max by (${LABELS.provider}) (max_over_time(ALERTS{alertname="${ALERTS.traffic}", severity="critical", alertstate="firing"}[15m]))`,
      LABELS.provider,
    );
    expect(fired).toEqual({ openai: 1, azure: 1, bedrock: 1 });
    const failover = await queryBy(
      stack,
      `count by (${LABELS.provider}) (max_over_time(ALERTS{alertname="${ALERTS.traffic}", failover="true"}[15m]))`,
      LABELS.provider,
    );
    expect(failover).toEqual({});
  });

  it('e-mailed the on-call and disabled nothing', async () => {
    expect(
      stack.smtp.messages().some((m) => m.subject.startsWith('[FIRING') && m.subject.includes(ALERTS.traffic)),
    ).toBe(true);
    for (const p of ['openai', 'azure', 'bedrock']) expect(disables(await auditRows(stack, p))).toEqual([]);
  });
});
