// The public record types of the package.
import type { Deployment, Outcome, Reason } from '@provider-health/schema';

export type { Deployment, Outcome, Reason };

/** One upstream call: a request that is retried or failed over makes several. */
export interface AttemptRecord extends Deployment {
  outcome: Outcome;
  /** Upstream HTTP status; omitted when there was no response (timeout, network, canceled). */
  statusCode?: number;
  /** From sending the request to the end of the response body. */
  latencySeconds: number;
  /** Streams only: from sending to the first content chunk. */
  timeToFirstTokenSeconds?: number;
  inputTokens?: number;
  outputTokens?: number;
  /** Raw tenant id; bounded and scrubbed before it becomes a label. Defaults to the request scope's. */
  tenant?: string;
}

/** What startAttempt().end() takes: the attempt's result, timed by the handle. */
export type AttemptResult = Omit<AttemptRecord, keyof Deployment | 'latencySeconds' | 'timeToFirstTokenSeconds'> & {
  /** Set when the attempt's first content chunk arrived before end(); or call firstToken(). */
  timeToFirstTokenSeconds?: number;
};

export interface AttemptHandle {
  /** Marks the first content chunk of a stream (time to first token). */
  firstToken(): void;
  /** Records the attempt once; later calls are ignored. */
  end(result: AttemptResult): void;
}

/** What a router may do with a deployment right now. */
export interface RouteVerdict {
  allow: boolean;
  /** True when the deployment is disabled but a probe request is due: send it and record it as usual. */
  probe: boolean;
  reason: string;
}
