// Small PromQL builders. Everything inserted into an expression passes through a check or a quoting
// function here, so a value from the config can never change the expression's structure.

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const DURATION = /^([0-9]+(ms|s|m|h|d|w|y))+$/;

function checked(pattern: RegExp, kind: string, value: string): string {
  if (!pattern.test(value))
    throw new Error(`invalid ${kind} ${JSON.stringify(value)} in a generated PromQL expression`);
  return value;
}

export const metricName = (name: string) => checked(METRIC_NAME, 'metric name', name);
export const labelName = (name: string) => checked(LABEL_NAME, 'label name', name);
export const duration = (d: string) => checked(DURATION, 'duration', d);

/** A PromQL double-quoted string literal. */
export function quote(value: string): string {
  return JSON.stringify(value);
}

/** Escapes regular-expression metacharacters so the value matches only itself. */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type MatchOp = '=' | '!=' | '=~' | '!~';
export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
}

export const eq = (label: string, value: string): Matcher => ({ label, op: '=', value });
export const ne = (label: string, value: string): Matcher => ({ label, op: '!=', value });
/** Matches any of the literal values. */
export const oneOf = (label: string, values: readonly string[]): Matcher => ({
  label,
  op: '=~',
  value: values.map(regexLiteral).join('|'),
});
export const noneOf = (label: string, values: readonly string[]): Matcher => ({
  label,
  op: '!~',
  value: values.map(regexLiteral).join('|'),
});

export function selector(metric: string, matchers: readonly Matcher[] = []): string {
  const inside = matchers.map((m) => `${labelName(m.label)}${m.op}${quote(m.value)}`).join(',');
  return matchers.length ? `${metricName(metric)}{${inside}}` : metricName(metric);
}

const labelList = (labels: readonly string[]) => labels.map(labelName).join(', ');

export const by = (labels: readonly string[]) => `by (${labelList(labels)})`;
export const on = (labels: readonly string[]) => `on(${labelList(labels)})`;

export const sumBy = (labels: readonly string[], expr: string) => `sum ${by(labels)} (${expr})`;
export const maxBy = (labels: readonly string[], expr: string) =>
  labels.length ? `max ${by(labels)} (${expr})` : `max(${expr})`;
export const groupBy = (labels: readonly string[], expr: string) => `group ${by(labels)} (${expr})`;
export const rate = (sel: string, window: string) => `rate(${sel}[${duration(window)}])`;
export const avgOverTime = (sel: string, window: string) => `avg_over_time(${sel}[${duration(window)}])`;

/** Indents every line of a sub-expression, so generated expressions stay readable in the rule file. */
export function indent(expr: string, by = 2): string {
  const pad = ' '.repeat(by);
  return expr
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

/** `(a)\n<op>\n(b)`: a binary operation between two sub-expressions, each on its own lines. */
export function binary(left: string, op: string, right: string): string {
  return `(\n${indent(left)}\n)\n${op}\n(\n${indent(right)}\n)`;
}

/** A number as PromQL accepts it, without exponent surprises. */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`invalid number ${n} in a generated PromQL expression`);
  return String(n);
}
