// Status mapping of DESIGN §5, per deployment and aggregated per provider.
import type { HealthStatus, Incident } from '@provider-health/schema';

export interface StatusInputs {
  /** Why data could not be read, when it could not. */
  unreadable?: string;
  routable: boolean;
  incidents: Incident[];
  attemptsPerSec: number | undefined;
  minVolume: number | undefined;
}

export function deploymentStatus(i: StatusInputs): { status: HealthStatus; reason?: string } {
  if (!i.routable) return { status: 'down', reason: 'not routable (failover decision or manual pin)' };
  if (i.incidents.some((x) => x.severity === 'critical')) return { status: 'down' };
  if (i.unreadable) return { status: 'unknown', reason: i.unreadable };
  if (i.incidents.some((x) => x.severity === 'warning')) return { status: 'degraded' };
  if (i.attemptsPerSec === undefined || i.minVolume === undefined || i.attemptsPerSec < i.minVolume) {
    return {
      status: 'no_traffic',
      reason: `attempts/s ${fmt(i.attemptsPerSec)} below the minimum volume ${fmt(i.minVolume)}`,
    };
  }
  return { status: 'healthy' };
}

/** A provider is as bad as its worst deployment; no_traffic only when none has traffic. */
export function providerStatus(statuses: HealthStatus[]): HealthStatus {
  for (const s of ['down', 'unknown', 'degraded', 'healthy'] as const) if (statuses.includes(s)) return s;
  return statuses.length > 0 ? 'no_traffic' : 'unknown';
}

const fmt = (v: number | undefined) => (v === undefined ? 'unknown' : String(Math.round(v * 1000) / 1000));
