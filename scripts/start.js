#!/usr/bin/env node
'use strict';
// `npm start`: Jupyter Notebook on notebooks/ with the project's tslab kernel and configuration
// (scripts/jupyter/: notebooks saved without outputs, charts without scroll boxes).
// Extra arguments go to Jupyter, e.g. `npm start -- --port 8899`. For a room:
//   npm start -- --ip 0.0.0.0 --port 8888 --token workshop
// listens on every interface and prints the address to give out for each of this machine's networks.
// `--token T` is short for --NotebookApp.token=T (default: a random token Jupyter prints).
const os = require('node:os');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { ensurePython, registerKernel, notebookEnv, repoRoot, isRoot, log } = require('./jupyter');

/** Jupyter's arguments for the arguments given to `npm start --`; exported for the tests. */
function jupyterArgs(extra, env = process.env) {
  const args = ['-m', 'notebook', `--notebook-dir=${path.join(repoRoot, 'notebooks')}`];
  const rest = [];
  for (let i = 0; i < extra.length; i++) {
    const a = extra[i];
    if (a === '--token' || a.startsWith('--token=')) {
      const value = a === '--token' ? extra[++i] : a.slice('--token='.length);
      if (value === undefined || value.startsWith('--')) throw new Error('--token needs a value, e.g. --token workshop');
      rest.push(`--NotebookApp.token=${value}`);
    } else {
      rest.push(a);
    }
  }
  if (!rest.some((a) => a.startsWith('--ip') || a.startsWith('--NotebookApp.ip'))) args.push('--ip=127.0.0.1');
  if (!env.DISPLAY && !rest.includes('--browser')) args.push('--no-browser');
  if (isRoot()) args.push('--allow-root');
  return [...args, ...rest];
}

/** The value of `--name V` or `--name=V` in args, or undefined. */
function option(args, name) {
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name) return args[i + 1];
    if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
  }
  return undefined;
}

/** Addresses a room can reach this machine on: its non-internal IPv4 addresses. */
function roomAddresses() {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

function main() {
  const python = ensurePython('start');
  registerKernel();
  try {
    require('./build.js').ensureBuild({ who: 'siemlab' }); // the notebooks import the compiled "./dist/index"
  } catch (e) {
    console.error(e.message);
    process.exit(1);
  }
  let args;
  try {
    args = jupyterArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`npm start: ${e.message}`);
    process.exit(2);
  }
  const ip = option(args, '--ip');
  log('starting Jupyter Notebook on notebooks/ (kernel "TypeScript (siemlab)"); open the URL printed below');
  const child = spawn(python, args, { stdio: ['inherit', 'inherit', 'pipe'], env: notebookEnv() });
  let announced = false;
  child.stderr.on('data', (chunk) => {
    process.stderr.write(chunk);
    // Jupyter prints a token it was given as "...": show the real one.
    const m = /(https?):\/\/([\w.\[\]:-]+):(\d+)\/\?token=(\w+|\.\.\.)/.exec(String(chunk));
    if (m && !announced) {
      announced = true;
      const [, scheme, host, port, printed] = m;
      const token = printed === '...' ? option(args, '--NotebookApp.token') ?? printed : printed;
      log(`Jupyter is ready: open ${scheme}://${host}:${port}/?token=${token}`);
      if (ip === '0.0.0.0' || ip === '*' || ip === '') {
        for (const address of roomAddresses()) log(`for the room: ${scheme}://${address}:${port}/?token=${token}`);
      }
    }
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

module.exports = { jupyterArgs, option, roomAddresses };
if (require.main === module) main();
