// Active provider-health alerts from Alertmanager as incidents of a provider / deployment.
import {
  ANNOTATIONS,
  ALERT_LABELS,
  LABELS,
  SEVERITIES,
  type Deployment,
  type Incident,
  type Severity,
} from '@provider-health/schema';
import type { AmAlert } from '../failover/types';

export function toIncident(a: AmAlert): Incident {
  const severity = (SEVERITIES as readonly string[]).includes(a.labels[ALERT_LABELS.severity])
    ? (a.labels[ALERT_LABELS.severity] as Severity)
    : 'warning';
  const incident: Incident = {
    alert: a.labels.alertname ?? '',
    severity,
    since: a.startsAt,
    summary: a.annotations[ANNOTATIONS.summary] ?? '',
    suggestedAction: a.annotations[ANNOTATIONS.suggestedAction] ?? '',
    fingerprint: a.fingerprint,
  };
  if (a.labels[LABELS.region]) incident.region = a.labels[LABELS.region];
  if (a.labels[LABELS.alias]) incident.alias = a.labels[LABELS.alias];
  return incident;
}

export function incidentCovers(i: Incident, provider: string, d: Deployment): boolean {
  return (
    d.provider === provider &&
    (i.region === undefined || i.region === d.region) &&
    (i.alias === undefined || i.alias === d.alias)
  );
}
