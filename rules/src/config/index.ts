// Loading and validating thresholds.yaml (owned by the config stage; see rules/README.md).
import type { ResolvedThresholds } from '@provider-health/schema';

/** One problem in a thresholds file, positioned for `file:line:col: message`. */
export interface ConfigError {
  file: string;
  line: number;
  col: number;
  message: string;
  /** How to fix it, when there is something better to say than the message. */
  hint?: string;
}

export type LoadResult = { ok: true; resolved: ResolvedThresholds } | { ok: false; errors: ConfigError[] };

export interface LoadOptions {
  /** Path of thresholds.yaml; used in error positions. */
  file: string;
  /** The file's bytes when already read (the server's PUT body); read from `file` otherwise. */
  text?: string | Buffer;
  /** Overlay files merged over the main file before validation (the demo profile). */
  overlays?: string[];
}

export function loadThresholds(_options: LoadOptions): LoadResult {
  throw new Error('not implemented yet');
}
