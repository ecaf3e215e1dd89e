// Provider alert rules (DESIGN §4): per SLI, severity and scope one generic rule that compares the SLI with
// the resolved threshold series, with a minimum-volume guard and ALERTS-based hysteresis.
import {
  AGGREGATIONS,
  ALERTS,
  ALERT_LABELS,
  ALERT_SCOPES,
  ANNOTATIONS,
  COMPONENT,
  INSTRUMENTS,
  LABELS,
  LEVELLED_SLIS,
  SEVERITIES,
  SLI_RECORDED,
  THRESHOLD_SLI_LABEL,
  TRAFFIC_BASELINE_WINDOW,
  recordingRuleName,
  resolvedThresholdName,
  type AlertScope,
  type LevelledSliId,
  type ResolvedThresholds,
  type Severity,
  type SliId,
  type ThresholdLevel,
} from '@provider-health/schema';
import { ALERT_TEXT, scopeParts } from './alert-text';
import { avgOverTime, by, eq, maxBy, on, oneOf, selector } from './promql';
import { toGoTemplate, type Format, type Template, type ThresholdRef } from './template';
import type { AlertingRule } from './types';

const TITLES: Record<SliId, string> = {
  errorRatio: 'Error ratio high',
  latencyP95: 'p95 latency high',
  rateLimited: 'Rate limited',
  failoverRate: 'Failover rate high',
  traffic: 'Traffic stopped',
};

/** The labels every provider alert of this (sli, severity, scope) carries. */
export function alertLabels(t: ResolvedThresholds, sli: SliId, severity: Severity, scope: AlertScope) {
  // Traffic stopping is a symptom of our own routing as often as of the provider: it never fails over.
  const failover = severity === 'critical' && sli !== 'traffic' && t.slis[sli].failover;
  return {
    [ALERT_LABELS.severity]: severity,
    [ALERT_LABELS.sli]: THRESHOLD_SLI_LABEL[sli],
    [ALERT_LABELS.scope]: scope,
    ...(failover ? { [ALERT_LABELS.failover]: 'true' } : {}),
    [ALERT_LABELS.component]: COMPONENT,
  };
}

export interface AnnotationSpec {
  templates: Record<string, Template>;
  threshold: ThresholdRef;
}

function dashboardTemplate(base: string, scope: AlertScope): Template {
  const sep = base.includes('?') ? '&' : '?';
  const key = scope === 'region' ? LABELS.region : LABELS.alias;
  return [`${base}${sep}var-provider=`, { label: LABELS.provider }, { label: key, prefix: `&var-${key}=` }];
}

/** Annotation templates of one provider alert; the test generator renders the same data. */
export function annotationSpec(
  t: ResolvedThresholds,
  sli: SliId,
  level: ThresholdLevel,
  scope: AlertScope,
): AnnotationSpec {
  const text = ALERT_TEXT[sli];
  const format: Format = text.format;
  const thresholdFormat: Format = sli === 'traffic' ? 'percentage' : format;
  const window = sli === 'traffic' ? t.windows.slow : t.windows.fast;
  const description: Template =
    sli === 'traffic'
      ? [
          'Successful attempts of ',
          ...scopeParts(scope),
          ` fell to `,
          { value: format },
          `/s over the last ${window}, below `,
          { threshold: thresholdFormat },
          ` of their level over the last ${TRAFFIC_BASELINE_WINDOW}.`,
        ]
      : [
          `The ${text.noun} of `,
          ...scopeParts(scope),
          ' is ',
          { value: format },
          ` over the last ${window}, above the ${level} threshold of `,
          { threshold: thresholdFormat },
          '.',
        ];
  return {
    templates: {
      [ANNOTATIONS.summary]: [`${TITLES[sli]}: `, ...scopeParts(scope), ` (${level})`],
      [ANNOTATIONS.description]: description,
      [ANNOTATIONS.suggestedAction]: [text.suggestedAction],
      [ANNOTATIONS.runbookUrl]: [`${t.links.runbookUrl}#${ALERTS[sli].toLowerCase()}`],
      [ANNOTATIONS.dashboardUrl]: dashboardTemplate(t.links.dashboardUrl, scope),
      [ANNOTATIONS.value]: [{ value: 'raw' }],
      [ANNOTATIONS.threshold]: [{ threshold: 'raw' }],
    },
    threshold: {
      metric: resolvedThresholdName(scope),
      fixed: { sli: THRESHOLD_SLI_LABEL[sli], level },
      fromAlert: AGGREGATIONS[scope].by,
    },
  };
}

function renderAnnotations(spec: AnnotationSpec): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, tpl] of Object.entries(spec.templates)) out[k] = toGoTemplate(tpl, spec.threshold);
  return out;
}

const threshold = (scope: AlertScope, sli: string, level: ThresholdLevel) =>
  selector(resolvedThresholdName(scope), [eq('sli', sli), eq('level', level)]);

/** The volume guard: the fast window's attempts reach the scope's minimum volume. */
function volumeGuard(t: ResolvedThresholds, scope: AlertScope): string {
  const keys = AGGREGATIONS[scope].by;
  const attempts = recordingRuleName(scope, 'attempts', t.windows.fast);
  return `(${attempts} >= ${on(keys)} ${threshold(scope, THRESHOLD_SLI_LABEL.minVolume, 'min')})`;
}

/** Deployments whose fast-window SLI is above their own (alias-level) threshold at `level`. */
function badDeployments(t: ResolvedThresholds, sli: LevelledSliId, level: ThresholdLevel): string {
  const deployment = recordingRuleName('deployment', SLI_RECORDED[sli], t.windows.fast);
  const keys = AGGREGATIONS.alias.by;
  return `(${deployment} > ${on(keys)} group_left() ${threshold('alias', THRESHOLD_SLI_LABEL[sli], level)})`;
}

/**
 * An alias alert needs the failure spread over two regions or more (or an alias served in one region):
 * one region failing is that region's alert, not a reason to move the alias away everywhere.
 */
function aliasSpread(t: ResolvedThresholds, sli: LevelledSliId, level: ThresholdLevel): string {
  const keys = AGGREGATIONS.alias.by;
  const regions = recordingRuleName('deployment', 'attempts', t.windows.slow);
  return (
    `(count ${by(keys)} ${badDeployments(t, sli, level)} >= 2` + ` or ${on(keys)} count ${by(keys)} (${regions}) == 1)`
  );
}

/**
 * A region alert needs a bad deployment there that an alias alert does not already explain: when one alias
 * fails everywhere, its alias alert acts and the region's other aliases stay routable.
 */
function unexplained(t: ResolvedThresholds, sli: LevelledSliId, level: ThresholdLevel): string {
  const aliasAlerts = selector('ALERTS', [
    eq('alertname', ALERTS[sli]),
    eq('alertstate', 'firing'),
    eq(ALERT_LABELS.scope, 'alias'),
  ]);
  const deployment = badDeployments(t, sli, level);
  return `count ${by(AGGREGATIONS.region.by)} (${deployment} unless ${on(AGGREGATIONS.alias.by)} ${aliasAlerts})`;
}

/**
 * Fires when the fast window is above the level and the slow window confirms (for `for`);
 * keeps firing while the fast window stays above `clear` (hysteresis on the rule's own ALERTS series).
 */
function levelledExpr(t: ResolvedThresholds, sli: LevelledSliId, severity: Severity, scope: AlertScope): string {
  const keys = AGGREGATIONS[scope].by;
  const label = THRESHOLD_SLI_LABEL[sli];
  const fast = recordingRuleName(scope, SLI_RECORDED[sli], t.windows.fast);
  const slow = recordingRuleName(scope, SLI_RECORDED[sli], t.windows.slow);
  const above = (series: string, level: ThresholdLevel) =>
    `(${series} > ${on(keys)} ${threshold(scope, label, level)})`;
  const ownAlert = selector('ALERTS', [
    eq('alertname', ALERTS[sli]),
    eq('alertstate', 'firing'),
    eq(ALERT_LABELS.severity, severity),
    eq(ALERT_LABELS.scope, scope),
  ]);
  // Warnings never act, so they wait for the slow window to agree (quiet at low volume); criticals only
  // need it above clear, which a hard outage reaches within seconds.
  const confirm: ThresholdLevel = severity === 'warning' ? 'warning' : 'clear';
  const gate = scope === 'alias' ? aliasSpread(t, sli, severity) : unexplained(t, sli, severity);
  const hold = scope === 'alias' ? [] : [`  and ${on(keys)} ${unexplained(t, sli, 'clear')}`];
  return [
    '(',
    `  ${above(fast, severity)}`,
    `  and ${on(keys)} ${above(slow, confirm)}`,
    `  and ${on(keys)} ${gate}`,
    `  or ${on(keys)}`,
    `  ${above(fast, 'clear')}`,
    `  and ${on(keys)} ${ownAlert}`,
    ...hold,
    ')',
    `and ${on(keys)} ${volumeGuard(t, scope)}`,
  ].join('\n');
}

function levelledAlert(t: ResolvedThresholds, sli: LevelledSliId, severity: Severity, scope: AlertScope): AlertingRule {
  const settings = t.slis[sli];
  return {
    alert: ALERTS[sli],
    expr: levelledExpr(t, sli, severity, scope),
    for: settings.for,
    ...(settings.keepFiringFor ? { keep_firing_for: settings.keepFiringFor } : {}),
    labels: alertLabels(t, sli, severity, scope),
    annotations: renderAnnotations(annotationSpec(t, sli, severity, scope)),
  };
}

/**
 * Success rate over the slow window below floor × its average over the last hour, on a provider that had
 * at least the minimum volume then and is routable; a vanished recent series counts as zero.
 */
function trafficExpr(t: ResolvedThresholds): string {
  const keys = AGGREGATIONS.region.by;
  const successes = recordingRuleName('region', 'successes', t.windows.slow);
  const attempts = recordingRuleName('region', 'attempts', t.windows.slow);
  const baseline = avgOverTime(successes, TRAFFIC_BASELINE_WINDOW);
  const routable = maxBy(keys, INSTRUMENTS.routable.prometheus);
  const floor = threshold('region', THRESHOLD_SLI_LABEL.traffic, 'floor');
  const minVolume = threshold('region', THRESHOLD_SLI_LABEL.minVolume, 'min');
  const explaining = (scope: AlertScope) =>
    selector('ALERTS', [
      oneOf('alertname', [ALERTS.errorRatio, ALERTS.rateLimited]),
      eq('alertstate', 'firing'),
      eq(ALERT_LABELS.scope, scope),
    ]);
  // An alias alert explains the regions that serve the alias (provider_routable is the topology).
  const deployments = maxBy(AGGREGATIONS.deployment.by, INSTRUMENTS.routable.prometheus);
  const byAlias = `group ${by(keys)} (${deployments} * ${on(AGGREGATIONS.alias.by)} group_left() group ${by(AGGREGATIONS.alias.by)} (${explaining('alias')}))`;
  const explained = `(${explaining('region')} or ${byAlias})`;
  return [
    `(${successes} or ${on(keys)} 0 * ${baseline})`,
    `< ${on(keys)} (${baseline} * ${on(keys)} ${floor})`,
    `and ${on(keys)} (${avgOverTime(attempts, TRAFFIC_BASELINE_WINDOW)} >= ${on(keys)} ${minVolume})`,
    `and ${on(keys)} (${routable} == 1)`,
    // Errors or throttling explain missing successes, and their own alert already says so.
    `unless ${on(keys)} ${explained}`,
  ].join('\n');
}

function trafficAlert(t: ResolvedThresholds): AlertingRule {
  const settings = t.slis.traffic;
  return {
    alert: ALERTS.traffic,
    expr: trafficExpr(t),
    for: settings.for,
    ...(settings.keepFiringFor ? { keep_firing_for: settings.keepFiringFor } : {}),
    labels: alertLabels(t, 'traffic', 'critical', 'region'),
    annotations: renderAnnotations(annotationSpec(t, 'traffic', 'floor', 'region')),
  };
}

export function buildAlertRules(t: ResolvedThresholds): AlertingRule[] {
  // Alias alerts first: region alerts of the same evaluation read their ALERTS series.
  const scopes = [...ALERT_SCOPES].sort((a) => (a === 'alias' ? -1 : 1));
  const levelled = LEVELLED_SLIS.flatMap((sli) =>
    scopes.flatMap((scope) => SEVERITIES.map((severity) => levelledAlert(t, sli, severity, scope))),
  );
  return [...levelled, trafficAlert(t)];
}
