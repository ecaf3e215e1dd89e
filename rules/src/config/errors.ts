// ConfigError: one problem in a thresholds file, positioned for `file:line:col: message (hint)`.

export interface ConfigError {
  file: string;
  line: number;
  col: number;
  message: string;
  /** How to fix it, when there is something better to say than the message. */
  hint?: string;
}

export interface Pos {
  file: string;
  line: number;
  col: number;
}

export function errorAt(pos: Pos, message: string, hint?: string): ConfigError {
  return hint === undefined ? { ...pos, message } : { ...pos, message, hint };
}

/** `file:line:col: message (hint)`, the format editors and CI annotate. */
export function formatError(e: ConfigError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}${e.hint ? ` (${e.hint})` : ''}`;
}

/** Sorts by file (in the order files were loaded), line, column; drops exact duplicates. */
export function sortErrors(errors: ConfigError[], fileOrder: string[]): ConfigError[] {
  const rank = (f: string) => {
    const i = fileOrder.indexOf(f);
    return i < 0 ? fileOrder.length : i;
  };
  const sorted = [...errors].sort(
    (a, b) => rank(a.file) - rank(b.file) || a.line - b.line || a.col - b.col || a.message.localeCompare(b.message),
  );
  return sorted.filter((e, i) => i === 0 || formatError(e) !== formatError(sorted[i - 1]));
}
