import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Supervisor } from './supervisor';
import { freePort, httpOk } from './ports';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

// A child that serves HTTP and ignores SIGTERM when asked to, so the SIGKILL fallback is exercised.
const childScript = `
const http = require('node:http');
if (process.env.IGNORE_TERM) process.on('SIGTERM', () => {});
http.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');
`;

describe('Supervisor', () => {
  it('starts children, waits until ready, stops all of them and removes its folders', async () => {
    const sup = new Supervisor();
    const dir = sup.tempDir('sup-test');
    const script = path.join(dir, 'child.js');
    writeFileSync(script, childScript);
    const ports = [await freePort(), await freePort()];
    const started = await Promise.all(
      ports.map((port, i) =>
        sup.spawn({
          name: `child${i}`,
          command: process.execPath,
          args: [script],
          env: { ...process.env, PORT: String(port), ...(i === 1 ? { IGNORE_TERM: '1' } : {}) },
          logFile: path.join(dir, `child${i}.log`),
          ready: () => httpOk(`http://127.0.0.1:${port}/`),
        }),
      ),
    );
    let closed = false;
    sup.adopt('in-process', async () => {
      closed = true;
    });
    const pids = started.map((p) => p.pid!);
    expect(pids.every(alive)).toBe(true);
    await sup.stopAll();
    expect(pids.some(alive)).toBe(false);
    expect(closed).toBe(true);
    expect(existsSync(dir)).toBe(false);
  }, 20_000);

  it('restarts a child on the same port', async () => {
    const sup = new Supervisor();
    try {
      const dir = sup.tempDir('sup-test');
      const script = path.join(dir, 'child.js');
      writeFileSync(script, childScript);
      const port = await freePort();
      const p = await sup.spawn({
        name: 'child',
        command: process.execPath,
        args: [script],
        env: { ...process.env, PORT: String(port) },
        logFile: path.join(dir, 'child.log'),
        ready: () => httpOk(`http://127.0.0.1:${port}/`),
      });
      const first = p.pid!;
      await p.restart();
      expect(p.pid).not.toBe(first);
      expect(alive(first)).toBe(false);
      await expect(httpOk(`http://127.0.0.1:${port}/`)).resolves.toBe(true);
    } finally {
      await sup.stopAll();
    }
  });

  it('reports a child that exits before it is ready, with its log', async () => {
    const sup = new Supervisor();
    try {
      const dir = sup.tempDir('sup-test');
      await expect(
        sup.spawn({
          name: 'broken',
          command: process.execPath,
          args: ['-e', 'console.error("bad flag --foo"); process.exit(3)'],
          logFile: path.join(dir, 'broken.log'),
          ready: async () => false,
        }),
      ).rejects.toThrow(/broken exited with code 3\. Log: .*broken\.log\n\s+\| bad flag --foo/);
    } finally {
      await sup.stopAll();
    }
  });
});
