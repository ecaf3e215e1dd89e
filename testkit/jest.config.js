/** @type {import('jest').Config} */
module.exports = require('../jest.preset.js')(__dirname, {
  // The OTLP exporters load node:http with import(), which Jest's CommonJS sandbox refuses
  // ("dynamic import callback ... without --experimental-vm-modules"); compiling them turns it into require().
  transformIgnorePatterns: ['/node_modules/(?!@opentelemetry/otlp-exporter-base/)'],
});
