#!/usr/bin/env node
// The provider-health command; the compiled CLI lives in dist/ (npm run build).
'use strict';
process.exitCode = require('../dist/cli.js').main(process.argv.slice(2));
