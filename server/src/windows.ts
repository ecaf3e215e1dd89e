// The SLI windows (and so the recorded rule names): from the thresholds file when it can be read,
// else from the server configuration.
import { loadThresholds } from '@provider-health/rules';
import type { Windows } from '@provider-health/schema';
import type { ServerConfig } from './config/types';

export function resolveWindows(config: ServerConfig): Windows {
  const fallback = { fast: config.thresholds.fastWindow, slow: config.thresholds.slowWindow };
  if (!config.thresholds.file) return fallback;
  try {
    const r = loadThresholds({ file: config.thresholds.file });
    return r.ok ? r.resolved.windows : fallback;
  } catch {
    // The thresholds library may be unavailable; the configured windows still name the rules.
    return fallback;
  }
}
