// "Did you mean": the nearest allowed key at a place, and where in the file a key belongs instead.

/** Levenshtein distance, case-insensitive (a wrong case is a typo too). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    for (let j = 1; j <= t.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[t.length];
}

/**
 * The closest candidate within a third of the key's length (at least one edit), or one the key is a
 * prefix of (`latency` → `latencyP95`, `runbook` → `runbookUrl`).
 */
export function closest(key: string, candidates: Iterable<string>): string | undefined {
  const list = [...candidates];
  const prefixOf = key.length >= 4 ? list.filter((c) => c.toLowerCase().startsWith(key.toLowerCase())) : [];
  if (prefixOf.length === 1) return prefixOf[0];
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(key.length / 3)) + 1;
  for (const c of list) {
    const d = editDistance(key, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

type JsonSchema = {
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  definitions?: Record<string, JsonSchema>;
};

const PLACEHOLDERS: Record<string, string> = { providers: '<provider>', aliases: '<alias>' };

/** Every key the schema allows, with the dotted paths where it may appear (`<provider>` for map keys). */
export function keyHomes(root: JsonSchema): Map<string, string[]> {
  const homes = new Map<string, string[]>();
  const deref = (s: JsonSchema): JsonSchema =>
    s.$ref ? deref(root.definitions?.[s.$ref.replace('#/definitions/', '')] ?? {}) : s;
  const walk = (schema: JsonSchema, path: string[], parentKey: string) => {
    const s = deref(schema);
    for (const [key, child] of Object.entries(s.properties ?? {})) {
      homes.set(key, [...(homes.get(key) ?? []), path.join('.')]);
      walk(child, [...path, key], key);
    }
    if (typeof s.additionalProperties === 'object' && path.length < 6) {
      walk(s.additionalProperties, [...path, PLACEHOLDERS[parentKey] ?? '<name>'], '');
    }
  };
  walk(root, [], '');
  return homes;
}

/** Collapses defaults.errorRatio, defaults.latencyP95, ... into defaults.<sli> when a key sits under several SLIs. */
export function describeHomes(paths: string[], slis: readonly string[]): string {
  const generic = (p: string) =>
    p
      .split('.')
      .map((seg) => (slis.includes(seg) ? '<sli>' : seg))
      .join('.');
  const groups = new Map<string, string[]>();
  for (const p of paths) groups.set(generic(p), [...(groups.get(generic(p)) ?? []), p]);
  return [...groups]
    .map(([g, members]) => (members.length > 1 ? g : members[0]))
    .map((p) => (p === '' ? 'the top level' : p))
    .join(', ');
}
