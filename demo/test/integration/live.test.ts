// The live tests. Stack A plays the default scenario end to end, with the resilience checks done during
// the incident, then the Bedrock latency spike; every step is asserted from the artefacts it leaves
// (Prometheus, SMTP catcher, webhook catcher, audit log, health API, router metrics). Stack B, started at
// the same time, plays callers-stop: its alert needs the 5-minute window to drain, so it runs alongside
// instead of after (Jest gives this file one worker).
import { ALERTS, ANNOTATIONS, INSTRUMENTS, LABELS, type ProviderHealth } from '@provider-health/schema';
import { amAlerts, promAlerts, waitFor } from '@provider-health/testkit';
import { DEFAULT_SCENARIO, loadScenario } from '../../src/scenario';
import { startStack, type Stack } from '../../src/stack/stack';
import { runScenario, type RunResult } from '../../src/run/runner';
import { WEBHOOK_PATHS } from '../../src/stack/config';
import { caughtAlerts } from '../../src/webhook/catcher';
import { auditRows, disables, providerHealth, queryBy, routerRoutable, type AuditRow } from '../support/api';

jest.setTimeout(10 * 60_000);
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const ERROR_ALERT = ALERTS.errorRatio;
const requests = INSTRUMENTS.requests.prometheus;

interface DuringIncident {
  healthWhileDisabled?: ProviderHealth;
  trafficWhileDisabled?: Record<string, number>;
  azureAttemptsWhileDisabled?: number;
  disablesBefore?: AuditRow[];
  prometheusRestart?: { healthAfter?: ProviderHealth; firingAgain: boolean; disablesAfter: AuditRow[] };
  alertmanagerRestart?: { disablesAfter: AuditRow[]; notificationsAfter: AuditRow[] };
  serverStopped?: {
    routable: Record<string, number>;
    verdicts: Array<{ allow: boolean; probe: boolean }>;
    stale?: boolean;
    windowJudged?: boolean;
  };
}

let stack: Stack;
let result: RunResult;
let latency: RunResult;
let callersStack: Stack;
let callers: RunResult;
const during: DuringIncident = {};

const isAzureCritical = (l: Record<string, string>) =>
  l.alertname === ERROR_ALERT && l.provider === 'azure' && l.severity === 'critical';

async function resilience(): Promise<void> {
  const at = new Date();
  during.healthWhileDisabled = await providerHealth(stack, 'azure');
  during.trafficWhileDisabled = await queryBy(
    stack,
    `sum by (${LABELS.provider}) (increase(${requests}{${LABELS.outcome}="success"}[20s]))`,
    LABELS.provider,
    at,
  );
  during.azureAttemptsWhileDisabled = (
    await queryBy(
      stack,
      `sum by (${LABELS.provider}) (increase(${requests}{${LABELS.provider}="azure"}[30s]))`,
      LABELS.provider,
    )
  ).azure;
  // Scopes may act one after the other (alias, region): the restarts start once every azure deployment is disabled.
  await waitFor(async () => (await providerHealth(stack, 'azure'))?.deployments.every((d) => !d.routable), {
    what: 'every azure deployment disabled',
    timeoutMs: 60_000,
    intervalMs: 1_000,
  });
  during.disablesBefore = disables(await auditRows(stack, 'azure'));

  // Prometheus restarts mid-incident: the decision stays, and the alert fires again from the probes' errors.
  await stack.processes.prometheus.restart();
  const healthAfter = await providerHealth(stack, 'azure');
  const firingAgain = await waitFor(
    async () =>
      (await promAlerts(stack.urls.prometheus)).some((a) => isAzureCritical(a.labels) && a.state === 'firing'),
    {
      what: 'the azure critical alert firing again after the Prometheus restart',
      timeoutMs: 90_000,
      intervalMs: 1_000,
    },
  );
  await sleep(15_000); // one Alertmanager group interval and a reconcile
  during.prometheusRestart = { healthAfter, firingAgain, disablesAfter: disables(await auditRows(stack, 'azure')) };

  // Alertmanager restarts: it may notify again; the server must not act twice.
  const restartedAt = new Date();
  await stack.processes.alertmanager.restart();
  await waitFor(async () => (await amAlerts(stack.urls.alertmanager)).some((a) => isAzureCritical(a.labels)), {
    // Prometheus resends active alerts once per --rules.alert.resend-delay (1m by default).
    what: 'the azure alert back in Alertmanager',
    timeoutMs: 90_000,
    intervalMs: 1_000,
  });
  await sleep(15_000);
  const rows = await auditRows(stack, 'azure');
  during.alertmanagerRestart = {
    disablesAfter: disables(rows),
    notificationsAfter: rows.filter((r) => r.kind === 'notification' && new Date(r.at) > restartedAt),
  };

  // The server stops: the router keeps its last known states and its in-process window.
  await stack.processes.server.stop();
  await sleep(8_000);
  const telemetry = stack.router.instrumentation!;
  const azure = stack.providers.find((p) => p.id === 'azure')!;
  const deployments = Object.keys(azure.models).map((alias) => ({ provider: 'azure', region: azure.region, alias }));
  during.serverStopped = {
    routable: await routerRoutable(stack, 'azure'),
    verdicts: deployments.map((d) => telemetry.mayRoute(d)),
    stale: telemetry.healthApiStatus()?.stale,
    windowJudged: deployments.some((d) => telemetry.windowReading(d) !== undefined),
  };
  await stack.processes.server.start();
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** When the default scenario ran on stack A: its Prometheus checks look at this span only. */
const azureRun = { start: new Date(), end: new Date() };

async function stackA(): Promise<void> {
  stack = await startStack();
  azureRun.start = new Date();
  result = await runScenario(stack, loadScenario(DEFAULT_SCENARIO), { seed: 7, whenReached: { outage: resilience } });
  azureRun.end = new Date();
  const shipped = loadScenario('bedrock-latency-spike');
  // The alert and its notifications are what this test is about; the slow recovery of a p95 is not.
  const untilFiring = {
    ...shipped,
    phases: shipped.phases.filter((p) => p.name !== 'recovery'),
    expect: {
      ...shipped.expect,
      steps: shipped.expect.steps.filter((s) => s !== 'recovery-start' && s !== 'alert-resolved'),
    },
  };
  latency = await runScenario(stack, untilFiring, { seed: 13, settleSeconds: 30 });
}

async function stackB(): Promise<void> {
  callersStack = await startStack();
  // Half the steady period of the shipped file: a minute of traffic is history enough for the alert.
  callers = await runScenario(callersStack, loadScenario('callers-stop'), { seed: 11, timeScale: 0.5 });
}

beforeAll(async () => {
  await Promise.all([stackA(), stackB()]);
});

afterAll(async () => {
  await Promise.all([stack?.stop(), callersStack?.stop()]);
});

describe('azure-outage, end to end', () => {
  it('reaches every step of the timeline, with no unexpected alert', () => {
    expect({ error: result.error, missing: result.missing, violations: result.violations }).toEqual({
      error: undefined,
      missing: [],
      violations: [],
    });
    const t = result.timeline;
    expect(t.seconds('outage-start', 'alert-firing')).toBeGreaterThan(0);
    expect(t.seconds('alert-firing', 'recovery-start')).toBeGreaterThan(0);
    expect(t.seconds('recovery-start', 'routable-again')).toBeGreaterThan(0);
  });

  it('fired the critical failover alert for azure in Prometheus, and nothing for openai or bedrock', async () => {
    const fired = await queryBy(
      stack,
      `max by (${LABELS.provider}) (max_over_time(ALERTS{alertname="${ERROR_ALERT}", severity="critical", failover="true", alertstate="firing"}[15m]))`,
      LABELS.provider,
    );
    expect(fired).toEqual({ azure: 1 });
    // Only while the default scenario ran: the latency spike afterwards alerts for bedrock on purpose.
    const span = Math.ceil((azureRun.end.getTime() - azureRun.start.getTime()) / 1000);
    const others = await queryBy(
      stack,
      `count by (${LABELS.provider}) (max_over_time(ALERTS{${LABELS.provider}=~"openai|bedrock"}[${span}s]))`,
      LABELS.provider,
      azureRun.end,
    );
    expect(others).toEqual({});
  });

  it('e-mailed the on-call: recipient, subject naming the provider, the suggested action in the body', () => {
    const hook = caughtAlerts(stack.webhooks.received(), WEBHOOK_PATHS.budget).find(
      (a) => a.status === 'firing' && isAzureCritical(a.labels),
    );
    expect(hook).toBeDefined();
    const action = hook!.annotations[ANNOTATIONS.suggestedAction];
    expect(action.length).toBeGreaterThan(20);
    const mail = stack.smtp.messages().find((m) => m.subject.startsWith('[FIRING') && m.subject.includes(ERROR_ALERT));
    expect(mail).toBeDefined();
    expect(mail!.to).toEqual([stack.config.emailTo]);
    expect(mail!.subject).toMatch(/ azure /);
    expect(mail!.text).toContain(`Suggested action: ${action}`);
  });

  it('sent resolved notifications for the critical alert after recovery, by e-mail and webhook', () => {
    const resolved = stack.smtp
      .messages()
      .filter((m) => m.subject.startsWith('[RESOLVED]') && m.subject.includes(' azure '));
    expect(resolved.some((m) => m.text.includes('[RESOLVED] critical:'))).toBe(true);
    const hooks = caughtAlerts(stack.webhooks.received(), WEBHOOK_PATHS.budget);
    const recovery = result.timeline.get('recovery-start')!.at;
    expect(hooks.some((a) => a.status === 'resolved' && isAzureCritical(a.labels) && a.receivedAt > recovery)).toBe(
      true,
    );
  });

  it('disabled azure in the health API while the outage lasted, and made it routable again after', async () => {
    const h = during.healthWhileDisabled!;
    expect(h.status).toBe('down');
    const disabled = h.deployments.filter((d) => !d.routable);
    expect(disabled.length).toBeGreaterThan(0);
    for (const d of disabled) {
      expect(d.decision).toMatchObject({ state: 'disabled', alert: ERROR_ALERT, scope: { provider: 'azure' } });
      expect(d.decision!.probeRatePerMin).toBeGreaterThan(0);
    }
    const now = await providerHealth(stack, 'azure');
    expect(now!.deployments.every((d) => d.routable)).toBe(true);
    expect(now!.status).not.toBe('down');
  });

  it('moved traffic to openai and bedrock while azure only got probes, per Prometheus', () => {
    const t = during.trafficWhileDisabled!;
    expect(t.azure ?? 0).toBe(0);
    expect(t.openai).toBeGreaterThan(0);
    expect(t.bedrock).toBeGreaterThan(0);
    expect(during.azureAttemptsWhileDisabled).toBeGreaterThan(0);
  });

  it('audited the notification it acted on, one disable per scope, and the end of the decision', async () => {
    const rows = await auditRows(stack, 'azure');
    const acted = rows.filter((r) => r.kind === 'notification' && r.mark === 'acted' && r.alert === ERROR_ALERT);
    expect(acted.length).toBeGreaterThan(0);
    const scopes = disables(rows).map((r) => r.scopeKey);
    expect(scopes.length).toBeGreaterThan(0);
    expect(new Set(scopes).size).toBe(scopes.length);
    const ended = rows.filter((r) => r.kind === 'decision' && r.status === 'ended').map((r) => r.scopeKey);
    expect(ended.sort()).toEqual([...scopes].sort());
  });
});

/** Every decision from before is still the one in force, and no scope was disabled a second time. */
function expectOneDisablePerScope(after: AuditRow[]): void {
  const before = during.disablesBefore!;
  expect(after.map((d) => d.id)).toEqual(expect.arrayContaining(before.map((d) => d.id)));
  const scopes = after.map((d) => d.scopeKey);
  expect(scopes.length).toBe(new Set(scopes).size);
}

describe('resilience during the incident', () => {
  it('Prometheus restart: azure stays disabled and the alert fires again without a second disable', () => {
    const r = during.prometheusRestart!;
    expect(r.healthAfter!.deployments.some((d) => !d.routable && d.decision?.state === 'disabled')).toBe(true);
    expect(r.firingAgain).toBe(true);
    expectOneDisablePerScope(r.disablesAfter);
  });

  it('Alertmanager restart: no duplicate action', () => {
    const r = during.alertmanagerRestart!;
    expectOneDisablePerScope(r.disablesAfter);
    for (const n of r.notificationsAfter) expect(['duplicate', 'acted', 'stale']).toContain(n.mark);
  });

  it('server stopped: the router keeps its last known states and its in-process window', () => {
    const r = during.serverStopped!;
    expect(r.stale).toBe(true);
    expect(Object.values(r.routable)).toContain(0);
    expect(r.verdicts.some((v) => !v.allow || v.probe)).toBe(true);
    expect(r.windowJudged).toBe(true);
  });
});

describe('bedrock-latency-spike, on the same stack afterwards', () => {
  it('fires the p95 latency alert for bedrock only, as a warning that notifies and never fails over', async () => {
    expect({ error: latency.error, missing: latency.missing, violations: latency.violations }).toEqual({
      error: undefined,
      missing: [],
      violations: [],
    });
    const fired = await queryBy(
      stack,
      `max by (${LABELS.provider}, severity) (max_over_time(ALERTS{alertname="${ALERTS.latencyP95}", alertstate="firing"}[5m]))`,
      LABELS.provider,
    );
    expect(Object.keys(fired)).toEqual(['bedrock']);
    expect(
      stack.smtp.messages().some((m) => m.subject.includes(ALERTS.latencyP95) && m.subject.includes('bedrock')),
    ).toBe(true);
    expect(disables(await auditRows(stack, 'bedrock'))).toEqual([]);
  });
});

describe('callers-stop, on its own stack', () => {
  it('reaches every expected step', () => {
    expect({ error: callers.error, missing: callers.missing }).toEqual({ error: undefined, missing: [] });
  });

  it('fired the traffic-stopped alert for every provider, critical and without failover', async () => {
    const fired = await queryBy(
      callersStack,
      `max by (${LABELS.provider}) (max_over_time(ALERTS{alertname="${ALERTS.traffic}", severity="critical", alertstate="firing"}[15m]))`,
      LABELS.provider,
    );
    expect(fired).toEqual({ openai: 1, azure: 1, bedrock: 1 });
    const failover = await queryBy(
      callersStack,
      `count by (${LABELS.provider}) (max_over_time(ALERTS{alertname="${ALERTS.traffic}", failover="true"}[15m]))`,
      LABELS.provider,
    );
    expect(failover).toEqual({});
  });

  it('e-mailed the on-call and disabled nothing', async () => {
    const mail = callersStack.smtp.messages();
    expect(mail.some((m) => m.subject.startsWith('[FIRING') && m.subject.includes(ALERTS.traffic))).toBe(true);
    for (const p of ['openai', 'azure', 'bedrock']) expect(disables(await auditRows(callersStack, p))).toEqual([]);
  });
});
