// A deterministic mix of attempts covering every outcome, status, token and stream case.
import { OUTCOMES } from '@provider-health/schema';
import type { AttemptRecord } from '../../src/types';

export function scriptedAttempts(n: number, tenants = 5): AttemptRecord[] {
  const out: AttemptRecord[] = [];
  for (let i = 0; i < n; i++) {
    const outcome = OUTCOMES[i % OUTCOMES.length];
    const status =
      outcome === 'success'
        ? 200
        : outcome === 'rate_limited'
          ? 429
          : outcome === 'server_error'
            ? 503
            : outcome === 'client_error'
              ? 400
              : undefined;
    out.push({
      provider: i % 3 === 0 ? 'azure' : 'openai',
      alias: i % 2 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
      region: i % 3 === 0 ? 'eastus' : 'us',
      outcome,
      statusCode: status,
      latencySeconds: ((i * 7919) % 5000) / 1000,
      timeToFirstTokenSeconds: i % 4 === 0 ? ((i * 31) % 900) / 1000 : undefined,
      inputTokens: outcome === 'success' ? 10 + (i % 17) : undefined,
      outputTokens: outcome === 'success' ? 5 + (i % 13) : undefined,
      tenant: `tenant-${i % tenants}`,
    });
  }
  return out;
}
