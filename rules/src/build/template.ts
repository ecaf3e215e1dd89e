// Annotation text as data: rendered once as a Prometheus (Go) template for the rules, and once as the
// concrete text for given labels, value and threshold, for the generated promtool tests.
import { formatG, humanize, humanizeDuration, humanizePercentage } from './humanize';
import { labelName, metricName, quote } from './promql';

export type Format = 'percentage' | 'duration' | 'rate' | 'raw';
export type Part =
  | string
  /** a label's value; `prefix` is written only when the label is not empty */
  | { label: string; prefix?: string }
  | { value: Format }
  | { threshold: Format };
export type Template = readonly Part[];

/** Where the threshold of an alert lives: a series selected by fixed labels and the alert's own labels. */
export interface ThresholdRef {
  metric: string;
  fixed: Record<string, string>;
  fromAlert: readonly string[];
}

const GO_FORMAT: Record<Format, string> = {
  percentage: 'humanizePercentage',
  duration: 'humanizeDuration',
  rate: 'humanize',
  raw: 'printf "%.4g"',
};
const TS_FORMAT: Record<Format, (v: number) => string> = {
  percentage: humanizePercentage,
  duration: humanizeDuration,
  rate: humanize,
  raw: (v) => formatG(v),
};

/** `printf` format of the threshold query; Go's %q quotes label values the way PromQL reads them. */
function thresholdQuery(ref: ThresholdRef): string {
  const fixed = Object.entries(ref.fixed).map(([k, v]) => `${labelName(k)}=${quote(v)}`);
  const dynamic = ref.fromAlert.map((k) => `${labelName(k)}=%q`);
  const format = `${metricName(ref.metric)}{${[...fixed, ...dynamic].join(',')}}`;
  if (format.includes('`')) throw new Error('threshold query cannot contain a backquote');
  return `printf \`${format}\` ${ref.fromAlert.map((k) => `$labels.${k}`).join(' ')}`;
}

function goPart(part: Part, ref?: ThresholdRef): string {
  if (typeof part === 'string') {
    if (part.includes('{{')) throw new Error(`annotation text cannot contain '{{': ${part}`);
    return part;
  }
  if ('label' in part) {
    const l = `$labels.${labelName(part.label)}`;
    return part.prefix ? `{{ with ${l} }}${part.prefix}{{ . }}{{ end }}` : `{{ ${l} }}`;
  }
  if ('value' in part) return `{{ $value | ${GO_FORMAT[part.value]} }}`;
  if (!ref) throw new Error('a threshold part needs a threshold reference');
  return `{{ with ${thresholdQuery(ref)} | query }}{{ . | first | value | ${GO_FORMAT[part.threshold]} }}{{ end }}`;
}

export function toGoTemplate(template: Template, ref?: ThresholdRef): string {
  return template.map((p) => goPart(p, ref)).join('');
}

export interface Rendered {
  labels: Record<string, string>;
  value: number;
  threshold?: number;
}

function tsPart(part: Part, r: Rendered): string {
  if (typeof part === 'string') return part;
  if ('label' in part) {
    const v = r.labels[part.label] ?? '';
    return part.prefix ? (v ? part.prefix + v : '') : v;
  }
  if ('value' in part) return TS_FORMAT[part.value](r.value);
  return r.threshold === undefined ? '' : TS_FORMAT[part.threshold](r.threshold);
}

export function renderText(template: Template, r: Rendered): string {
  return template.map((p) => tsPart(p, r)).join('');
}
