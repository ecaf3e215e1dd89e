// Every workspace's tests in one run (scripts/test.sh); each project keeps its own config.
/** @type {import('jest').Config} */
module.exports = {
  projects: ['schema', 'rules', 'testkit', 'instrumentation', 'server', 'demo'].map((p) => `<rootDir>/${p}`),
};
