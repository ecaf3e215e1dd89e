// Reads the stack's real artefacts for assertions: health API, audit log, router metrics, Prometheus.
import { API_PATHS, INSTRUMENTS, LABELS, type HealthResponse, type ProviderHealth } from '@provider-health/schema';
import { promQuery } from '@provider-health/testkit';
import type { Stack } from '../../src/stack/stack';

/** The audit row fields the tests read (server/src/audit/audit-log.ts AuditRow). */
export interface AuditRow {
  id: number;
  at: string;
  kind: string;
  mark?: string;
  provider?: string;
  scopeKey?: string;
  alert?: string;
  status?: string;
  decisionId?: string;
}

async function getJson<T>(url: string, token: string): Promise<T> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function providerHealth(stack: Stack, provider: string): Promise<ProviderHealth | undefined> {
  const body = await getJson<HealthResponse>(`${stack.urls.server}${API_PATHS.health}`, stack.tokens.read);
  return body.providers.find((p) => p.provider === provider);
}

export async function auditRows(stack: Stack, provider: string): Promise<AuditRow[]> {
  const body = await getJson<{ rows: AuditRow[] }>(
    `${stack.urls.server}${API_PATHS.audit}?provider=${provider}&limit=10000`,
    stack.tokens.admin,
  );
  return body.rows;
}

/** Decision rows that disabled something: one per scope per incident is the contract. */
export const disables = (rows: AuditRow[]) => rows.filter((r) => r.kind === 'decision' && r.status === 'disabled');

/** provider_routable as the router exports it, per alias, for one provider. */
export async function routerRoutable(stack: Stack, provider: string): Promise<Record<string, number>> {
  const text = await (await fetch(stack.urls.routerMetrics)).text();
  const out: Record<string, number> = {};
  const name = INSTRUMENTS.routable.prometheus;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(`${LABELS.provider}="${provider}"`)) continue;
    const alias = new RegExp(`${LABELS.alias}="([^"]+)"`).exec(line)?.[1] ?? '';
    out[alias] = Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return out;
}

/** An instant query as {label value -> number}, keyed by one label. */
export async function queryBy(stack: Stack, expr: string, label: string, time?: Date): Promise<Record<string, number>> {
  const samples = await promQuery(stack.urls.prometheus, expr, time);
  return Object.fromEntries(samples.map((s) => [s.metric[label] ?? '', Number(s.value[1])]));
}
