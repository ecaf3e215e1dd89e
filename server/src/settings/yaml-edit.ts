// Applies a new thresholds object to the existing YAML document node by node, so comments and
// formatting of everything unchanged survive (as far as the yaml library's Document API allows).
import { isMap, isScalar, type Document } from 'yaml';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function applyToDocument(doc: Document, next: Json, at: string[] = []): void {
  const node = at.length === 0 ? doc.contents : doc.getIn(at, true);
  if (isObject(next) && isMap(node)) {
    for (const item of [...node.items]) {
      const key = isScalar(item.key) ? String(item.key.value) : String(item.key);
      if (!(key in next)) doc.deleteIn([...at, key]);
    }
    for (const [key, value] of Object.entries(next)) applyToDocument(doc, value, [...at, key]);
    return;
  }
  if (isScalar(node) && node.value === next) return;
  if (at.length === 0) doc.contents = doc.createNode(next);
  else doc.setIn(at, doc.createNode(next));
}

/** Dotted paths whose value differs between two plain objects. */
export function changedKeys(before: unknown, after: unknown, at = ''): string[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => changedKeys(before[k], after[k], at ? `${at}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [at || '(root)'];
}
