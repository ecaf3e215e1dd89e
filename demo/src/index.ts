// The demo as a library, for other tools and tests: start the stack, play a scenario, read the timeline.
export { startStack, writeUrlsFile, type Stack, type StackOptions, type StackUrls } from './stack/stack';
export { runScenario, type RunOptions, type RunResult } from './run/runner';
export { DEFAULT_SCENARIO, listScenarios, loadScenario, parseScenario, ScenarioError } from './scenario';
export type { Scenario, StepId } from './scenario';
export { startDemoRouter, type DemoRouter, type DemoRouterOptions } from './router';
