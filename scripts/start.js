#!/usr/bin/env node
'use strict';
// `npm start`: Jupyter Notebook on notebooks/ with the project's tslab kernel.
// Extra arguments go to Jupyter, e.g. `npm start -- --port 8899`.
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensurePython, registerKernel, jupyterEnv, repoRoot, isRoot, log } = require('./jupyter');

const python = ensurePython('start');
registerKernel();
const args = ['-m', 'notebook', `--notebook-dir=${path.join(repoRoot, 'notebooks')}`];
const extra = process.argv.slice(2);
if (!extra.some((a) => a.startsWith('--ip'))) args.push('--ip=127.0.0.1');
if (!process.env.DISPLAY && !extra.includes('--browser')) args.push('--no-browser');
if (isRoot()) args.push('--allow-root');
args.push(...extra);
log('starting Jupyter Notebook on notebooks/ (kernel "TypeScript (siemlab)"); open the URL printed below');
const child = spawn(python, args, { stdio: ['inherit', 'inherit', 'pipe'], env: jupyterEnv() });
let announced = false;
child.stderr.on('data', (chunk) => {
  process.stderr.write(chunk);
  const m = /(http:\/\/[\w.\[\]:-]+:\d+\/\?token=\w+)/.exec(String(chunk));
  if (m && !announced) {
    announced = true;
    log(`Jupyter is ready: open ${m[1]}`);
  }
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
