/** @type {import('jest').Config} */
module.exports = require('../jest.preset.js')(__dirname, {
  // The OTLP exporters load node:http with a dynamic import(), which Jest's VM refuses without
  // --experimental-vm-modules; compiled by swc it becomes a require().
  transformIgnorePatterns: ['/node_modules/(?!@opentelemetry/otlp-exporter-base/)'],
});
