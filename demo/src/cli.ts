// `npm run demo [-- --scenario NAME]` and `npm run stack [-- --urls-file FILE]`.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_SCENARIO, ScenarioError, listScenarios, loadScenario, type Scenario } from './scenario';
import { REPO_ROOT } from './stack/config';
import { startStack, writeUrlsFile, type Stack } from './stack/stack';
import { Supervisor } from './supervisor';
import { TimelinePrinter } from './timeline';
import { LoadGenerator } from './load/generator';
import { describeStack } from './run/describe';
import { runScenario } from './run/runner';

// The demo pins Node 20 on purpose (DESIGN §3); the SDK's reminder about Node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage:
  npm run demo [-- --scenario NAME] [--keep]   play a scenario end to end; exit 1 unless every step happened
  npm run stack [-- --urls-file FILE]          start the stack with steady traffic until Ctrl-C
Scenarios (demo/scenarios/): ${listScenarios().join(', ')} (default ${DEFAULT_SCENARIO})`;

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      scenario: { type: 'string', short: 's' },
      'urls-file': { type: 'string' },
      keep: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const command = positionals[0];
  if (values.help || (command !== 'demo' && command !== 'stack')) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }
  const scenario = loadScenario(values.scenario ?? DEFAULT_SCENARIO);
  const sup = new Supervisor({ keepTemp: values.keep, log: (l) => console.error(l) });
  sup.handleSignals(
    (why) => console.log(`\n${why}: stopping everything…`),
    command === 'stack' ? { SIGINT: 0, SIGTERM: 0 } : undefined,
  );
  console.log(`Provider Health ${command}: starting the local stack on 127.0.0.1…`);
  const stack = await startStack({ supervisor: sup, log: (l) => console.log(l) });
  try {
    console.log(`${describeStack(stack)}\n`);
    return command === 'demo' ? await demo(stack, scenario) : await steady(stack, scenario, values['urls-file']);
  } finally {
    await sup.stopAll();
  }
}

async function demo(stack: Stack, scenario: Scenario): Promise<number> {
  console.log(`Scenario ${scenario.name}: ${scenario.description}`);
  const result = await runScenario(stack, scenario, { printer: (t) => new TimelinePrinter(t) });
  for (const v of result.violations) console.log(`✘ unexpected: ${v.what}`);
  if (result.missing.length) console.log(`✘ steps not reached: ${result.missing.join(', ')}`);
  const detect = result.timeline.seconds('outage-start', 'disabled');
  if (detect !== undefined)
    console.log(`Time to detect and act (first failed request → provider disabled): ${detect.toFixed(1)} s`);
  console.log(result.passed ? '\n✔ demo passed: the outage was detected, acted on and recovered.' : '\n✘ demo failed.');
  return result.passed ? 0 : 1;
}

async function steady(stack: Stack, scenario: Scenario, urlsFile: string | undefined): Promise<number> {
  const file = path.resolve(urlsFile ?? path.join(REPO_ROOT, '.tmp', 'stack.json'));
  writeUrlsFile(file, stack);
  const load = new LoadGenerator({ routerUrl: stack.router.url, ...scenario.load });
  load.start();
  console.log(
    `URLs written to ${file}. Steady traffic (${scenario.load.requestsPerSecond} req/s); Ctrl-C stops everything.`,
  );
  await new Promise<never>(() => {
    setInterval(() => {
      const s = load.stats;
      process.stdout.write(
        `\r\x1b[2K  requests ok ${s.ok}, failed ${s.failed}, by provider ${JSON.stringify(s.byProvider)}`,
      );
    }, 2_000);
  });
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    // A mistyped option is the operator's to fix: say so with the usage, not with a stack trace.
    const badOption = (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS_');
    if (badOption) console.error(`demo: ${(err as Error).message}\n${USAGE}`);
    else console.error(err instanceof ScenarioError ? err.message : `demo: ${(err as Error).stack ?? String(err)}`);
    process.exit(err instanceof ScenarioError || badOption ? 2 : 1);
  },
);
