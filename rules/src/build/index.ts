// Building the generated files from resolved thresholds (owned by the build stages).
import type { ResolvedThresholds } from '@provider-health/schema';

/** Where the generated configs point; defaults are the compose service names of docker-compose.yml. */
export interface BuildOptions {
  /** Scrape targets of the example prometheus.yml (host:port). */
  scrapeTargets?: string[];
  alertmanagerUrl?: string;
  /** The server's Alertmanager webhook, e.g. http://server:8080/hooks/alertmanager. */
  failoverWebhookUrl?: string;
  /** File holding the hook token, referenced by Alertmanager's http_config.authorization.credentials_file. */
  hookTokenFile?: string;
}

/** Repository-relative path -> file content, for every file of DESIGN §2. */
export type GeneratedFiles = Record<string, string>;

export function buildOutputs(_resolved: ResolvedThresholds, _options: BuildOptions = {}): GeneratedFiles {
  throw new Error('not implemented yet');
}
