#!/usr/bin/env node
'use strict';
// Prints one closing line for CI from the vitest JSON reports written by `npm test`:
// "tests: N passed, N failed" (plus skipped), counting unit and browser tests.
const fs = require('node:fs');
const path = require('node:path');
const dir = path.resolve(__dirname, '..', 'out', 'test-results');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const name of ['unit.json', 'browser.json']) {
  const file = path.join(dir, name);
  if (!fs.existsSync(file)) {
    console.error(`missing ${file}: did npm test run?`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(fs.readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += (r.numPendingTests || 0) + (r.numTodoTests || 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
