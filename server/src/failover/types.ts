// The failover domain: notifications as Alertmanager sends them and decisions as stored.
import type { DecisionScope, DecisionState } from '@provider-health/schema';

/** One alert of Alertmanager's webhook payload (version 4). */
export interface AmAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  fingerprint: string;
  generatorURL?: string;
}

/** A failover alert a decision is made of; a decision can gather several (one per SLI). */
export interface DecisionAlert {
  alertname: string;
  sli?: string;
  firing: boolean;
  startsAt: string;
  labels: Record<string, string>;
}

export interface DecisionRecord {
  id: string;
  scopeKey: string;
  scope: DecisionScope;
  state: DecisionState;
  since: number;
  alert: string;
  alerts: Record<string, DecisionAlert>;
  probeRatePerMin: number;
  minDisabledMs: number;
  minDisabledUntil: number;
  backoffLevel: number;
  createdAt: number;
  endedAt?: number;
  reason?: string;
  dryRun: boolean;
}

export type Pin = 'routable' | 'disabled';
export interface Override {
  scopeKey: string;
  scope: DecisionScope;
  pin: Pin;
  reason?: string;
  at: number;
  role: string;
}
