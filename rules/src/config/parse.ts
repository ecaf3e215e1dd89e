// Reading one thresholds file: bytes -> UTF-8 text -> YAML document -> positioned tree.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument, visit } from 'yaml';
import { errorAt, type ConfigError, type Pos } from './errors';
import { positionOf, toTree, type Source, type TNode } from './tree';

/** Bigger than any real thresholds file by far; keeps a bad PUT body from costing memory. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** yaml's limit on alias expansion: alias bombs become an error instead of a hang. */
const MAX_ALIAS_COUNT = 100;

export type ParseResult = { ok: true; tree: TNode } | { ok: false; errors: ConfigError[] };

const fail = (errors: ConfigError[]): ParseResult => ({ ok: false, errors });

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
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const src: Source = { file, doc, lineCounter };
  if (doc.errors.length > 0) {
    // After the first syntax error the parser's further complaints are mostly echoes of it; duplicate
    // keys are independent, so all of those stay.
    const firstSyntax = doc.errors.find((e) => e.code !== 'DUPLICATE_KEY');
    const kept = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY' || e === firstSyntax);
    return fail(kept.map((e) => errorAt(positionOf(src, e.pos[0]), yamlMessage(e.code, e.message, text, e.pos[0]))));
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
  const bomb = aliasBomb(src);
  if (bomb) return fail([bomb]);
  const { tree, errors } = toTree(src);
  if (errors.length > 0 || !tree) return fail(errors);
  return { ok: true, tree };
}

/** yaml's own expansion check, positioned at the first alias so the user sees where the expansion starts. */
function aliasBomb(src: Source): ConfigError | undefined {
  try {
    src.doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
    return undefined;
  } catch (e) {
    let at: Pos = positionOf(src, 0);
    visit(src.doc, {
      Alias(_key, node) {
        at = positionOf(src, node.range?.[0]);
        return visit.BREAK;
      },
    });
    const why = e instanceof ReferenceError ? 'aliases expand too far (an alias bomb?)' : (e as Error).message;
    return errorAt(at, `YAML ${why}`, `at most ${MAX_ALIAS_COUNT} alias expansions; write the values out`);
  }
}

function yamlMessage(code: string, message: string, text: string, offset: number): string {
  if (code === 'DUPLICATE_KEY') {
    const key = text
      .slice(offset, offset + 200)
      .split(/[:\n]/)[0]
      .trim();
    return key ? `duplicate key \`${key}\`` : 'duplicate key';
  }
  return `YAML syntax error: ${message.split('\n')[0]}`;
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
