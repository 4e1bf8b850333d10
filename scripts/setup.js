#!/usr/bin/env node
'use strict';
// `npm run setup`: makes sure Jupyter is available and registers the project's tslab kernel.
// Runs automatically before `npm start` and `npm run notebooks`. `--browser`: makes sure headless Chromium
// (Debian's package) is there for the browser tests and chart export.
const { ensurePython, ensureChromium, registerKernel, jupyterPath, log } = require('./jupyter');

const quiet = process.argv.includes('--quiet');
const use = process.argv.includes('--ui') ? 'start' : 'run';
try {
  if (process.argv.includes('--browser')) {
    const chromium = ensureChromium();
    if (!quiet) log(`Chromium found: ${chromium}`);
    process.exit(0);
  }
  const python = ensurePython(use);
  const { file, changed } = registerKernel();
  if (!quiet || changed) {
    log(`Jupyter found in ${python}`);
    log(`tslab kernel registered: ${file}`);
    log(`scripts set JUPYTER_PATH=${jupyterPath}`);
  }
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
