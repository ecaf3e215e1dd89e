import type { Deployment } from '@provider-health/schema';
import { APIError } from 'openai';
import { Routes, DEFAULT_POLICY } from './route';
import { NO_TELEMETRY, type RouterTelemetry, type Verdict } from './telemetry';
import { deploymentKey, type ProviderSpec } from './topology';
import type { Upstream } from './upstreams';

const providers: ProviderSpec[] = [
  { id: 'a', kind: 'openai', region: 'r1', models: { m: 'ma' } },
  { id: 'b', kind: 'azure', region: 'r2', models: { m: 'mb' } },
  { id: 'c', kind: 'bedrock', region: 'r3', models: { m: 'mc' } },
];

/** Upstreams that fail with a status per provider (0 = succeed) and log every call. */
function upstreams(status: Record<string, number>, calls: string[]): Map<string, Upstream> {
  const map = new Map<string, Upstream>();
  for (const p of providers) {
    const fail = () => {
      throw new APIError(status[p.id], { error: { message: 'boom' } }, 'boom', new Headers());
    };
    map.set(deploymentKey({ provider: p.id, region: p.region, alias: 'm' }), {
      instrumented: false,
      async complete() {
        calls.push(p.id);
        if (status[p.id]) fail();
        return { text: `from ${p.id}` };
      },
      async stream() {
        calls.push(p.id);
        if (status[p.id]) fail();
        return (async function* () {
          yield { text: 'x' };
        })();
      },
    });
  }
  return map;
}

function telemetry(verdicts: Record<string, Verdict>, events: string[]): RouterTelemetry {
  return {
    ...NO_TELEMETRY,
    mayRoute: (d: Deployment) => verdicts[d.provider] ?? { allow: true, probe: false, reason: 'ok' },
    retry: (d, reason) => void events.push(`retry ${d.provider} ${reason}`),
    failover: (d, to, reason) => void events.push(`failover ${d.provider}->${to} ${reason}`),
  };
}

const request = {
  alias: 'm',
  input: { messages: [{ role: 'user' as const, content: 'hi' }] },
  stream: false,
  tenant: 't',
  signal: new AbortController().signal,
};

describe('Routes', () => {
  it('rotates across routable deployments', async () => {
    const calls: string[] = [];
    const routes = new Routes(providers, upstreams({}, calls), telemetry({}, []));
    for (let i = 0; i < 6; i++) await routes.route(request);
    expect(calls).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
    expect(routes.stats.served).toEqual({ a: 2, b: 2, c: 2 });
  });

  it('retries a failing deployment once, then fails over and records both', async () => {
    const calls: string[] = [];
    const events: string[] = [];
    const routes = new Routes(providers, upstreams({ a: 503 }, calls), telemetry({}, events));
    const r = await routes.route(request);
    expect(r).toMatchObject({ ok: true, deployment: { provider: 'b' }, attempts: 3 });
    expect(calls).toEqual(['a', 'a', 'b']);
    expect(events).toEqual(['retry a server_error', 'failover a->b server_error']);
  });

  it('does not retry or fail over a client error', async () => {
    const calls: string[] = [];
    const routes = new Routes(providers, upstreams({ a: 400 }, calls), telemetry({}, []));
    const r = await routes.route(request);
    expect(r).toMatchObject({ ok: false, error: { outcome: 'client_error', statusCode: 400 } });
    expect(calls).toEqual(['a']);
  });

  it('sends a due probe first, only once, and never to a held-back deployment otherwise', async () => {
    const calls: string[] = [];
    const verdicts: Record<string, Verdict> = { a: { allow: true, probe: true, reason: 'probe' } };
    const routes = new Routes(providers, upstreams({ a: 503 }, calls), telemetry(verdicts, []));
    expect(await routes.route(request)).toMatchObject({ ok: true, deployment: { provider: 'b' } });
    expect(calls).toEqual(['a', 'b']);
    expect(routes.stats.probes).toEqual({ 'a/r1/m': 1 });
    verdicts.a = { allow: false, probe: false, reason: 'disabled' };
    calls.length = 0;
    for (let i = 0; i < 4; i++) await routes.route(request);
    expect(calls).not.toContain('a');
  });

  it('fails open when no deployment is routable, and reports unknown aliases as client errors', async () => {
    const calls: string[] = [];
    const no: Verdict = { allow: false, probe: false, reason: 'disabled' };
    const routes = new Routes(providers, upstreams({}, calls), telemetry({ a: no, b: no, c: no }, []), DEFAULT_POLICY);
    expect(await routes.route(request)).toMatchObject({ ok: true });
    expect(calls).toHaveLength(1);
    expect(await routes.route({ ...request, alias: 'nope' })).toMatchObject({ ok: false, error: { statusCode: 404 } });
  });
});
