import { spawnSync } from 'node:child_process';
import { BINARIES, binaryPath } from './binaries';

describe('installed binaries', () => {
  // Debian's VictoriaMetrics build prints an empty -version, so those are checked by their help text.
  const expected: Record<(typeof BINARIES)[number], [string[], RegExp]> = {
    prometheus: [['--version'], /version 2\.53\.3/],
    promtool: [['--version'], /version 2\.53\.3/],
    'prometheus-alertmanager': [['--version'], /version 0\.28\.1/],
    amtool: [['--version'], /version 0\.28\.1/],
    vmagent: [['-help'], /vmagent collects metrics/],
    vmalert: [['-help'], /vmalert processes alerts/],
  };
  it.each(BINARIES)('%s runs and is the pinned version', (name) => {
    const [args, pattern] = expected[name];
    const r = spawnSync(binaryPath(name), args, { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toMatch(pattern);
  });

  it('names the fix when a binary is missing', () => {
    const saved = process.env.PROVIDER_HEALTH_TOOLS;
    process.env.PROVIDER_HEALTH_TOOLS = '/nonexistent';
    try {
      expect(() => binaryPath('promtool')).toThrow(/install-binaries\.sh/);
    } finally {
      if (saved === undefined) delete process.env.PROVIDER_HEALTH_TOOLS;
      else process.env.PROVIDER_HEALTH_TOOLS = saved;
    }
  });
});
