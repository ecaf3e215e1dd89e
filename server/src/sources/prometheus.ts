// A small Prometheus HTTP API client: instant and range queries with a timeout.
import { fetchJson, SourceError } from './fetch-json';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}
export interface RangeSeries {
  labels: Record<string, string>;
  values: Array<[number, number | null]>;
}

interface PromAnswer {
  status: string;
  error?: string;
  data?: {
    resultType: string;
    result: Array<{ metric: Record<string, string>; value?: [number, string]; values?: Array<[number, string]> }>;
  };
}

const num = (v: string): number | null => {
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};

export class PrometheusClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  async query(promql: string): Promise<Sample[]> {
    const data = await this.call('/api/v1/query', { query: promql });
    return data.map((r) => ({ labels: r.metric, value: Number(r.value?.[1]) }));
  }

  async queryRange(promql: string, startSec: number, endSec: number, stepSec: number): Promise<RangeSeries[]> {
    const data = await this.call('/api/v1/query_range', {
      query: promql,
      start: String(startSec),
      end: String(endSec),
      step: String(stepSec),
    });
    return data.map((r) => ({ labels: r.metric, values: (r.values ?? []).map(([t, v]) => [t, num(v)]) }));
  }

  private async call(path: string, params: Record<string, string>) {
    const body = new URLSearchParams(params).toString();
    const answer = (await fetchJson(new URL(path, this.baseUrl).toString(), this.timeoutMs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })) as PromAnswer;
    if (answer.status !== 'success' || !answer.data)
      throw new SourceError('error', `Prometheus: ${answer.error ?? 'query failed'}`);
    return answer.data.result;
  }
}

/** Quotes a label value for PromQL (label values here are validated ids, but never trust that). */
export const promString = (v: string) => JSON.stringify(v);
export const matcher = (labels: Record<string, string>) =>
  '{' +
  Object.entries(labels)
    .map(([k, v]) => `${k}=${promString(v)}`)
    .join(',') +
  '}';
