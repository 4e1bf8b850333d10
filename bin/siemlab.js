#!/usr/bin/env node
// Runs the compiled library (dist/, built by `npm run build` / `npm install`). When src/ changed since
// the last build, ensureBuild() says so on stderr and rebuilds first: a stale build is never used.
"use strict";
process.stdout.on("error", (e) => {
  if (e && e.code === "EPIPE") process.exit(0); // e.g. `siemlab features big.log | head`
  // A full disk, a closed terminal, …: say what failed, not where in Node.
  process.stderr.write(`siemlab: cannot write the output: ${e && e.message ? e.message : e}\n`);
  process.exit(1);
});
try {
  require("../scripts/build.js").ensureBuild({ who: "siemlab" });
} catch (e) {
  process.stderr.write(`siemlab: ${e.message}\n`);
  process.exit(1);
}
const { runCli } = require("../dist/cli.js");
runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // A system error (ENOSPC, EACCES, EIO, …) is said in one line; anything else is a bug: its stack helps.
    const system = e && typeof e.code === "string" && /^E[A-Z]+$/.test(e.code);
    process.stderr.write(`siemlab: ${system ? e.message : e && e.stack ? e.stack : e}\n`);
    process.exitCode = 1;
  },
);
