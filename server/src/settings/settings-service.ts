// GET/PUT of the thresholds: validate exactly as the CLI does (loadThresholds), write the thresholds
// file keeping comments, regenerate with buildOutputs, reload Prometheus (and Alertmanager when this
// server manages its config), and put every file back when a reload fails.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildOutputs, formatError, loadThresholds } from '@provider-health/rules';
import type { ResolvedThresholds } from '@provider-health/schema';
import { parseDocument } from 'yaml';
import type { AuditLog } from '../audit/audit-log';
import type { ServerConfig } from '../config/types';
import { fetchJson, SourceError } from '../sources/fetch-json';
import type { GroupCommit } from '../storage/group-commit';
import { restoreFiles, writeFiles } from './files';
import { applyToDocument, changedKeys } from './yaml-edit';

export type SettingsAnswer = { code: number; body: Record<string, unknown>; etag?: string };

const etagOf = (text: string) => `"${createHash('sha256').update(text).digest('hex').slice(0, 32)}"`;

export class SettingsService {
  private busy: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly config: ServerConfig,
    private readonly audit: AuditLog,
    private readonly commit: GroupCommit,
    private readonly onApplied: (resolved: ResolvedThresholds) => void,
  ) {}

  get enabled(): boolean {
    return this.config.thresholds.file !== '' && this.config.thresholds.outputDir !== '';
  }

  read(): SettingsAnswer {
    const text = readFileSync(this.config.thresholds.file, 'utf8');
    const thresholds = parseDocument(text).toJS() ?? {};
    const loaded = loadThresholds({ file: this.config.thresholds.file, text });
    return {
      code: 200,
      etag: etagOf(text),
      body: {
        file: this.config.thresholds.file,
        thresholds,
        ...(loaded.ok ? {} : { errors: loaded.errors.map(formatError) }),
      },
    };
  }

  /** PUTs run one at a time: each sees the file the previous one wrote. */
  update(ifMatch: string | undefined, body: unknown, role: string): Promise<SettingsAnswer> {
    const run = this.busy.then(() => this.doUpdate(ifMatch, body, role));
    this.busy = run.catch(() => undefined);
    return run;
  }

  private async doUpdate(ifMatch: string | undefined, body: unknown, role: string): Promise<SettingsAnswer> {
    if (!ifMatch) return { code: 428, body: { error: 'If-Match with the ETag of GET /admin/settings is required' } };
    const file = this.config.thresholds.file;
    const before = readFileSync(file, 'utf8');
    if (ifMatch !== etagOf(before))
      return { code: 412, body: { error: 'the thresholds changed since that ETag; GET them again' } };
    const next = (body as { thresholds?: unknown } | null)?.thresholds;
    if (typeof next !== 'object' || next === null || Array.isArray(next)) {
      return { code: 400, body: { error: 'body must be {"thresholds": {...}} as GET /admin/settings returns it' } };
    }
    const doc = parseDocument(before);
    applyToDocument(doc, next as never);
    const text = doc.toString();
    const loaded = loadThresholds({ file, text });
    if (!loaded.ok) return { code: 422, body: { error: 'invalid thresholds', errors: loaded.errors.map(formatError) } };
    const changed = changedKeys(parseDocument(before).toJS(), parseDocument(text).toJS());
    const outputs = this.outputs(loaded.resolved);
    const previous = writeFiles(new Map([[file, text], ...outputs]));
    const failure = await this.reload();
    if (failure) {
      restoreFiles(previous);
      await this.reload();
      await this.record(role, { outcome: 'restored', error: failure, changed });
      return { code: 502, body: { error: `reload failed, previous files restored: ${failure}` } };
    }
    this.onApplied(loaded.resolved);
    const files = [file, ...outputs.keys()];
    await this.record(role, { outcome: 'applied', changed, files });
    return { code: 200, etag: etagOf(text), body: { changed, files } };
  }

  /** Absolute path -> content of every regenerated file (the promtool tests are not needed at runtime). */
  private outputs(resolved: ResolvedThresholds): Map<string, string> {
    const t = this.config.thresholds;
    const generated = buildOutputs(resolved, {
      skipRuleTests: true,
      configPath: path.basename(t.file),
      ...(t.failoverWebhookUrl ? { failoverWebhookUrl: t.failoverWebhookUrl } : {}),
      ...(t.hookTokenFile ? { hookTokenFile: t.hookTokenFile } : {}),
    });
    return new Map(Object.entries(generated).map(([rel, content]) => [path.join(t.outputDir, rel), content]));
  }

  /** Asks Prometheus (and Alertmanager when managed) to reload; returns why it failed, if it did. */
  private async reload(): Promise<string | undefined> {
    const targets: Array<[string, string, number]> = [];
    if (this.config.prometheus.reload)
      targets.push(['Prometheus', this.config.prometheus.url, this.config.prometheus.timeoutMs]);
    if (this.config.alertmanager.manageConfig)
      targets.push(['Alertmanager', this.config.alertmanager.url, this.config.alertmanager.timeoutMs]);
    for (const [name, base, timeoutMs] of targets) {
      try {
        await fetchJson(new URL('/-/reload', base).toString(), timeoutMs, { method: 'POST' });
      } catch (error) {
        // /-/reload answers plain text on success; only a refusal or an unreachable server fails.
        if (!(error instanceof SourceError && error.state === 'error' && error.message.includes('invalid JSON'))) {
          return `${name}: ${(error as Error).message}`;
        }
      }
    }
    return undefined;
  }

  private record(role: string, detail: Record<string, unknown>): Promise<void> {
    return this.commit.run(() =>
      this.audit.write({ kind: 'settings', role, detail: { file: this.config.thresholds.file, ...detail } }),
    );
  }
}
