// Guards of DESIGN §5: never disable the last routable deployment of an alias (in any region), and
// never more than a configured share of an alias's deployments at once.
import type { DecisionScope, Deployment } from '@provider-health/schema';
import { covers } from './scope';
import { disablingDecisions, pinFor } from './routing';
import type { DecisionRecord, Override } from './types';

export interface GuardContext {
  /** Known deployments; undefined while the topology has never been read. */
  topology: Deployment[] | undefined;
  decisions: DecisionRecord[];
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
  const routableAfter = (d: Deployment) => {
    const pin = pinFor(d, ctx.overrides);
    if (pin) return pin === 'routable';
    return !covers(scope, d) && disablingDecisions(d, ctx.decisions, true).length === 0;
  };
  for (const alias of [...aliases].sort()) {
    const all = topology.filter((d) => d.alias === alias);
    const remaining = all.filter(routableAfter);
    if (remaining.length === 0) {
      return { ok: false, reason: `would leave alias ${alias} without a routable provider in any region` };
    }
    const disabled = all.length - remaining.length;
    if (disabled / all.length > ctx.maxDisabledShare) {
      return {
        ok: false,
        reason: `would disable ${disabled} of ${all.length} deployments of alias ${alias} (max share ${ctx.maxDisabledShare})`,
      };
    }
  }
  return { ok: true };
}
