// Free loopback ports for the services the demo starts.
// The same free-port helper the tests use, so the demo and the tests find ports one way.
export { freePort, LOOPBACK } from '@provider-health/testkit';

/** GET url and report whether it answered 2xx; for readiness checks. */
export async function httpOk(url: string, init: RequestInit = {}): Promise<boolean> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(2_000) });
  await res.arrayBuffer();
  return res.ok;
}
