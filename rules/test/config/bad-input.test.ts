// Every kind of bad input of issue 2, each with its exact position and message.
import { BASE, errorsOf, insertBefore, load, withLine } from '../fixtures';

const one = (text: string | Buffer) => {
  const errors = errorsOf(text);
  expect(errors).toHaveLength(1);
  return errors[0];
};

describe('unknown and misplaced keys', () => {
  it('suggests the nearest key for a typo', () => {
    const text = withLine(6, '  rateLimited: { warning: 10%, critcal: 50%, clear: 5%, for: 1m, failover: true }');
    // The real key is missing too, but the did-you-mean already says so: one error, not two.
    expect(errorsOf(text)).toEqual([
      {
        file: 'test.yaml',
        line: 6,
        col: 32,
        message: 'unknown key `critcal` in defaults.rateLimited',
        hint: 'did you mean `critical`?',
      },
    ]);
  });

  it('suggests a key the typed one is a prefix of', () => {
    expect(one(withLine(11, '    latency: { warning: 30s }'))).toEqual({
      file: 'test.yaml',
      line: 11,
      col: 5,
      message: 'unknown key `latency` in providers.azure',
      hint: 'did you mean `latencyP95`?',
    });
  });

  it('names the one SLI a misplaced level belongs to', () => {
    expect(one(withLine(11, '    errorRatio: { critical: 10%, floor: 5% }'))).toEqual({
      file: 'test.yaml',
      line: 11,
      col: 34,
      message: '`floor` is not allowed in providers.azure.errorRatio',
      hint: '`floor` belongs under defaults.traffic, providers.<provider>.traffic, providers.<provider>.aliases.<alias>.traffic',
    });
  });

  it('reports a missing key that is not a typo', () => {
    expect(one(withLine(6, '  rateLimited: { warning: 10%, clear: 5%, for: 1m, failover: true }'))).toEqual({
      file: 'test.yaml',
      line: 6,
      col: 3,
      message: 'defaults.rateLimited: missing `critical`',
      hint: 'add defaults.rateLimited.critical',
    });
  });

  it('says where a misplaced key belongs', () => {
    expect(one(insertBefore(19, '  scrapeInterval: 30s'))).toEqual({
      file: 'test.yaml',
      line: 19,
      col: 3,
      message: '`scrapeInterval` is not allowed in alertmanager',
      hint: '`scrapeInterval` belongs under prometheus',
    });
  });

  it('suggests a typo of a key that belongs elsewhere', () => {
    expect(one(insertBefore(19, '  scrapeIntervall: 30s'))).toMatchObject({
      line: 19,
      col: 3,
      hint: 'did you mean `scrapeInterval`? it belongs under prometheus',
    });
  });

  it('suggests a top-level section', () => {
    expect(one(withLine(9, 'provider:').replace('  azure:', '  azure:'))).toMatchObject({
      line: 9,
      col: 1,
      message: 'unknown key `provider` in the top level',
      hint: 'did you mean `providers`?',
    });
  });

  it('refuses a per-provider `for` with the rule-only hint', () => {
    expect(one(withLine(11, '    errorRatio: { critical: 10%, for: 1m }'))).toEqual({
      file: 'test.yaml',
      line: 11,
      col: 34,
      message:
        '`for` cannot be overridden per provider or alias: it is a property of the shared rule and only allowed under defaults.<sli>',
      hint: 'move it to defaults.<sli>; per provider and alias only warning, critical, clear, floor and minVolume can change',
    });
  });

  it('refuses `for` directly under a provider', () => {
    expect(one(insertBefore(11, '    for: 1m'))).toMatchObject({
      line: 11,
      col: 5,
      message:
        '`for` cannot be overridden per provider or alias: it is a property of the shared rule and only allowed under defaults.<sli>',
    });
  });

  it('refuses per-provider windows', () => {
    expect(one(insertBefore(11, '    windows: { fast: 1m, slow: 5m }'))).toMatchObject({
      line: 11,
      col: 5,
      message:
        '`windows` cannot be overridden per provider or alias: it is a property of the shared rule and only allowed under defaults.windows',
    });
  });

  it('refuses a per-alias failover flag', () => {
    expect(one(withLine(13, '      gpt-4o: { latencyP95: { warning: 30s, failover: false } }'))).toMatchObject({
      line: 13,
      col: 45,
      message: expect.stringMatching(/^`failover` cannot be overridden per provider or alias/),
    });
  });

  it('refuses keepFiringFor per alias', () => {
    expect(one(withLine(13, '      gpt-4o: { errorRatio: { keepFiringFor: 5m } }'))).toMatchObject({
      line: 13,
      col: 31,
      message: expect.stringMatching(/^`keepFiringFor` cannot be overridden per provider or alias/),
    });
  });

  it('reports a missing section at the top', () => {
    const text = BASE.split('\n').slice(0, 18).join('\n');
    expect(one(text)).toEqual({
      file: 'test.yaml',
      line: 1,
      col: 1,
      message: 'the top level: missing `links`',
      hint: 'add links',
    });
  });
});

describe('values', () => {
  it('refuses a duration without unit and gives the fix', () => {
    const text = withLine(
      4,
      '  errorRatio: { warning: 5%, critical: 20%, clear: 2%, for: 30, keepFiringFor: 1m, failover: true }',
    );
    expect(one(text)).toEqual({
      file: 'test.yaml',
      line: 4,
      col: 61,
      message: 'defaults.errorRatio.for: duration 30 has no unit',
      hint: 'write "30s" for 30 seconds',
    });
  });

  it('refuses a duration that is not Prometheus syntax', () => {
    expect(one(withLine(17, '  groupInterval: 1.5m'))).toMatchObject({
      line: 17,
      col: 18,
      message: 'alertmanager.groupInterval: "1.5m" is not a Prometheus duration',
    });
  });

  it('reads a bare 5 as 5% meant', () => {
    const text = withLine(
      4,
      '  errorRatio: { warning: 5, critical: 20%, clear: 2%, for: 30s, keepFiringFor: 1m, failover: true }',
    );
    expect(one(text)).toEqual({
      file: 'test.yaml',
      line: 4,
      col: 26,
      message: 'defaults.errorRatio.warning: ratio 5 is above 1',
      hint: 'did you mean 5% (0.05)?',
    });
  });

  it('refuses a percentage above 100%', () => {
    expect(one(withLine(11, '    errorRatio: { critical: 150% }'))).toMatchObject({
      line: 11,
      col: 29,
      message: 'providers.azure.errorRatio.critical: ratio "150%" is above 100%',
    });
  });

  it('refuses a latency threshold at the top finite bucket', () => {
    const text = withLine(
      5,
      '  latencyP95: { warning: 20s, critical: 10m55s360ms, clear: 15s, for: 1m, failover: true }',
    );
    expect(one(text)).toEqual({
      file: 'test.yaml',
      line: 5,
      col: 41,
      message:
        'defaults.latencyP95.critical: latency threshold 10m55s360ms is at or above the top finite latency bucket (655.36s): a p95 there cannot be told apart from +Inf',
      hint: 'use a value below 655.36s, e.g. "5m"',
    });
  });

  it('accepts a latency threshold just below the top bucket', () => {
    const text = withLine(5, '  latencyP95: { warning: 20s, critical: 10m55s, clear: 15s, for: 1m, failover: true }');
    const r = load(text);
    expect(r.ok && r.resolved.defaults.latencyP95.critical).toBe(655);
  });

  it('refuses a latency threshold without unit', () => {
    expect(one(withLine(13, '      gpt-4o: { latencyP95: { warning: 30 } }'))).toMatchObject({
      line: 13,
      col: 40,
      message: 'providers.azure.aliases.gpt-4o.latencyP95.warning: latency threshold 30 has no unit',
      hint: 'write "30s" for 30 seconds',
    });
  });

  it('refuses a wrong type with what it got', () => {
    expect(one(withLine(3, '  minVolume: lots'))).toEqual({
      file: 'test.yaml',
      line: 3,
      col: 14,
      message: 'defaults.minVolume must be a number, got the string "lots"',
    });
  });

  it('refuses failover on the traffic alert', () => {
    expect(one(withLine(8, '  traffic: { floor: 10%, for: 2m, failover: true }'))).toMatchObject({
      line: 8,
      col: 45,
      message: 'defaults.traffic.failover: traffic alerts never fail over',
    });
  });

  it('refuses levels out of order, naming where the other level comes from', () => {
    expect(one(withLine(11, '    errorRatio: { critical: 4% }'))).toEqual({
      file: 'test.yaml',
      line: 11,
      col: 29,
      message: 'providers.azure.errorRatio.critical must be above warning (5%, from defaults.errorRatio.warning)',
      hint: 'levels must satisfy clear < warning < critical',
    });
  });

  it('refuses clear above warning in the same scope, once', () => {
    const text = withLine(6, '  rateLimited: { warning: 10%, critical: 50%, clear: 20%, for: 1m, failover: true }');
    expect(one(text)).toMatchObject({
      line: 6,
      col: 54,
      message: 'defaults.rateLimited.clear must be below warning (10%)',
    });
  });

  it('refuses the watchdog sharing a receiver', () => {
    const text = withLine(
      15,
      '  receivers: { email: budget-email, webhook: budget-webhook, failover: provider-failover, watchdog: budget-email }',
    );
    expect(one(text)).toMatchObject({
      line: 15,
      col: 101,
      message: 'alertmanager.receivers.watchdog: "budget-email" is already the email receiver',
    });
  });

  it('refuses a fast window shorter than two scrapes', () => {
    const text = `${BASE}prometheus: { scrapeInterval: 1m, evaluationInterval: 1m }\n`;
    expect(one(text)).toMatchObject({
      line: 2,
      col: 20,
      message:
        'defaults.windows.fast: 1m holds fewer than two scrapes at the 1m scrape interval, so rate() has nothing to compute',
      hint: 'use at least 4m (four scrapes)',
    });
  });

  it('refuses a slow window not longer than the fast one', () => {
    expect(one(withLine(2, '  windows: { fast: 5m, slow: 300s }'))).toMatchObject({
      line: 2,
      col: 30,
      message: 'defaults.windows.slow: must be longer than the fast window (5m)',
    });
  });
});

describe('ids', () => {
  it('refuses an id that is unsafe after normalising', () => {
    expect(one(withLine(10, '  "azure/east":'))).toEqual({
      file: 'test.yaml',
      line: 10,
      col: 3,
      message: 'unsafe provider id "azure/east"',
      hint: 'ids are lower-case letters, digits, "_", "." and "-", start with a letter or digit, at most 64 characters',
    });
  });

  it('refuses an unsafe alias id', () => {
    expect(one(withLine(13, '      "gpt 4o": { latencyP95: { warning: 30s } }'))).toMatchObject({
      line: 13,
      col: 7,
      message: 'unsafe alias id "gpt 4o"',
    });
  });

  it('refuses ids that collide after lower-casing, naming both lines', () => {
    expect(one(insertBefore(14, '  Azure: { errorRatio: { critical: 15% } }'))).toEqual({
      file: 'test.yaml',
      line: 14,
      col: 3,
      message: 'provider id "Azure" collides with "azure" (line 10) after lower-casing: both are "azure"',
      hint: 'merge the two entries',
    });
  });
});

describe('files that are not YAML', () => {
  it('refuses an empty file', () => {
    expect(one('')).toEqual({
      file: 'test.yaml',
      line: 1,
      col: 1,
      message: 'the file is empty',
      hint: 'start from rules/thresholds.yaml: it needs at least defaults, alertmanager and links',
    });
  });

  it('refuses a file of comments only', () => {
    expect(one('# nothing yet\n\n')).toMatchObject({ line: 1, col: 1, message: 'the file is empty' });
  });

  it('positions a YAML syntax error', () => {
    expect(one(withLine(2, '  windows: { fast: 1m, slow: 5m'))).toEqual({
      file: 'test.yaml',
      line: 3,
      col: 3,
      message: 'YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    });
  });

  it('positions a duplicate key', () => {
    expect(one(insertBefore(4, '  minVolume: 0.3'))).toEqual({
      file: 'test.yaml',
      line: 4,
      col: 3,
      message: 'duplicate key `minVolume` (first at line 3)',
    });
  });

  it('stops an alias bomb instead of expanding it', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
      'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    ].join('\n');
    expect(one(`${BASE}${bomb}\n`)).toEqual({
      file: 'test.yaml',
      line: 23,
      col: 8,
      message: 'YAML aliases expand too far (an alias bomb?)',
      hint: 'at most 100 alias expansions; write the values out',
    });
  });

  it('positions a non-UTF-8 byte', () => {
    const bytes = Buffer.concat([
      Buffer.from(BASE.split('\n').slice(0, 2).join('\n') + '\n  minVolume: '),
      Buffer.from([0xff]),
      Buffer.from('\n' + BASE.split('\n').slice(3).join('\n')),
    ]);
    expect(one(bytes)).toEqual({
      file: 'test.yaml',
      line: 3,
      col: 14,
      message: 'the file is not valid UTF-8: byte 0xff at offset 57',
      hint: 'save the file as UTF-8',
    });
  });

  it('refuses a list at the top level', () => {
    expect(one('- defaults\n- providers\n')).toMatchObject({
      line: 1,
      col: 1,
      message: 'the top level must be a mapping, got a list',
    });
  });

  it('reports a missing file instead of throwing', () => {
    const r = errorsOf(undefined as unknown as string, '/nonexistent/thresholds.yaml');
    expect(r).toEqual([
      {
        file: '/nonexistent/thresholds.yaml',
        line: 1,
        col: 1,
        message: 'cannot read the file (ENOENT)',
        hint: 'check the path',
      },
    ]);
  });
});

describe('several errors', () => {
  it('reports a duplicate key together with the other errors', () => {
    const text = insertBefore(4, '  minVolume: 0.3', withLine(17, '  groupInterval: 60'));
    expect(errorsOf(text).map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([
      '4:3: duplicate key `minVolume` (first at line 3)',
      '18:18: alertmanager.groupInterval: duration 60 has no unit',
    ]);
  });

  it('reports an alias without anchor', () => {
    expect(one(withLine(3, '  minVolume: *volume'))).toEqual({
      file: 'test.yaml',
      line: 3,
      col: 14,
      message: 'YAML alias `*volume` has no anchor `&volume` before it',
      hint: 'define the anchor first or write the value out',
    });
  });

  it('collects all of them, sorted by position', () => {
    let text = withLine(17, '  groupInterval: 60');
    text = withLine(10, '  "azure/east":', text);
    text = withLine(3, '  minVolume: -1', text);
    const errors = errorsOf(text);
    expect(errors.map((e) => `${e.line}:${e.col}`)).toEqual(['3:14', '10:3', '17:18']);
  });
});

describe('links and receivers', () => {
  it('refuses a URL that would break out of an alert template', () => {
    expect(one(withLine(20, '  runbookUrl: "https://example.com/{{ $value }}"'))).toEqual({
      file: 'test.yaml',
      line: 20,
      col: 15,
      message:
        'links.runbookUrl: expected an http(s) URL without spaces, quotes or braces, got the string "https://example.com/{{ $value }}"',
    });
  });

  it('refuses a receiver name with surrounding spaces', () => {
    const text = withLine(
      15,
      '  receivers: { email: " budget-email", webhook: budget-webhook, failover: provider-failover, watchdog: deadman }',
    );
    expect(one(text)).toMatchObject({
      line: 15,
      col: 23,
      message: expect.stringMatching(/^alertmanager\.receivers\.email: expected a receiver name/),
    });
  });
});

describe('YAML number spellings', () => {
  it('refuses .inf where a number is expected', () => {
    expect(one(withLine(3, '  minVolume: .inf'))).toEqual({
      file: 'test.yaml',
      line: 3,
      col: 14,
      message: 'defaults.minVolume must be a finite number, got the number .inf',
    });
  });

  it('refuses .nan as a ratio without printing NaN', () => {
    expect(one(withLine(11, '    errorRatio: { critical: .nan }'))).toMatchObject({
      line: 11,
      col: 29,
      message: 'providers.azure.errorRatio.critical: the number .nan is not a ratio between 0 and 1',
    });
  });
});

describe('encodings and line endings', () => {
  it.each([
    ['a byte order mark in a string', (t: string) => `\ufeff${t}`],
    ['a byte order mark in bytes', (t: string) => Buffer.from(`\ufeff${t}`)],
    ['CRLF line endings', (t: string) => t.replace(/\n/g, '\r\n')],
  ])('positions errors the same with %s', (_name, encode) => {
    expect(one(encode(withLine(3, '  minVolume: x')))).toEqual({
      file: 'test.yaml',
      line: 3,
      col: 14,
      message: 'defaults.minVolume must be a number, got the string "x"',
    });
  });
});
