// What each provider alert says: the SLI's human name, the unit it is shown in, the summary, the
// description and the action an on-call engineer should take.
import { LABELS, type SliId } from '@provider-health/schema';
import type { Format, Template } from './template';

export interface AlertText {
  noun: string;
  format: Format;
  suggestedAction: string;
}

export const ALERT_TEXT: Record<SliId, AlertText> = {
  errorRatio: {
    noun: 'error ratio (5xx, timeouts, network errors)',
    format: 'percentage',
    suggestedAction:
      "Check the provider's status page and the router logs for the failing status codes. If critical, confirm the " +
      'router moved traffic away (GET /admin/providers/health) and open a ticket with the provider; if the errors ' +
      'come from our side (credentials, request shape), fix that and pin the deployment routable via ' +
      '/admin/failover/overrides.',
  },
  latencyP95: {
    noun: 'p95 latency of successful attempts',
    format: 'duration',
    suggestedAction:
      "Compare with the provider's status page and with time to first token (a slow start points at the provider, " +
      'a long tail at larger prompts or max_tokens). If critical, confirm traffic moved to another provider; check ' +
      'that router timeouts stay below the latency tenants accept.',
  },
  rateLimited: {
    noun: 'share of attempts rate limited (429)',
    format: 'percentage',
    suggestedAction:
      'The provider is throttling us: compare requests and tokens per minute with the quota of this deployment, ' +
      'look for a tenant burst (provider_requests_total by tenant), then raise the quota or spread load over more ' +
      'deployments or regions.',
  },
  failoverRate: {
    noun: 'share of attempts failed over to another provider',
    format: 'percentage',
    suggestedAction:
      'The router keeps failing away from this deployment: see which reasons dominate (provider_failovers_total by ' +
      'reason and to_provider) and whether the providers it fails over to have the capacity and quota to take the load.',
  },
  traffic: {
    noun: 'rate of successful attempts',
    format: 'rate',
    suggestedAction:
      'A routable provider gets no successful traffic in this region: check the router logs and its routing ' +
      'configuration and credentials for this region, and whether a deploy or config change removed the provider ' +
      'without updating provider_routable.',
  },
};

/** "<provider> in region <region>" or "<provider> alias <alias>": what an alert's scope names. */
export function scopeParts(scope: 'region' | 'alias'): Template {
  return scope === 'region'
    ? [{ label: LABELS.provider }, { label: LABELS.region, prefix: ' in region ' }]
    : [{ label: LABELS.provider }, { label: LABELS.alias, prefix: ' alias ' }];
}
