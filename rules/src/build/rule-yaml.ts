// A direct YAML writer for the rule file: its shape is fixed (groups of rules of strings), and with 1,000
// providers it holds tens of thousands of threshold rules, which the generic `yaml` document model renders
// ten times slower. Strings are plain only when no YAML 1.1 or 1.2 reader can take them for anything else;
// otherwise JSON-quoted (a JSON string is a valid YAML double-quoted scalar) or, with newlines, a literal block.
import type { Rule, RuleGroup } from './types';

/** Starts with no indicator, holds no comment or mapping marker, ends with no blank. */
const PLAIN_START = /^[A-Za-z0-9_(]/;
const hasControl = (v: string) => [...v].some((c) => c.charCodeAt(0) < 0x20);
const PLAIN_BREAKERS = /: |:$| #|\s$/;
const NOT_PLAIN = [
  /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/,
  /^0[xob]/i,
  /^[-+]?\.(inf|nan)$/i,
  /^(y|yes|n|no|true|false|on|off|null|~)$/i,
  /^[0-9]+:[0-9]/,
];

export function scalar(value: string, indent: string): string {
  if (value.includes('\n') && !/^\s/.test(value) && !/[ \t]$/m.test(value)) {
    return `|-\n${value
      .split('\n')
      .map((l) => (l ? indent + l : l))
      .join('\n')}`;
  }
  if (
    PLAIN_START.test(value) &&
    !hasControl(value) &&
    !PLAIN_BREAKERS.test(value) &&
    !NOT_PLAIN.some((p) => p.test(value))
  )
    return value;
  // Single quotes keep PromQL's double quotes readable; YAML escapes nothing there but the quote itself.
  if (value.includes('"') && !hasControl(value)) return `'${value.replace(/'/g, "''")}'`;
  return JSON.stringify(value);
}

function map(entries: Record<string, string>, indent: string): string[] {
  return Object.entries(entries).map(([k, v]) => `${indent}${scalar(k, '')}: ${scalar(v, `${indent}  `)}`);
}

function rule(r: Rule): string[] {
  const pad = '        ';
  const lines: string[] = [];
  let first = true;
  for (const [key, value] of Object.entries(r)) {
    if (value === undefined) continue;
    const lead = first ? '      - ' : pad;
    first = false;
    if (typeof value === 'string') lines.push(`${lead}${key}: ${scalar(value, `${pad}  `)}`);
    else lines.push(`${lead}${key}:`, ...map(value as Record<string, string>, `${pad}  `));
  }
  return lines;
}

export function renderRuleFile(groups: RuleGroup[], headerComment: string): string {
  const lines = headerComment.split('\n').map((l) => `#${l}`);
  lines.push('', 'groups:');
  for (const g of groups) {
    lines.push(`  - name: ${scalar(g.name, '')}`);
    if (g.interval) lines.push(`    interval: ${scalar(g.interval, '')}`);
    lines.push('    rules:');
    for (const r of g.rules) lines.push(...rule(r));
  }
  return `${lines.join('\n')}\n`;
}
