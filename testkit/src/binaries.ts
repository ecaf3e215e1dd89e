// Finds the Debian binaries that scripts/install-binaries.sh extracts into .tools/ (DESIGN §6).
import { existsSync } from 'node:fs';
import path from 'node:path';

export const BINARIES = ['prometheus', 'promtool', 'prometheus-alertmanager', 'amtool', 'vmagent', 'vmalert'] as const;
export type BinaryName = (typeof BINARIES)[number];

/** The repository root (testkit/ lives one level below it). */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Where install-binaries.sh put the extracted packages; PROVIDER_HEALTH_TOOLS moves it. */
export function toolsRoot(): string {
  return path.join(process.env.PROVIDER_HEALTH_TOOLS ?? path.join(REPO_ROOT, '.tools'), 'root');
}

/** Absolute path of an installed binary; throws with the fix when it is missing. */
export function binaryPath(name: BinaryName): string {
  const p = path.join(toolsRoot(), 'usr', 'bin', name);
  if (!existsSync(p)) {
    throw new Error(
      `${name} not found at ${p}. Fix: run 'bash scripts/install-binaries.sh' (npm test does it for you).`,
    );
  }
  return p;
}

/** Prometheus' web assets; without --web.local-assets pointing here Debian's Prometheus UI errors. */
export function prometheusWebAssets(): string {
  return path.join(toolsRoot(), 'usr', 'share', 'prometheus', 'web');
}
