#!/usr/bin/env node
'use strict';
// `npm run build` (also run by `npm install` through `prepare`): compiles src/ once to dist/ — CommonJS
// JavaScript plus .d.ts declarations (tsconfig.build.json) — for the CLI, the notebook kernel and the tests
// that spawn the CLI. Notebooks import "./dist/index" and keep full types from the declarations.
//
// A stale build is never used silently: dist/.siemlab-build.json records every file of src/ with its
// modification time, and ensureBuild() (called by bin/siemlab.js, the kernel, `npm start`, `npm run
// notebooks` and the tests) rebuilds, with a message on stderr, when a file was added, removed or changed.
// Builds go to a temporary folder that replaces dist/ when complete, under a lock, so parallel callers
// never read a half-written dist/.
//
// Usage: node scripts/build.js            build now
//        node scripts/build.js --if-stale only when src/ changed since the last build
//        node scripts/build.js --check    exit 1 with a message when the build is missing or stale
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const repoRoot = path.resolve(__dirname, '..');
/** Where a checkout keeps its build (every function takes the checkout's root; tests pass a scratch one). */
const where = (root) => ({
  srcDir: path.join(root, 'src'),
  distDir: path.join(root, 'dist'),
  stampFile: path.join(root, 'dist', '.siemlab-build.json'),
  lockDir: path.join(root, '.dist.lock'),
});
const distDir = where(repoRoot).distDir;
const stampFile = where(repoRoot).stampFile;
/** Inputs besides src/ whose change changes the output. */
const CONFIGS = ['tsconfig.json', 'tsconfig.build.json'];
const LOCK_STALE_MS = 10 * 60 * 1000;

/** Every input file (relative path) with its modification time in ms. */
function inputs(root) {
  const out = {};
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) out[path.relative(root, file)] = fs.statSync(file).mtimeMs;
    }
  };
  walk(where(root).srcDir);
  for (const name of CONFIGS) {
    const file = path.join(root, name);
    if (fs.existsSync(file)) out[name] = fs.statSync(file).mtimeMs;
  }
  return out;
}

/**
 * Whether dist/ was built from the current src/: `{ fresh: true }` or `{ fresh: false, why }` naming the
 * first difference (no build, a file added, removed or changed).
 */
function buildState(root = repoRoot) {
  let stamp;
  try {
    stamp = JSON.parse(fs.readFileSync(where(root).stampFile, 'utf8'));
  } catch {
    return { fresh: false, why: 'dist/ has not been built yet' };
  }
  const now = inputs(root);
  const before = stamp.inputs || {};
  for (const [file, mtime] of Object.entries(now)) {
    if (!(file in before)) return { fresh: false, why: `${file} is new since the last build` };
    if (before[file] !== mtime) return { fresh: false, why: `${file} changed since the last build` };
  }
  for (const file of Object.keys(before)) {
    if (!(file in now)) return { fresh: false, why: `${file} was removed since the last build` };
  }
  return { fresh: true, builtAt: stamp.builtAt };
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Takes the build lock (waits while another process builds); returns a release function. */
function lock(root) {
  const { lockDir } = where(root);
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      return () => fs.rmSync(lockDir, { recursive: true, force: true });
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let age = 0;
      try {
        age = Date.now() - fs.statSync(lockDir).mtimeMs;
      } catch {
        continue; // released meanwhile
      }
      if (age > LOCK_STALE_MS) fs.rmSync(lockDir, { recursive: true, force: true });
      else sleep(200);
    }
  }
}

/**
 * Compiles src/ to dist/ (with `ifStale`: only when stale, looked at once the lock is held, so parallel
 * callers build a change once). Returns { ok, skipped, seconds, output } (tsc's diagnostics when not ok).
 */
function build({ ifStale = false, root = repoRoot } = {}) {
  const { distDir } = where(root);
  const release = lock(root);
  try {
    const t0 = Date.now();
    if (ifStale && buildState(root).fresh) return { ok: true, skipped: true, seconds: 0, output: '' };
    const recorded = inputs(root); // before compiling: an edit made during the build makes it stale
    const tmp = path.join(root, `.dist-build-${process.pid}`);
    fs.rmSync(tmp, { recursive: true, force: true });
    const tsc = require.resolve('typescript/bin/tsc', { paths: [repoRoot] });
    const r = spawnSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--outDir', tmp], {
      cwd: root,
      encoding: 'utf8',
    });
    const output = `${r.stdout || ''}${r.stderr || ''}`.trim();
    if (r.status !== 0) {
      fs.rmSync(tmp, { recursive: true, force: true });
      return { ok: false, seconds: (Date.now() - t0) / 1000, output: output || `tsc exited with ${r.status}` };
    }
    fs.writeFileSync(path.join(tmp, '.siemlab-build.json'), JSON.stringify({ builtAt: new Date().toISOString(), inputs: recorded }, null, 1) + '\n');
    const old = path.join(root, `.dist-old-${process.pid}`);
    if (fs.existsSync(distDir)) fs.renameSync(distDir, old);
    fs.renameSync(tmp, distDir);
    fs.rmSync(old, { recursive: true, force: true });
    return { ok: true, seconds: (Date.now() - t0) / 1000, output };
  } finally {
    release();
  }
}

/**
 * Makes sure dist/ matches src/: returns at once when it does, else says why on stderr and rebuilds.
 * Throws (message with tsc's errors and the command to run) when the build fails.
 */
function ensureBuild({ who = 'siemlab', quiet = false, root = repoRoot } = {}) {
  const state = buildState(root);
  if (state.fresh) return state;
  if (!quiet) process.stderr.write(`[${who}] ${state.why}: compiling src/ to dist/ (npm run build) ...\n`);
  const r = build({ ifStale: true, root });
  if (!r.ok) {
    throw new Error(`compiling src/ to dist/ failed (npm run build):\n${r.output}\nFix the errors above, then run npm run build.`);
  }
  if (!quiet && !r.skipped) process.stderr.write(`[${who}] dist/ built in ${r.seconds.toFixed(1)} s\n`);
  return buildState(root);
}

module.exports = { buildState, build, ensureBuild, distDir, stampFile };

if (require.main === module) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--if-stale', '--check'].includes(a));
  if (unknown.length > 0) {
    console.error(`build: unknown option ${unknown[0]} (use --if-stale or --check)`);
    process.exit(2);
  }
  if (args.includes('--check')) {
    const s = buildState();
    if (s.fresh) console.log(`dist/ is up to date (built ${s.builtAt})`);
    else console.error(`dist/ is stale: ${s.why}. Run npm run build.`);
    process.exit(s.fresh ? 0 : 1);
  }
  const r = build({ ifStale: args.includes('--if-stale') });
  if (!r.ok) {
    console.error(r.output);
    console.error('build: compiling src/ to dist/ failed; fix the errors above and run npm run build again.');
    process.exit(1);
  }
  if (!r.skipped) console.error(`[siemlab] dist/ built from src/ in ${r.seconds.toFixed(1)} s`);
}
