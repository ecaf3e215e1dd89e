import type { SliId } from '@provider-health/schema';

// The scenario format (demo/scenarios/*.yaml): load, then phases that inject faults into the provider
// wire servers over time, and what the run must show.

/** Steps of the timeline, in the order an incident normally produces them. */
export const STEPS = [
  'outage-start',
  'alert-pending',
  'alert-firing',
  'email-firing',
  'webhook-firing',
  'disabled',
  'traffic-moved',
  'probes',
  'recovery-start',
  'alert-resolved',
  'email-resolved',
  'webhook-resolved',
  'routable-again',
] as const;
export type StepId = (typeof STEPS)[number];

export const STEP_LABELS: Record<StepId, string> = {
  'outage-start': 'outage start (first failed upstream request)',
  'alert-pending': 'alert pending in Prometheus',
  'alert-firing': 'alert firing in Prometheus',
  'email-firing': 'e-mail received',
  'webhook-firing': 'webhook received',
  disabled: 'provider disabled by the server',
  'traffic-moved': 'traffic moved to the other providers',
  probes: 'probe traffic to the disabled provider',
  'recovery-start': 'recovery (faults removed)',
  'alert-resolved': 'alert resolved in Prometheus',
  'email-resolved': 'resolved e-mail received',
  'webhook-resolved': 'resolved webhook received',
  'routable-again': 'provider routable again',
};

/** A fault injected into one provider's wire server (optionally one region or alias of it). */
export interface FaultSpec {
  provider: string;
  region?: string;
  alias?: string;
  /** Share of requests that fail, 0..1 (default 1 when a status is set). */
  errorRate?: number;
  /** HTTP status of failed requests (503, 500, 429...). */
  status?: number;
  /** Added latency per request, seconds. */
  latencySeconds?: number;
  jitterSeconds?: number;
  /** Delay before the first streamed token, seconds. */
  timeToFirstTokenSeconds?: number;
}

export interface LoadSpec {
  /** Requests per second across all tenants. */
  requestsPerSecond: number;
  tenants: string[];
  /** Share of requests that stream, 0..1. */
  streamShare: number;
  aliases: string[];
}

export interface PhaseSpec {
  name: string;
  /** Fixed length in seconds; or the phase ends when `untilStep` is reached (plus `holdSeconds`). */
  durationSeconds?: number;
  untilStep?: StepId;
  holdSeconds: number;
  /** Upper bound for an `untilStep` phase; the run fails when it passes. */
  timeoutSeconds: number;
  faults: FaultSpec[];
  /** Load in this phase as a share of the scenario's load (0 = callers stop). */
  loadFactor: number;
  /** Aliases whose callers stop in this phase (their traffic drops to zero). */
  stoppedAliases: string[];
}

export interface ScenarioExpectation {
  /** The provider the incident is about. */
  provider: string;
  /** SLIs whose alerts must fire for it (alert names come from schema ALERTS). */
  slis: SliId[];
  /** Steps that must all be reached for the run to pass. */
  steps: StepId[];
  /** Providers that must raise no provider alert. */
  quietProviders: string[];
}

export interface Scenario {
  name: string;
  description: string;
  file: string;
  load: LoadSpec;
  phases: PhaseSpec[];
  expect: ScenarioExpectation;
}
