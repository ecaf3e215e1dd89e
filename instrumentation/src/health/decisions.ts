// Which server decision covers a deployment, from one health API response (DESIGN §5).
import type { Decision, Deployment, HealthResponse } from '@provider-health/schema';

export interface ServerView {
  /** A deployment the server listed: its routable flag and decision. */
  readonly listed: Map<string, { routable: boolean; decision?: Decision }>;
  /** Active decisions, to cover deployments the server did not list but a scope matches. */
  readonly disabled: Decision[];
}

export const deploymentKey = (d: Deployment) => `${d.provider}\u0000${d.alias}\u0000${d.region}`;

export function viewOf(response: HealthResponse): ServerView {
  if (!response || !Array.isArray(response.providers)) {
    throw new Error('health response has no providers array (expected the DESIGN §5 shape)');
  }
  const listed = new Map<string, { routable: boolean; decision?: Decision }>();
  const disabled = new Map<string, Decision>();
  for (const p of response.providers) {
    for (const d of p.deployments ?? []) {
      listed.set(deploymentKey({ provider: p.provider, alias: d.alias, region: d.region }), {
        routable: d.routable !== false,
        decision: d.decision,
      });
      // In dry-run the server shows wouldBe and keeps the polled state routable: such decisions never act.
      if (d.decision && d.decision.state === 'disabled' && !d.decision.wouldBe && d.routable === false) {
        disabled.set(d.decision.id ?? JSON.stringify(d.decision.scope), d.decision);
      }
    }
  }
  return { listed, disabled: [...disabled.values()] };
}

export function covers(decision: Decision, d: Deployment): boolean {
  const s = decision.scope;
  return (
    s.provider === d.provider &&
    (s.region === undefined || s.region === d.region) &&
    (s.alias === undefined || s.alias === d.alias)
  );
}

/** The server's word on a deployment: routable, or the decision that disables it. */
export function serverVerdict(view: ServerView, d: Deployment): { routable: boolean; decision?: Decision } {
  const hit = view.listed.get(deploymentKey(d));
  if (hit) return hit;
  const decision = view.disabled.find((x) => covers(x, d));
  return decision ? { routable: false, decision } : { routable: true };
}
