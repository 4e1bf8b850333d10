#!/usr/bin/env node
'use strict';
// `npm run notebooks [-- notebooks/NN-name.ipynb ...]`: execute notebooks headless on the tslab kernel,
// write executed copies and HTML exports to out/, print a line per notebook, exit non-zero on the
// first failing cell (printing its source and error).
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ensurePython, registerKernel, jupyterEnv, repoRoot, KERNEL_NAME } = require('./jupyter');

const args = process.argv.slice(2);
let notebooks = args.filter((a) => a.endsWith('.ipynb')).map((a) => path.resolve(a));
if (notebooks.length === 0) {
  const dir = path.join(repoRoot, 'notebooks');
  notebooks = fs
    .readdirSync(dir)
    .filter((f) => /^\d{2}-.*\.ipynb$/.test(f)) // the numbered lessons, not an Untitled.ipynb made in the UI
    .sort()
    .map((f) => path.join(dir, f));
}
for (const nb of notebooks) {
  if (!fs.existsSync(nb)) {
    console.error(`No such notebook: ${nb}`);
    process.exit(2);
  }
}
try {
  require('./build.js').ensureBuild({ who: 'notebooks' }); // the notebooks import the compiled "./dist/index"
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const python = ensurePython('run');
registerKernel();
const t0 = Date.now();
const r = spawnSync(
  python,
  [path.join(__dirname, 'run_notebooks.py'), '--root', repoRoot, '--out', path.join(repoRoot, 'out'), '--kernel', KERNEL_NAME, ...notebooks],
  { stdio: 'inherit', env: jupyterEnv(), cwd: repoRoot },
);
if (r.status === 0) console.log(`notebooks: ${notebooks.length} executed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
process.exit(r.status ?? 1);
