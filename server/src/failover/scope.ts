// Decision scopes: the label set of a failover alert among provider, region and alias.
import { LABELS, type Deployment, type DecisionScope } from '@provider-health/schema';

const SCOPE_LABELS = [LABELS.provider, LABELS.region, LABELS.alias] as const;

/** The scope of an alert's labels; undefined when it names no provider. Empty labels do not count. */
export function scopeFromLabels(labels: Record<string, string | undefined>): DecisionScope | undefined {
  const provider = labels[LABELS.provider];
  if (!provider) return undefined;
  const scope: DecisionScope = { provider };
  if (labels[LABELS.region]) scope.region = labels[LABELS.region];
  if (labels[LABELS.alias]) scope.alias = labels[LABELS.alias];
  return scope;
}

/** A stable key: `provider=azure,region=eastus`. */
export function scopeKey(scope: DecisionScope): string {
  return SCOPE_LABELS.filter((l) => scope[l] !== undefined)
    .map((l) => `${l}=${scope[l]}`)
    .join(',');
}

export function covers(scope: DecisionScope, d: Deployment): boolean {
  return (
    scope.provider === d.provider &&
    (scope.region === undefined || scope.region === d.region) &&
    (scope.alias === undefined || scope.alias === d.alias)
  );
}

/** How many labels a scope pins down; a more specific manual pin wins over a broader one. */
export const specificity = (scope: DecisionScope) => SCOPE_LABELS.filter((l) => scope[l] !== undefined).length;

export const deploymentKey = (d: Deployment) => `${d.provider}/${d.region}/${d.alias}`;

export function parseScope(raw: unknown): DecisionScope | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Record<string, unknown>;
  const ok = (v: unknown) => v === undefined || (typeof v === 'string' && /^[a-z0-9][a-z0-9_.-]*$/.test(v));
  if (typeof r.provider !== 'string' || !ok(r.provider) || !ok(r.region) || !ok(r.alias)) return undefined;
  const extra = Object.keys(r).filter((k) => !(SCOPE_LABELS as readonly string[]).includes(k));
  if (extra.length > 0) return undefined;
  return scopeFromLabels(r as Record<string, string>);
}
