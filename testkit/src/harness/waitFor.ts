// Polling until a condition holds, with a timeout message that says what was awaited and what was last seen.
import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  /** What is awaited, for the timeout message ("Prometheus ready at http://…"). */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
}

type Falsy = undefined | null | false | 0 | '';

/** Calls fn until it returns a truthy value (which is returned) or throws after timeoutMs. Errors thrown by fn count as "not yet". */
export async function waitFor<T>(
  fn: () => T | Falsy | Promise<T | Falsy>,
  { what, timeoutMs = 10_000, intervalMs = 100 }: WaitForOptions,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as T;
      last = value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) throw new Error(timeoutMessage(what, timeoutMs, last, lastError));
    await sleep(intervalMs);
  }
}

function timeoutMessage(what: string, timeoutMs: number, last: unknown, lastError: unknown): string {
  const seen =
    lastError !== undefined
      ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}`
      : `last result: ${JSON.stringify(last)}`;
  return `Timed out after ${timeoutMs} ms waiting for ${what}; ${seen}`;
}
