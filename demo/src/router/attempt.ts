// One upstream call, timed and recorded as one attempt. A stream counts as started only once its first
// event arrived, so a provider failing before any token can still be failed over.
import type { Deployment } from '@provider-health/schema';
import { classify, type Classified } from './outcome';
import type { AttemptTimer, RouterTelemetry } from './telemetry';
import type { ChatInput, Reply, StreamEvent, Upstream, Usage } from './upstreams';

export type AttemptOutcome =
  { ok: true; reply: Reply } | { ok: true; stream: AsyncIterable<StreamEvent> } | { ok: false; error: Classified };

export interface AttemptCall {
  telemetry: RouterTelemetry;
  upstream: Upstream;
  deployment: Deployment;
  model: string;
  input: ChatInput;
  stream: boolean;
  tenant: string;
  resendCount: number;
  signal: AbortSignal;
}

export async function runAttempt(c: AttemptCall): Promise<AttemptOutcome> {
  // An instrumented client records the attempt itself; timing it here too would count it twice.
  const timer = c.upstream.instrumented
    ? UNTIMED
    : c.telemetry.startAttempt(c.deployment, { tenant: c.tenant, resendCount: c.resendCount });
  try {
    if (!c.stream) {
      const reply = await c.upstream.complete(c.model, c.input, c.signal);
      timer.end({ outcome: 'success', statusCode: 200, ...tokens(reply.usage) });
      return { ok: true, reply };
    }
    const events = (await c.upstream.stream(c.model, c.input, c.signal))[Symbol.asyncIterator]();
    const first = await events.next();
    timer.firstToken();
    return { ok: true, stream: continueStream(first, events, timer, c.signal) };
  } catch (err) {
    const error = classify(err, c.signal);
    timer.end({ outcome: error.outcome, statusCode: error.statusCode });
    return { ok: false, error };
  }
}

async function* continueStream(
  first: IteratorResult<StreamEvent>,
  rest: AsyncIterator<StreamEvent>,
  timer: AttemptTimer,
  signal: AbortSignal,
): AsyncGenerator<StreamEvent> {
  let usage: Usage | undefined;
  let finished = false;
  try {
    for (let r = first; !r.done; r = await rest.next()) {
      if ('usage' in r.value) usage = r.value.usage;
      yield r.value;
    }
    finished = true;
    timer.end({ outcome: 'success', statusCode: 200, ...tokens(usage) });
  } catch (err) {
    finished = true;
    const e = classify(err, signal);
    timer.end({ outcome: e.outcome, statusCode: e.statusCode, ...tokens(usage) });
    throw err;
  } finally {
    // The caller went away mid-stream: the provider is not to blame.
    if (!finished) timer.end({ outcome: 'canceled' });
  }
}

const UNTIMED: AttemptTimer = { firstToken: () => undefined, end: () => undefined };

const tokens = (u: Usage | undefined) => (u ? { inputTokens: u.input, outputTokens: u.output } : {});
