// Reading one thresholds file: bytes -> UTF-8 text -> YAML document -> positioned tree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, visit } from 'yaml';
import { errorAt, type ConfigError, type Pos } from './errors';
import { positionOf, toTree, type Source, type TNode } from './tree';

/** Bigger than any real thresholds file by far; keeps a bad PUT body from costing memory. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** yaml's limit on alias expansion: alias bombs become an error instead of a hang. */
const MAX_ALIAS_COUNT = 100;

/** A tree when the file could be read as YAML (possibly with errors such as duplicate keys), and its errors. */
export interface ParseResult {
  tree?: TNode;
  errors: ConfigError[];
}

const fail = (errors: ConfigError[]): ParseResult => ({ errors });

export function parseFile(file: string, text?: string | Buffer, baseDir?: string): ParseResult {
  let bytes: string | Buffer;
  try {
    bytes = text ?? readFileSync(baseDir ? path.resolve(baseDir, file) : file);
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return fail([errorAt({ file, line: 1, col: 1 }, `cannot read the file (${reason})`, 'check the path')]);
  }
  const size = typeof bytes === 'string' ? Buffer.byteLength(bytes) : bytes.length;
  if (size > MAX_FILE_BYTES) {
    return fail([
      errorAt({ file, line: 1, col: 1 }, `file is ${size} bytes, more than the limit of ${MAX_FILE_BYTES}`),
    ]);
  }
  const decoded = typeof bytes === 'string' ? { text: bytes } : decodeUtf8(file, bytes);
  if ('error' in decoded) return fail([decoded.error]);
  return parseText(file, decoded.text);
}

function parseText(file: string, text: string): ParseResult {
  const lineCounter = new LineCounter();
  // logLevel 'error': yaml would print warnings to the process; every problem becomes a ConfigError instead.
  // Duplicate keys are found by toTree, which knows where both are.
  const doc = parseDocument(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false,
    strict: true,
    logLevel: 'error',
  });
  const src: Source = { file, doc, lineCounter };
  if (doc.errors.length > 0) {
    // After the first syntax error the parser's further complaints are mostly echoes of it.
    const e = doc.errors[0];
    return fail([errorAt(positionOf(src, e.pos[0]), `YAML syntax error: ${e.message.split('\n')[0]}`)]);
  }
  if (doc.contents === null || (doc.contents as { value?: unknown }).value === null) {
    return fail([
      errorAt(
        { file, line: 1, col: 1 },
        'the file is empty',
        'start from rules/thresholds.yaml: it needs at least defaults, alertmanager and links',
      ),
    ]);
  }
  // Without a `*` there is no alias to expand, and the check costs a full conversion.
  const bomb = text.includes('*') ? aliasBomb(src) : undefined;
  if (bomb) return fail([bomb]);
  return toTree(src);
}

/** yaml's own expansion check, positioned at the alias where it fails so the user sees where to look. */
function aliasBomb(src: Source): ConfigError | undefined {
  try {
    src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return undefined;
  } catch (e) {
    let first: Pos | undefined;
    let unresolved: { pos: Pos; name: string } | undefined;
    visit(src.doc, {
      Alias(_key, node) {
        const pos = positionOf(src, node.range?.[0]);
        first ??= pos;
        if (node.resolve(src.doc) === undefined) {
          unresolved = { pos, name: node.source };
          return visit.BREAK;
        }
      },
    });
    if (unresolved) {
      return errorAt(
        unresolved.pos,
        `YAML alias \`*${unresolved.name}\` has no anchor \`&${unresolved.name}\` before it`,
        'define the anchor first or write the value out',
      );
    }
    const why = /alias count/i.test((e as Error).message)
      ? 'aliases expand too far (an alias bomb?)'
      : (e as Error).message.split('\n')[0];
    return errorAt(
      first ?? positionOf(src, 0),
      `YAML ${why}`,
      `at most ${MAX_ALIAS_COUNT} alias expansions; write the values out`,
    );
  }
}

/** Decodes strictly; on a bad byte reports where it is (TextDecoder itself does not say). */
function decodeUtf8(file: string, bytes: Buffer): { text: string } | { error: ConfigError } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const offset = firstInvalidByte(bytes);
    const before = bytes.subarray(0, offset);
    const line = before.filter((b) => b === 0x0a).length + 1;
    const col = offset - (before.lastIndexOf(0x0a) + 1) + 1;
    const hex = bytes[offset]?.toString(16).padStart(2, '0') ?? 'end of file';
    return {
      error: errorAt(
        { file, line, col },
        `the file is not valid UTF-8: byte 0x${hex} at offset ${offset}`,
        'save the file as UTF-8',
      ),
    };
  }
}

/** Smallest prefix that fails to decode: validity of a prefix (streamed, so a cut sequence is fine) is monotone. */
function firstInvalidByte(bytes: Buffer): number {
  const valid = (n: number) => {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, n), { stream: true });
      return true;
    } catch {
      return false;
    }
  };
  if (valid(bytes.length)) return bytes.length; // only the final sequence is cut short
  let lo = 0;
  let hi = bytes.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (valid(mid)) lo = mid;
    else hi = mid;
  }
  return hi - 1;
}
