#!/usr/bin/env node
// Runs the TypeScript source directly through tsx's CommonJS loader (no build step).
"use strict";
require("tsx/cjs/api").register();
process.stdout.on("error", (e) => {
  if (e && e.code === "EPIPE") process.exit(0); // e.g. `siemlab features big.log | head`
  throw e;
});
const { runCli } = require("../src/cli.ts");
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`siemlab: ${e && e.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  },
);
