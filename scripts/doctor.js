#!/usr/bin/env node
'use strict';
// `npm run doctor`: the "before the workshop" checklist of the README, verified on this machine. Changes
// nothing (except starting and stopping one kernel): each check says ok, warn (a lesson runs with a fallback)
// or FAIL (a lesson cannot run) and, when not ok, the command that fixes it. Exit code 1 when any check fails.
//   node scripts/doctor.js           the checklist, one line per check
//   node scripts/doctor.js --json    the same as JSON (for tests and scripts)
//   node scripts/doctor.js --quick   without starting a kernel
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const repoRoot = path.resolve(__dirname, '..');
const MIN_NODE = 20;
const MEMORY_FAIL_GB = 1;
const MEMORY_WARN_GB = 2;
/** Real data sets the lessons read when present, with the notebooks that use them. */
const LOGHUB = [
  { name: 'loghub/OpenSSH_2k', notebooks: '02, 03, 05' },
  { name: 'loghub/Linux_2k', notebooks: '02' },
  { name: 'loghub/Apache_2k', notebooks: '02' },
];
const ADBENCH = [
  { file: '16_http.npz', notebooks: '04' },
  { file: '6_cardio.npz', notebooks: '04' },
];

const checks = [];
function report(name, status, detail, fix) {
  checks.push({ name, status, detail, ...(fix ? { fix } : {}) });
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= MIN_NODE) report('Node.js', 'ok', `v${process.versions.node}`);
  else report('Node.js', 'fail', `v${process.versions.node}; siemlab needs ${MIN_NODE} or newer`, `install Node.js ${MIN_NODE}+ (https://nodejs.org or your distribution's nodejs package)`);
}

function checkInstall() {
  const missing = ['tslab', 'typescript', 'danfojs-node', 'playwright-core'].filter(
    (p) => !fs.existsSync(path.join(repoRoot, 'node_modules', p, 'package.json')),
  );
  if (missing.length === 0) report('npm packages', 'ok', 'node_modules/ has tslab, typescript, danfojs-node, playwright-core');
  else report('npm packages', 'fail', `missing: ${missing.join(', ')}`, 'npm install');
}

function checkBuild() {
  let state;
  try {
    state = require('./build.js').buildState();
  } catch (e) {
    report('library build (dist/)', 'fail', e.message, 'npm run build');
    return;
  }
  if (state.fresh) report('library build (dist/)', 'ok', `built ${state.builtAt} from the current src/`);
  else report('library build (dist/)', 'fail', state.why, 'npm run build (npm start and npm run notebooks also rebuild it)');
}

function checkLineScanner() {
  const { lineScannerProblem } = require(path.join(repoRoot, 'dist', 'ingest', 'line-scan.js'));
  const problem = lineScannerProblem();
  if (problem === undefined) report('fast log reader', 'ok', 'the WebAssembly line scanner runs here (SIMD)');
  else report('fast log reader', 'warn', `the WebAssembly line scanner cannot run here (${problem}): logs are read in JavaScript, with the same results, about a sixth slower`, 'nothing to fix for a workshop; a machine whose CPU has SSE4.1 (x86-64) or any arm64 runs it');
}

function checkJupyter() {
  const { findPython, kernelDir } = require('./jupyter');
  const python = findPython('start');
  if (python) report('Jupyter Notebook', 'ok', `${python} has notebook, nbclient, nbconvert, jupyter_client`);
  else report('Jupyter Notebook', 'fail', 'no Python with Jupyter Notebook 6 found', 'npm run setup (as root on Debian installs jupyter-notebook; or see README)');
  const file = path.join(kernelDir, 'kernel.json');
  let spec;
  try {
    spec = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    report('kernel registered', 'fail', `${path.relative(repoRoot, file)} is missing`, 'npm run setup');
    return { python, registered: false };
  }
  const launcher = path.join(repoRoot, 'scripts', 'kernel.js');
  const [node, script] = spec.argv || [];
  if (script !== launcher) {
    report('kernel registered', 'fail', `kernel.json starts ${script}, not this checkout's ${launcher}`, 'npm run setup');
    return { python, registered: false };
  }
  if (!node || !fs.existsSync(node)) {
    report('kernel registered', 'fail', `kernel.json runs ${node}, which does not exist`, 'npm run setup');
    return { python, registered: false };
  }
  report('kernel registered', 'ok', `"${spec.display_name}" in ${path.relative(repoRoot, file)}`);
  return { python, registered: true };
}

function checkKernelStarts(python) {
  const { KERNEL_NAME, jupyterEnv } = require('./jupyter');
  const args = [path.join(__dirname, 'kernel_probe.py'), 'starts', '--starts', '1', '--parallel', '1', '--registered', KERNEL_NAME];
  const probe = spawnSync(python, args, { encoding: 'utf8', timeout: 180_000, env: jupyterEnv() });
  let result;
  try {
    result = JSON.parse(probe.stdout.trim().split('\n').pop());
  } catch {
    result = null;
  }
  if (probe.status === 0 && result && result.failed === 0) {
    report('kernel starts', 'ok', `started, answered \`1 + 1\` and stopped in ${result.max_seconds} s`);
  } else {
    const why = result && result.failures && result.failures[0] ? result.failures[0].problem : (probe.stderr || probe.error || '').toString().trim().split('\n').pop();
    report('kernel starts', 'fail', `the tslab kernel did not answer: ${why}`, 'npm run setup, then npm run doctor again; see the kernel log in the Notebook terminal');
  }
}

function checkChromium() {
  const file = process.env.SIEMLAB_CHROMIUM || '/usr/bin/chromium';
  if (!fs.existsSync(file)) {
    report('Chromium', 'fail', `${file} not found (browser tests and chart export need it; the Notebook UI does not)`, 'sudo apt-get install chromium, or set SIEMLAB_CHROMIUM');
    return;
  }
  const r = spawnSync(file, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status === 0) report('Chromium', 'ok', r.stdout.trim());
  else report('Chromium', 'fail', `${file} --version failed: ${(r.stderr || String(r.error)).trim().split('\n')[0]}`, 'sudo apt-get install --reinstall chromium');
}

/** An exported function of the library, at the top level or inside one of its namespaces (sl.ingest...). */
function libraryFunction(lib, name) {
  if (typeof lib[name] === 'function') return lib[name];
  for (const value of Object.values(lib)) {
    if (value && typeof value === 'object' && typeof value[name] === 'function') return value[name];
  }
  throw new Error(`the library exports no ${name}()`);
}

function checkDatasets() {
  let lib;
  try {
    const index = require(path.join(repoRoot, 'dist', 'index.js'));
    lib = Object.fromEntries(['sharedDatasetsDir', 'findDatasetSync', 'getDatasetInfo'].map((n) => [n, libraryFunction(index, n)]));
  } catch (e) {
    report('data sets', 'warn', `cannot look them up: ${e.message.split('\n')[0]}`, 'npm run build');
    return;
  }
  const shared = lib.sharedDatasetsDir();
  for (const d of LOGHUB) {
    let found;
    try {
      found = lib.findDatasetSync(d.name);
    } catch (e) {
      report(`data set ${d.name}`, 'warn', e.message.split('\n')[0], `replace the file (see README, "Real data sets offline")`);
      continue;
    }
    if (found) report(`data set ${d.name}`, 'ok', `${found} (notebooks ${d.notebooks})`);
    else {
      const info = lib.getDatasetInfo(d.name);
      report(`data set ${d.name}`, 'warn', `not found; notebooks ${d.notebooks} use the simulator's logs instead`, `copy ${info.file} into ${shared} (or SIEMLAB_DATA_DIR); see README`);
    }
  }
  for (const d of ADBENCH) {
    const file = path.join(shared, 'adbench', d.file);
    if (fs.existsSync(file)) report(`data set adbench/${d.file}`, 'ok', `${file} (notebook ${d.notebooks})`);
    else report(`data set adbench/${d.file}`, 'warn', `not found; notebook ${d.notebooks} compares on synthetic data instead`, `copy adbench/${d.file} into ${shared}; see README`);
  }
}

/** Memory the system can give without swapping (MemAvailable), in GB. */
function availableGb() {
  try {
    const m = /MemAvailable:\s+(\d+) kB/.exec(fs.readFileSync('/proc/meminfo', 'utf8'));
    if (m) return Number(m[1]) / 1024 / 1024;
  } catch {
    /* not Linux */
  }
  return os.freemem() / 1024 ** 3;
}

function checkMemory() {
  const gb = availableGb();
  const text = `${gb.toFixed(1)} GB available of ${(os.totalmem() / 1024 ** 3).toFixed(1)} GB; ${os.cpus().length} CPU cores`;
  if (gb < MEMORY_FAIL_GB) report('free memory', 'fail', `${text}; a kernel running notebook 04 needs about 1 GB`, 'close other programs or kernels (Jupyter: Running → Shutdown)');
  else if (gb < MEMORY_WARN_GB) report('free memory', 'warn', `${text}; enough for one notebook at a time`, 'shut down kernels of notebooks you are not showing');
  else report('free memory', 'ok', text);
}

function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--json', '--quick'].includes(a));
  if (unknown.length > 0) {
    console.error(`doctor: unknown option ${unknown[0]} (use --json or --quick)`);
    process.exit(2);
  }
  // A check that crashes is a failed check, not a stack trace.
  const run = (name, fn) => {
    try {
      return fn();
    } catch (e) {
      report(name, 'fail', `the check itself failed: ${e.message.split('\n')[0]}`, 'npm install, then npm run doctor again');
      return undefined;
    }
  };
  run('Node.js', checkNode);
  run('npm packages', checkInstall);
  run('library build (dist/)', checkBuild);
  if (checks.some((c) => c.name === 'library build (dist/)' && c.status === 'ok')) run('fast log reader', checkLineScanner);
  const { python, registered } = run('Jupyter Notebook', checkJupyter) ?? {};
  if (!args.includes('--quick') && python && registered) run('kernel starts', () => checkKernelStarts(python));
  run('Chromium', checkChromium);
  run('data sets', checkDatasets);
  run('free memory', checkMemory);
  const failed = checks.filter((c) => c.status === 'fail').length;
  const warned = checks.filter((c) => c.status === 'warn').length;
  if (args.includes('--json')) {
    console.log(JSON.stringify({ ok: failed === 0, failed, warned, checks }, null, 1));
  } else {
    const mark = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' };
    for (const c of checks) {
      console.log(`${mark[c.status]}  ${c.name}: ${c.detail}`);
      if (c.fix) console.log(`      fix: ${c.fix}`);
    }
    console.log(failed === 0 ? `ready for the workshop (${warned} warning${warned === 1 ? '' : 's'})` : `${failed} check${failed === 1 ? '' : 's'} failed: fix them before the workshop`);
  }
  process.exitCode = failed === 0 ? 0 : 1;
}

main();
