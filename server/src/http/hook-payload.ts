// Validates Alertmanager's webhook payload (version 4) before anything is recorded.
import type { AmAlert } from '../failover/types';

export interface HookPayload {
  alerts: AmAlert[];
  truncatedAlerts: number;
}

export function parseHookPayload(body: unknown): { ok: true; payload: HookPayload } | { ok: false; error: string } {
  if (typeof body !== 'object' || body === null) return { ok: false, error: 'body must be a JSON object' };
  const b = body as Record<string, unknown>;
  if (b.version !== undefined && b.version !== '4')
    return { ok: false, error: `unsupported payload version ${String(b.version)}; expected "4"` };
  if (!Array.isArray(b.alerts)) return { ok: false, error: 'alerts must be a list' };
  const alerts: AmAlert[] = [];
  for (const [i, raw] of b.alerts.entries()) {
    const a = raw as Record<string, unknown>;
    const problem = alertProblem(a);
    if (problem) return { ok: false, error: `alerts[${i}]: ${problem}` };
    alerts.push({
      status: a.status as AmAlert['status'],
      labels: a.labels as Record<string, string>,
      annotations: (a.annotations ?? {}) as Record<string, string>,
      startsAt: a.startsAt as string,
      endsAt: (a.endsAt as string | undefined) ?? '',
      fingerprint: a.fingerprint as string,
      generatorURL: a.generatorURL as string | undefined,
    });
  }
  const truncated = typeof b.truncatedAlerts === 'number' ? b.truncatedAlerts : 0;
  return { ok: true, payload: { alerts, truncatedAlerts: truncated } };
}

function alertProblem(a: Record<string, unknown>): string | undefined {
  if (typeof a !== 'object' || a === null) return 'must be an object';
  if (a.status !== 'firing' && a.status !== 'resolved') return 'status must be "firing" or "resolved"';
  if (!isStringMap(a.labels)) return 'labels must be an object of strings';
  if (a.annotations !== undefined && !isStringMap(a.annotations)) return 'annotations must be an object of strings';
  if (typeof a.fingerprint !== 'string' || a.fingerprint === '') return 'fingerprint is required';
  if (typeof a.startsAt !== 'string' || Number.isNaN(Date.parse(a.startsAt)))
    return 'startsAt must be an RFC 3339 time';
  if (a.endsAt !== undefined && typeof a.endsAt !== 'string') return 'endsAt must be a string';
  return undefined;
}

const isStringMap = (v: unknown) =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
