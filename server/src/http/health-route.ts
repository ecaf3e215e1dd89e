// GET /admin/providers/health: assembled from cached sources; the serialised answer is memoised on
// the versions of its inputs, so a burst of pollers costs one assembly per change.
import { gzipSync } from 'node:zlib';
import { API_PATHS, type HealthHistory } from '@provider-health/schema';
import type { FastifyInstance } from 'fastify';
import { parseDurationMs } from '../config/durations';
import { buildHealth } from '../health/build';
import { readHistory } from '../health/history';
import type { Service } from '../service';
import { TtlCache } from '../sources/cache';
import { requireRole } from './guard';

const MAX_POINTS = 1500;

export function registerHealthRoute(app: FastifyInstance, svc: Service): void {
  const histories = new Map<string, TtlCache<Map<string, HealthHistory>>>();
  const memo = new Map<string, { key: string; body: string; gzip?: Buffer }>();

  app.get(API_PATHS.health, { onRequest: requireRole(svc, ['read', 'admin']) }, async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    const provider = q.provider;
    let history: TtlCache<Map<string, HealthHistory>> | undefined;
    if (q.history !== undefined) {
      const rangeMs = parseDurationMs(q.history);
      const stepMs = parseDurationMs(q.step ?? '1m');
      if (!rangeMs || !stepMs || rangeMs / stepMs > MAX_POINTS || stepMs < 1000) {
        return reply.code(400).send({
          error: `history and step must be durations (e.g. history=1h&step=1m) with at most ${MAX_POINTS} points`,
        });
      }
      const hk = `${rangeMs}/${stepMs}`;
      if (!histories.has(hk)) {
        histories.set(
          hk,
          new TtlCache(
            () => readHistory(svc.prometheus, svc.windows.fast, rangeMs, stepMs, Date.now()),
            svc.config.prometheus.cacheTtlMs,
          ),
        );
      }
      history = histories.get(hk);
    }
    const [prom, am, hist] = await Promise.all([svc.promCache.get(), svc.amCache.get(), history?.get()]);
    const dryRun = svc.engine.dryRun();
    const key = [prom.version, am.version, hist?.version ?? '-', svc.store.version, dryRun].join('|');
    const memoKey = `${provider ?? ''}|${q.history ?? ''}|${q.step ?? ''}`;
    let entry = memo.get(memoKey);
    if (entry?.key !== key) {
      const body = JSON.stringify(
        buildHealth({
          prom,
          am,
          lastTopology: svc.topology ?? [],
          decisions: svc.store.activeDecisions(),
          overrides: svc.store.overrides(),
          history: hist?.value,
          provider,
          now: Date.now(),
        }),
      );
      if (memo.size > 1000) memo.clear();
      entry = { key, body };
      memo.set(memoKey, entry);
    }
    reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('vary', 'accept-encoding');
    // Pollers (routers, Grafana) accept gzip: compressed once per change, the answer is ~10x smaller.
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      entry.gzip ??= gzipSync(entry.body);
      return reply.header('content-encoding', 'gzip').send(entry.gzip);
    }
    return reply.send(entry.body);
  });
}
