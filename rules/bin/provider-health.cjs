#!/usr/bin/env node
// The provider-health command; the compiled CLI lives in dist/ (npm run build).
'use strict';
require('../dist/cli.js').runAsProcess();
