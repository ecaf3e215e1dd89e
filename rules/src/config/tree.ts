// A positioned tree: the YAML document reduced to maps, lists and scalars, each node remembering the file,
// line and column it came from. Overlays merge at this level, so every value keeps its own position.
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';
import { errorAt, type ConfigError, type Pos } from './errors';

export type Scalar = string | number | boolean | null;
export interface TMap {
  kind: 'map';
  pos: Pos;
  entries: Map<string, TEntry>;
}
export interface TEntry {
  key: string;
  keyPos: Pos;
  value: TNode;
}
export interface TSeq {
  kind: 'seq';
  pos: Pos;
  items: TNode[];
}
export interface TScalar {
  kind: 'scalar';
  pos: Pos;
  value: Scalar;
}
export type TNode = TMap | TSeq | TScalar;

/** Nodes expanded per file, aliases included: a guard beyond yaml's own alias count. */
const MAX_NODES = 1_000_000;

export interface Source {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

export function positionOf(src: Source, offset: number | undefined): Pos {
  const { line, col } = src.lineCounter.linePos(offset ?? 0);
  return { file: src.file, line, col };
}

/** Converts a parsed document; errors for what the tree cannot hold (complex keys, oversized expansions). */
export function toTree(src: Source): { tree?: TNode; errors: ConfigError[] } {
  const errors: ConfigError[] = [];
  let budget = MAX_NODES;
  const convert = (node: unknown, at: Pos): TNode | undefined => {
    if (--budget < 0) return undefined;
    if (isAlias(node)) {
      const target = node.resolve(src.doc);
      return target ? convert(target, positionOf(src, node.range?.[0])) : undefined;
    }
    const pos = isScalar(node) || isMap(node) || isSeq(node) ? positionOf(src, node.range?.[0]) : at;
    if (isMap(node)) return convertMap(node.items, pos);
    if (isSeq(node)) {
      const items = node.items.map((item) => convert(item, pos)).filter((n): n is TNode => n !== undefined);
      return { kind: 'seq', pos, items };
    }
    if (isScalar(node)) return { kind: 'scalar', pos, value: scalarValue(node.value) };
    return { kind: 'scalar', pos: at, value: null };
  };
  const convertMap = (pairs: unknown[], pos: Pos): TMap => {
    const entries = new Map<string, TEntry>();
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const key = pair.key as Node | null;
      const keyPos = positionOf(src, key?.range?.[0]);
      if (!isScalar(key) || (key.value !== null && typeof key.value === 'object')) {
        errors.push(errorAt(keyPos, 'mapping keys must be plain names', 'write `name: value`'));
        continue;
      }
      const name = String(key.value);
      const first = entries.get(name);
      if (first) {
        errors.push(errorAt(keyPos, `duplicate key \`${name}\` (first at line ${first.keyPos.line})`));
        continue;
      }
      const value = convert(pair.value, keyPos) ?? { kind: 'scalar', pos: keyPos, value: null };
      entries.set(name, { key: name, keyPos, value });
    }
    return { kind: 'map', pos, entries };
  };
  const root = convert(src.doc.contents, positionOf(src, 0));
  if (budget < 0) {
    errors.push(errorAt(positionOf(src, 0), `the document expands to more than ${MAX_NODES} nodes`));
    return { errors };
  }
  return { tree: root, errors };
}

function scalarValue(v: unknown): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  // Timestamps, binary and other tagged values: keep their text so validation can name them.
  return String(v);
}

/** Overlays win key by key; maps merge recursively, anything else is replaced whole. */
export function mergeTrees(base: TNode, overlay: TNode): TNode {
  if (base.kind !== 'map' || overlay.kind !== 'map') return overlay;
  const entries = new Map(base.entries);
  for (const [key, entry] of overlay.entries) {
    const prev = entries.get(key);
    entries.set(key, prev ? { ...entry, value: mergeTrees(prev.value, entry.value) } : entry);
  }
  return { kind: 'map', pos: base.pos, entries };
}

/** Plain data for JSON Schema validation. */
export function toPlain(node: TNode): unknown {
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toPlain);
  const out: Record<string, unknown> = {};
  for (const [k, e] of node.entries) out[k] = toPlain(e.value);
  return out;
}

/** The node at a JSON path; `key: true` returns the position of the last segment's key instead. */
export function nodeAt(root: TNode, path: string[]): TNode | undefined {
  let node: TNode | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    if (node.kind === 'map') node = node.entries.get(seg)?.value;
    else if (node.kind === 'seq') node = node.items[Number(seg)];
    else return undefined;
  }
  return node;
}

export function entryAt(root: TNode, path: string[]): TEntry | undefined {
  const parent = nodeAt(root, path.slice(0, -1));
  return parent?.kind === 'map' ? parent.entries.get(path[path.length - 1]) : undefined;
}

/** Where to point at a path: its key when it has one (that is what the user typed), else the node. */
export function posAt(root: TNode, path: string[]): Pos {
  return entryAt(root, path)?.keyPos ?? nodeAt(root, path)?.pos ?? root.pos;
}

/** Where a value is: the value itself (for wrong values), falling back to its key. */
export function valuePosAt(root: TNode, path: string[]): Pos {
  return nodeAt(root, path)?.pos ?? posAt(root, path);
}
