// Alertmanager's active provider-health alerts (API v2), as webhook-shaped alerts.
import { ALERT_LABELS, COMPONENT } from '@provider-health/schema';
import type { AmAlert } from '../failover/types';
import { fetchJson, SourceError } from './fetch-json';

interface ApiAlert {
  fingerprint: string;
  startsAt: string;
  endsAt: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  generatorURL?: string;
}

export class AlertmanagerClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** Active (including silenced and inhibited) alerts of this component; `failoverOnly` adds failover="true". */
  async activeAlerts(failoverOnly: boolean): Promise<AmAlert[]> {
    const url = new URL('/api/v2/alerts', this.baseUrl);
    url.searchParams.append('filter', `${ALERT_LABELS.component}="${COMPONENT}"`);
    if (failoverOnly) url.searchParams.append('filter', `${ALERT_LABELS.failover}="true"`);
    const body = await fetchJson(url.toString(), this.timeoutMs);
    if (!Array.isArray(body)) throw new SourceError('error', 'Alertmanager /api/v2/alerts did not answer a list');
    return (body as ApiAlert[]).map((a) => ({
      status: 'firing',
      labels: a.labels,
      annotations: a.annotations ?? {},
      startsAt: a.startsAt,
      endsAt: a.endsAt,
      fingerprint: a.fingerprint,
      generatorURL: a.generatorURL,
    }));
  }

  async reload(): Promise<void> {
    await fetchJson(new URL('/-/reload', this.baseUrl).toString(), this.timeoutMs, { method: 'POST' }).catch((e) => {
      // /-/reload answers plain text, not JSON; only a non-2xx or a network error matters.
      if (e instanceof SourceError && e.message.includes('invalid JSON')) return;
      throw e;
    });
  }
}
