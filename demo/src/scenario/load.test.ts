import { DEFAULT_SCENARIO, ScenarioError, listScenarios, loadScenario, parseScenario } from './load';

const errorsOf = (text: string): string[] => {
  try {
    parseScenario(text, 'x.yaml');
  } catch (err) {
    if (err instanceof ScenarioError) return err.problems;
    throw err;
  }
  throw new Error('expected the scenario to be refused');
};

const VALID = `name: t
load: {requestsPerSecond: 5, tenants: [a], aliases: [chat]}
phases:
  - name: calm
    duration: 10s
  - name: outage
    faults: [{provider: azure, status: 503}]
    until: disabled
expect: {provider: azure, slis: [errorRatio], steps: [outage-start, disabled]}
`;

describe('scenario files', () => {
  it('ships the five scenarios, the default among them, and all of them load', () => {
    const names = listScenarios();
    expect(names).toEqual([
      'azure-outage',
      'bedrock-latency-spike',
      'callers-stop',
      'error-storm-20',
      'rate-limit-429',
    ]);
    expect(names).toContain(DEFAULT_SCENARIO);
    for (const n of names) expect(loadScenario(n).name).toBe(n);
  });

  it('reads the default scenario into phases with faults and expectations', () => {
    const s = loadScenario(DEFAULT_SCENARIO);
    expect(s.phases.map((p) => p.name)).toEqual(['calm', 'outage', 'recovery']);
    expect(s.phases[0]).toMatchObject({ durationSeconds: 20, faults: [], loadFactor: 1 });
    expect(s.phases[1]).toMatchObject({ untilStep: 'probes', holdSeconds: 10, timeoutSeconds: 240 });
    expect(s.phases[1].faults).toEqual([{ provider: 'azure', status: 503 }]);
    expect(s.expect).toMatchObject({ provider: 'azure', slis: ['errorRatio'], quietProviders: ['openai', 'bedrock'] });
  });

  it('parses percentages and durations', () => {
    const s = loadScenario('error-storm-20');
    expect(s.phases[1].faults[0]).toEqual({ provider: 'azure', status: 500, errorRate: 0.2 });
    expect(loadScenario('bedrock-latency-spike').phases[1].faults[0]).toMatchObject({
      latencySeconds: 30,
      jitterSeconds: 2,
    });
  });
});

describe('scenario errors name file, line, column and the fix', () => {
  it('unknown key with a suggestion', () => {
    expect(errorsOf(VALID.replace('duration: 10s', 'durration: 10s'))).toContain(
      "x.yaml:5:5: phases[0]: unknown key 'durration' (did you mean 'duration'?); allowed: name, duration, until, hold, timeout, faults, load, stopAliases",
    );
  });

  it('bare number as a duration', () => {
    expect(errorsOf(VALID.replace('duration: 10s', 'duration: 10'))).toContain(
      'x.yaml:5:15: duration: expected a duration like 500ms, 30s or 2m, got 10 (write "10s")',
    );
  });

  it('unknown step and a phase with both duration and until', () => {
    const problems = errorsOf(VALID.replace('until: disabled', 'until: disabld\n    duration: 5s'));
    expect(problems).toContainEqual(
      expect.stringMatching(
        /^x\.yaml:8:12: until: 'disabld' is not one of outage-start, alert-pending, .*routable-again$/,
      ),
    );
  });

  it('a status outside 400..599, an invalid provider id, an unknown SLI', () => {
    const problems = errorsOf(
      VALID.replace('status: 503', 'status: 200').replace(
        'provider: azure, slis: [errorRatio]',
        'provider: "Az ure", slis: [errors]',
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'x.yaml:7:40: status: expected an integer from 400 to 599, got 200',
        "x.yaml:9:20: provider: 'Az ure' is not a valid id (lower-case letters, digits, _ . -)",
        expect.stringMatching(/^x\.yaml:9:37: slis: 'errors' is not one of errorRatio, latencyP95/),
      ]),
    );
  });

  it('a phase waiting for a step the scenario does not expect', () => {
    expect(errorsOf(VALID.replace('steps: [outage-start, disabled]', 'steps: [outage-start]'))).toContain(
      "x.yaml: phase 'outage' waits for step 'disabled', which expect.steps does not list",
    );
  });

  it('YAML syntax errors and unknown scenario names', () => {
    expect(errorsOf('name: [unclosed\n')[0]).toMatch(/^x\.yaml:\d+:\d+: /);
    expect(() => loadScenario('nope')).toThrow(/nope\.yaml: no such scenario\. Known: azure-outage, /);
  });
});
