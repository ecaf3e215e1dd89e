// Which deployments are routable: manual pins first, then active decisions (DESIGN §5).
import type { Deployment } from '@provider-health/schema';
import { covers, specificity } from './scope';
import type { DecisionRecord, Override, Pin } from './types';

/** The pin deciding a deployment: the most specific pin covering it; `routable` wins a tie. */
export function pinFor(d: Deployment, overrides: Override[]): Pin | undefined {
  let best: Override | undefined;
  for (const o of overrides) {
    if (!covers(o.scope, d)) continue;
    const better =
      !best ||
      specificity(o.scope) > specificity(best.scope) ||
      (specificity(o.scope) === specificity(best.scope) && o.pin === 'routable');
    if (better) best = o;
  }
  return best?.pin;
}

/**
 * The disabled decisions covering a deployment. `wouldBe` ignores dry-run: it is what the state
 * would be if the server acted, which the guards judge and dry-run shows.
 */
export function disablingDecisions(d: Deployment, decisions: DecisionRecord[], wouldBe: boolean): DecisionRecord[] {
  return decisions.filter((x) => x.state === 'disabled' && (wouldBe || !x.dryRun) && covers(x.scope, d));
}

export function isRoutable(
  d: Deployment,
  decisions: DecisionRecord[],
  overrides: Override[],
  wouldBe = false,
): boolean {
  const pin = pinFor(d, overrides);
  if (pin) return pin === 'routable';
  return disablingDecisions(d, decisions, wouldBe).length === 0;
}
