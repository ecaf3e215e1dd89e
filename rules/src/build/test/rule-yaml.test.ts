import { parse } from 'yaml';
import { buildRuleGroups } from '../index';
import { renderRuleFile, scalar } from '../rule-yaml';
import { designExample } from './fixtures';

describe('the rule file writer', () => {
  it.each([
    'true',
    'yes',
    'No',
    'off',
    '~',
    'null',
    '1.5',
    '10',
    '1e3',
    '0x10',
    '.inf',
    '12:30',
    'a: b',
    'a #b',
    'ends with space ',
    ' starts with space',
    '{{ $labels.provider }}',
    'it\'s "quoted"',
    'back\\slash',
    '- dash',
    'tab\there',
    'ünïcödé',
    'line one\nline two',
    '  indented\nblock',
  ])('writes %p so a YAML reader gets the same string back', (value) => {
    expect(parse(`k: ${scalar(value, '  ')}\n`)).toEqual({ k: value });
  });

  it('renders the generated groups as the same data', () => {
    const groups = buildRuleGroups(designExample());
    const parsed = parse(renderRuleFile(groups, ' header'));
    expect(parsed).toEqual({ groups: JSON.parse(JSON.stringify(groups)) });
  });
});
