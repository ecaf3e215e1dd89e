// Small clients for the Prometheus and Alertmanager HTTP APIs that tests read results from.

export interface PromSample {
  metric: Record<string, string>;
  /** [unix seconds, value as text] */
  value: [number, string];
}
export interface PromSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** An alert as Alertmanager's /api/v2/alerts returns it (the fields tests use). */
export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  receivers: { name: string }[];
}

/** What POST /api/v2/alerts takes. */
export interface AmPostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

type Time = Date | number;
const unixSeconds = (t: Time): string => String(t instanceof Date ? t.getTime() / 1000 : t);

async function getJson(url: string, what: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} from ${url}: ${text.trim()}`);
  return JSON.parse(text);
}

async function promApi<T>(base: string, endpoint: string, params: Record<string, string>): Promise<T> {
  const url = `${base.replace(/\/+$/, '')}/api/v1/${endpoint}?${new URLSearchParams(params)}`;
  // Prometheus' envelope: {status, data} or {status: 'error', errorType, error}.
  const body = (await getJson(url, `Prometheus ${endpoint} ${params.query ?? ''}`)) as {
    status: string;
    data: T;
    error?: string;
  };
  if (body.status !== 'success') throw new Error(`Prometheus ${endpoint} failed: ${body.error ?? 'unknown error'}`);
  return body.data;
}

/** An instant query; returns the vector (a scalar result comes back as one sample without labels). */
export async function promQuery(url: string, expr: string, time?: Time): Promise<PromSample[]> {
  const params: Record<string, string> = { query: expr, ...(time !== undefined ? { time: unixSeconds(time) } : {}) };
  const data = await promApi<{ resultType: string; result: unknown }>(url, 'query', params);
  if (data.resultType === 'scalar') return [{ metric: {}, value: data.result as [number, string] }];
  if (data.resultType !== 'vector') throw new Error(`promQuery(${expr}): expected a vector, got ${data.resultType}`);
  return data.result as PromSample[];
}

/** A range query; returns the matrix. */
export async function promQueryRange(
  url: string,
  expr: string,
  start: Time,
  end: Time,
  stepSeconds: number,
): Promise<PromSeries[]> {
  const params = { query: expr, start: unixSeconds(start), end: unixSeconds(end), step: String(stepSeconds) };
  const data = await promApi<{ resultType: string; result: unknown }>(url, 'query_range', params);
  return data.result as PromSeries[];
}

/** Alerts as Prometheus' rule manager sees them (pending and firing). */
export async function promAlerts(url: string): Promise<
  {
    labels: Record<string, string>;
    annotations: Record<string, string>;
    state: string;
    activeAt: string;
    value: string;
  }[]
> {
  const data = await promApi<{ alerts: never[] }>(url, 'alerts', {});
  return data.alerts;
}

/** Alertmanager's current alerts (active, silenced and inhibited). */
export async function amAlerts(url: string, filter: string[] = []): Promise<AmAlert[]> {
  const query = new URLSearchParams(filter.map((f): [string, string] => ['filter', f]));
  const suffix = filter.length > 0 ? `?${query}` : '';
  return (await getJson(`${url.replace(/\/+$/, '')}/api/v2/alerts${suffix}`, 'Alertmanager alerts')) as AmAlert[];
}

/** Posts alerts to Alertmanager as Prometheus would. */
export async function amPostAlerts(url: string, alerts: AmPostableAlert[]): Promise<void> {
  const response = await fetch(`${url.replace(/\/+$/, '')}/api/v2/alerts`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(alerts),
  });
  if (!response.ok) throw new Error(`Alertmanager refused alerts: HTTP ${response.status}: ${await response.text()}`);
}
