// Guards of DESIGN §5: never disable the last routable deployment of an alias (in any region), and
// never more than a configured share of an alias's deployments at once.
import type { DecisionScope, Deployment } from '@provider-health/schema';
import { covers } from './scope';
import { pinFor } from './routing';
import type { DecisionRecord, Override } from './types';

export interface GuardContext {
  /** Known deployments; undefined while the topology has never been read. */
  topology: Deployment[] | undefined;
  decisions: Array<Pick<DecisionRecord, 'state' | 'scope'>>;
  overrides: Override[];
  maxDisabledShare: number;
}

export type GuardResult = { ok: true } | { ok: false; reason: string };

/** Whether disabling `scope` on top of the current state keeps every alias served. */
export function checkGuards(scope: DecisionScope, ctx: GuardContext): GuardResult {
  if (!ctx.topology)
    return { ok: false, reason: 'topology unknown (provider_routable never read); cannot check guards' };
  const topology = ctx.topology;
  const aliases = new Set(topology.filter((d) => covers(scope, d)).map((d) => d.alias));
  if (aliases.size === 0) return { ok: true };
  // Deployments of those aliases already disabled (as the server would have it, dry-run included).
  const candidates = topology.filter((d) => aliases.has(d.alias));
  const disabledScopes = ctx.decisions.filter((x) => x.state === 'disabled').map((x) => x.scope);
  const routableAfter = (d: Deployment) => {
    const pin = pinFor(d, ctx.overrides);
    if (pin) return pin === 'routable';
    return !covers(scope, d) && !disabledScopes.some((s) => covers(s, d));
  };
  const remaining = new Set(candidates.filter(routableAfter));
  for (const alias of [...aliases].sort()) {
    const all = candidates.filter((d) => d.alias === alias);
    const left = all.filter((d) => remaining.has(d)).length;
    if (left === 0)
      return { ok: false, reason: `would leave alias ${alias} without a routable provider in any region` };
    const disabled = all.length - left;
    if (disabled / all.length > ctx.maxDisabledShare) {
      return {
        ok: false,
        reason: `would disable ${disabled} of ${all.length} deployments of alias ${alias} (max share ${ctx.maxDisabledShare})`,
      };
    }
  }
  return { ok: true };
}
