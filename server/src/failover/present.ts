// Decision records as the API shows them (schema Decision).
import type { Decision } from '@provider-health/schema';
import type { DecisionRecord, Pin } from './types';

export function toApiDecision(d: DecisionRecord, pinned?: Pin): Decision {
  const out: Decision = {
    id: d.id,
    state: d.state,
    since: new Date(d.since).toISOString(),
    scope: d.scope,
    alert: d.alert,
    probeRatePerMin: d.probeRatePerMin,
    minDisabledUntil: new Date(d.minDisabledUntil).toISOString(),
  };
  if (d.dryRun) out.wouldBe = d.state;
  if (pinned) out.pinned = pinned;
  return out;
}
