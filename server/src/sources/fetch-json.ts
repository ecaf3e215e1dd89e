// JSON over HTTP with a hard timeout, turning every failure into a SourceError that says why.
import type { SourceState } from '@provider-health/schema';

export class SourceError extends Error {
  constructor(
    readonly state: Exclude<SourceState, 'ok'>,
    message: string,
  ) {
    super(message);
  }
}

export async function fetchJson(url: string, timeoutMs: number, init: RequestInit = {}): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as Error;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') {
      throw new SourceError('timeout', `${new URL(url).origin} did not answer within ${timeoutMs} ms`);
    }
    const cause = (e.cause as Error | undefined)?.message ?? e.message;
    throw new SourceError('unreachable', `${new URL(url).origin} unreachable: ${cause}`);
  }
  const text = await res.text();
  if (!res.ok)
    throw new SourceError(
      'error',
      `${new URL(url).origin}${new URL(url).pathname} answered ${res.status}: ${text.slice(0, 200)}`,
    );
  try {
    return JSON.parse(text);
  } catch {
    throw new SourceError('error', `${new URL(url).origin} answered with invalid JSON`);
  }
}
