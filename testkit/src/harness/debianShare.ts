// Debian's Alertmanager (and amtool) read their default notification templates from the fixed path
// /usr/share/prometheus/alertmanager, which only exists when the package is installed system-wide. The
// binaries here are extracted into .tools/ instead, so they run in a private mount namespace where an
// overlay shows .tools/root/usr/share on top of /usr/share. Nothing outside that process sees the overlay.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { toolsRoot } from '../binaries';

const SYSTEM_TEMPLATES = '/usr/share/prometheus/alertmanager/default.tmpl';

// $1 = the extracted share folder, then the command and its arguments; exec keeps the PID (and setpriv's
// parent-death signal) for the server itself.
const MOUNT_AND_EXEC = 'mount -t overlay overlay -o "lowerdir=$1:/usr/share" /usr/share && shift && exec "$@"';

/** The command line that runs binary with Debian's shared files visible at their packaged paths. */
export function withDebianShare(binary: string, args: string[]): { command: string; args: string[] } {
  if (existsSync(SYSTEM_TEMPLATES)) return { command: binary, args };
  const share = path.join(toolsRoot(), 'usr', 'share');
  // Without root, a user namespace grants the mount (Linux ≥ 5.11 for overlayfs there).
  const userns = process.getuid?.() === 0 ? [] : ['--map-root-user'];
  return {
    command: 'unshare',
    args: [
      '--mount',
      '--propagation',
      'private',
      ...userns,
      '--',
      'sh',
      '-c',
      MOUNT_AND_EXEC,
      'sh',
      share,
      binary,
      ...args,
    ],
  };
}
