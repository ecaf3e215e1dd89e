// Watches the real artefacts of an incident and marks timeline steps as they appear: alerts in
// Prometheus, e-mail in the SMTP catcher, payloads at the operator's webhook, decisions in the health
// API, and traffic as the router sends it.
import { ALERTS, API_PATHS, type HealthResponse, type ProviderHealth } from '@provider-health/schema';
import { promAlerts } from '@provider-health/testkit';
import { WEBHOOK_PATHS } from '../stack/config';
import type { Stack } from '../stack/stack';
import type { Scenario } from '../scenario';
import type { Timeline } from '../timeline';
import { caughtAlerts } from '../webhook/catcher';

const POLL_MS = 1_000;
/** Traffic counts as moved when the provider got no routed (non-probe) attempt for this long. */
const MOVED_WINDOW_MS = 5_000;
const PROVIDER_ALERT_NAMES: ReadonlySet<string> = new Set(Object.values(ALERTS));

export interface Violation {
  at: Date;
  what: string;
}

export class Observer {
  readonly violations: Violation[] = [];
  /** Last health API answer for the scenario's provider. */
  lastHealth: ProviderHealth | undefined;
  lastHealthError: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private busy = false;
  private recoveryAt: Date | undefined;
  private readonly alertNames: Set<string>;
  private readonly samples: Array<{ at: number; routed: number; others: number; probes: number }> = [];
  private readonly seenViolations = new Set<string>();
  /** Probes counted when the server's disable was first seen: only later ones are probes of a disabled provider. */
  private probesAtDisable: number | undefined;
  /** The highest severity seen firing: resolved notifications count once that one resolved. */
  private topSeverity: string | undefined;

  constructor(
    private readonly stack: Stack,
    private readonly scenario: Scenario,
    private readonly timeline: Timeline,
  ) {
    this.alertNames = new Set(scenario.expect.slis.map((s) => ALERTS[s]));
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), POLL_MS);
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Faults removed: from now on resolved alerts and notifications count. */
  recoveryStarted(at = new Date()): void {
    this.recoveryAt = at;
    this.timeline.mark('recovery-start', 'faults removed from the wire server', at);
  }

  /** One observation round now (also used by tests to avoid waiting for the timer). */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await Promise.allSettled([this.checkPrometheus(), this.checkHealth()]);
      this.checkEmail();
      this.checkWebhooks();
      this.checkTraffic();
    } finally {
      this.busy = false;
    }
  }

  private matches(labels: Record<string, string>): boolean {
    return labels.provider === this.scenario.expect.provider && this.alertNames.has(labels.alertname);
  }

  private async checkPrometheus(): Promise<void> {
    const alerts = await promAlerts(this.stack.urls.prometheus);
    const ours = alerts.filter((a) => this.matches(a.labels));
    const first = ours[0];
    if (first) this.timeline.mark('alert-pending', `${describe(first.labels)} pending`, new Date(first.activeAt));
    const firing =
      ours.find((a) => a.state === 'firing' && a.labels.severity === 'critical') ??
      ours.find((a) => a.state === 'firing');
    if (firing && this.topSeverity !== 'critical') this.topSeverity = firing.labels.severity;
    if (firing)
      this.timeline.mark('alert-firing', `${describe(firing.labels)} firing, value ${Number(firing.value).toFixed(3)}`);
    if (this.recoveryAt && this.timeline.has('alert-firing') && ours.length === 0) {
      this.timeline.mark(
        'alert-resolved',
        `no ${[...this.alertNames].join('/')} for ${this.scenario.expect.provider} left in Prometheus`,
      );
    }
    for (const a of alerts) {
      if (
        !this.scenario.expect.quietProviders.includes(a.labels.provider) ||
        !PROVIDER_ALERT_NAMES.has(a.labels.alertname)
      )
        continue;
      this.violate(`${describe(a.labels)} ${a.state} for a provider that should stay quiet`);
    }
  }

  private checkEmail(): void {
    const { provider } = this.scenario.expect;
    for (const m of this.stack.smtp.messages()) {
      if (!m.to.includes(this.stack.config.emailTo) || !m.subject.includes(provider)) continue;
      if (![...this.alertNames].some((n) => m.subject.includes(n))) continue;
      if (m.subject.startsWith('[FIRING'))
        this.timeline.mark('email-firing', `"${m.subject}" to ${m.to.join(', ')}`, m.receivedAt);
      if (m.subject.startsWith('[RESOLVED') && this.recoveryAt && m.text.includes(`[RESOLVED] ${this.topSeverity}:`)) {
        this.timeline.mark('email-resolved', `"${m.subject}"`, m.receivedAt);
      }
    }
  }

  private checkWebhooks(): void {
    for (const a of caughtAlerts(this.stack.webhooks.received(), WEBHOOK_PATHS.budget)) {
      if (!this.matches(a.labels)) continue;
      if (a.status === 'firing')
        this.timeline.mark('webhook-firing', `${describe(a.labels)} at the operator's webhook`, a.receivedAt);
      if (a.status === 'resolved' && this.recoveryAt && a.labels.severity === this.topSeverity) {
        this.timeline.mark(
          'webhook-resolved',
          `${describe(a.labels)} resolved at the operator's webhook`,
          a.receivedAt,
        );
      }
    }
  }

  private async checkHealth(): Promise<void> {
    const res = await fetch(`${this.stack.urls.server}${API_PATHS.health}`, {
      headers: { authorization: `Bearer ${this.stack.tokens.read}` },
      signal: AbortSignal.timeout(3_000),
    }).catch((err: Error) => err);
    if (res instanceof Error || !res.ok) {
      this.lastHealthError = res instanceof Error ? res.message : `HTTP ${res.status}`;
      return;
    }
    const body = (await res.json()) as HealthResponse;
    const p = body.providers.find((x) => x.provider === this.scenario.expect.provider);
    this.lastHealth = p;
    this.lastHealthError = undefined;
    if (!p || p.deployments.length === 0) return;
    const disabled = p.deployments.filter((d) => !d.routable && d.decision?.state === 'disabled');
    if (disabled.length > 0) {
      const d = disabled[0].decision!;
      this.timeline.mark(
        'disabled',
        `health API: ${disabled.length} deployment(s) disabled by ${d.alert}, probes ${d.probeRatePerMin}/min`,
      );
    }
    if (this.recoveryAt && this.timeline.has('disabled') && p.deployments.every((d) => d.routable)) {
      this.timeline.mark(
        'routable-again',
        `health API: all ${p.deployments.length} deployments of ${p.provider} routable`,
      );
    }
  }

  private checkTraffic(): void {
    const { provider } = this.scenario.expect;
    const s = this.stack.router.routes.stats;
    const probes = Object.entries(s.probes)
      .filter(([k]) => k.startsWith(`${provider}/`))
      .reduce((sum, [, n]) => sum + n, 0);
    const others = Object.entries(s.served)
      .filter(([p]) => p !== provider)
      .reduce((sum, [, n]) => sum + n, 0);
    const now = Date.now();
    this.samples.push({ at: now, routed: (s.attempts[provider] ?? 0) - probes, others, probes });
    while (this.samples.length > 2 && this.samples[1].at <= now - MOVED_WINDOW_MS) this.samples.shift();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    if (!this.timeline.has('outage-start') || last.at - first.at < MOVED_WINDOW_MS - POLL_MS) return;
    if (last.routed === first.routed && last.others > first.others) {
      this.timeline.mark(
        'traffic-moved',
        `no routed attempts to ${provider} for ${MOVED_WINDOW_MS / 1000} s; ${last.others - first.others} requests served by the others`,
      );
    }
    if (!this.timeline.has('disabled')) return;
    this.probesAtDisable ??= last.probes;
    if (last.probes > this.probesAtDisable) {
      this.timeline.mark(
        'probes',
        `${last.probes - this.probesAtDisable} probe request(s) to ${provider} since it was disabled`,
      );
    }
  }

  private violate(what: string): void {
    if (this.seenViolations.has(what)) return;
    this.seenViolations.add(what);
    this.violations.push({ at: new Date(), what });
  }
}

function describe(labels: Record<string, string>): string {
  const where = [labels.region && `region ${labels.region}`, labels.alias && `alias ${labels.alias}`]
    .filter(Boolean)
    .join(', ');
  return `${labels.alertname}{${labels.provider}${where ? `, ${where}` : ''}, ${labels.severity}}`;
}
