'use strict';
// Shared set-up for the Jupyter side of siemlab: find a Python that has Jupyter (installing it when we may),
// register the tslab kernel in a project-local prefix, and build the environment Jupyter needs.
// Plain CommonJS so it runs before anything is compiled.
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const repoRoot = path.resolve(__dirname, '..');
const jupyterPath = path.join(repoRoot, '.jupyter', 'share', 'jupyter');
const kernelDir = path.join(jupyterPath, 'kernels', 'tslab');
const KERNEL_NAME = 'tslab';
const notebookConfigDir = path.join(repoRoot, '.jupyter', 'config');

/** Python modules each use needs. */
const MODULES = {
  run: ['nbformat', 'nbclient', 'nbconvert', 'jupyter_client', 'IPython'],
  start: ['nbformat', 'nbclient', 'nbconvert', 'jupyter_client', 'IPython', 'notebook'],
};
const DEBIAN_PACKAGES = ['jupyter-notebook', 'jupyter-nbconvert', 'python3-nbclient', 'python3-ipython', 'python3-ipykernel'];
const PIP_PACKAGES = ['notebook<7', 'nbconvert', 'nbclient', 'ipython', 'ipykernel'];

function log(...args) {
  console.error('[siemlab]', ...args);
}

function pythonCandidates() {
  const list = [];
  if (process.env.SIEMLAB_PYTHON) list.push(process.env.SIEMLAB_PYTHON);
  // Debian's interpreter first: it is the one apt installs Jupyter into; the `python3` first on PATH
  // (pyenv, conda, a venv) is often another interpreter without it.
  list.push('/usr/bin/python3', 'python3', 'python');
  return [...new Set(list)];
}

function hasModules(python, modules) {
  const r = spawnSync(python, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
  return r.status === 0;
}

/** The first Python interpreter that can import every module `use` needs, or null. */
function findPython(use = 'run') {
  for (const python of pythonCandidates()) {
    if (hasModules(python, MODULES[use])) return python;
  }
  return null;
}

function commandExists(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function isDebianLike() {
  return fs.existsSync('/etc/debian_version') && commandExists('apt-get');
}

function isRoot() {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/** Installs Debian packages (root on Debian/Ubuntu only: callers check). Returns whether apt-get succeeded. */
function aptInstall(packages, why) {
  log(`installing ${why} from Debian packages: ${packages.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  if (update.status !== 0) return false;
  const r = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
  return r.status === 0;
}

function installWithPip() {
  for (const python of pythonCandidates()) {
    if (spawnSync(python, ['-m', 'pip', '--version'], { stdio: 'ignore' }).status !== 0) continue;
    log(`installing Jupyter with pip into ${python}: ${PIP_PACKAGES.join(' ')}`);
    const r = spawnSync(python, ['-m', 'pip', 'install', '--user', '--disable-pip-version-check', ...PIP_PACKAGES], {
      stdio: 'inherit',
      timeout: 10 * 60 * 1000,
    });
    if (r.status === 0) return true;
  }
  return false;
}

/**
 * A Python with Jupyter for `use` ('run' = headless execution, 'start' = the Notebook UI). Installs Jupyter
 * when none is found: Debian packages when running as root on Debian/Ubuntu, else pip where PyPI is
 * reachable. Throws with instructions naming both when neither works.
 */
function ensurePython(use = 'run') {
  let python = findPython(use);
  if (python) return python;
  const root = isRoot();
  if (root && isDebianLike()) aptInstall(DEBIAN_PACKAGES, 'Jupyter');
  python = findPython(use);
  if (python) return python;
  if (!root || !isDebianLike()) installWithPip();
  python = findPython(use);
  if (python) return python;
  throw new Error(
    [
      `No Python with Jupyter (${MODULES[use].join(', ')}) was found (tried ${pythonCandidates().join(', ')}).`,
      `Install it, then run this command again:`,
      `  Debian/Ubuntu:  sudo apt-get install ${DEBIAN_PACKAGES.join(' ')}`,
      `  elsewhere:      python3 -m pip install --user ${PIP_PACKAGES.map((p) => `'${p}'`).join(' ')}`,
      `Set SIEMLAB_PYTHON=/path/to/python3 to choose the interpreter.`,
    ].join('\n'),
  );
}

/**
 * Writes the kernel spec for the tslab kernel into the project-local prefix .jupyter/ (no global changes).
 * The kernel is started through scripts/kernel.js, which makes the repository root tslab's working
 * directory, so notebooks in notebooks/ import the library as "./src".
 */
function registerKernel() {
  fs.mkdirSync(kernelDir, { recursive: true });
  const spec = {
    argv: [process.execPath, path.join(repoRoot, 'scripts', 'kernel.js'), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (siemlab)',
    language: 'typescript',
    env: { SIEMLAB_ROOT: repoRoot },
    metadata: { siemlab: { tslab: require('tslab/package.json').version } },
  };
  const file = path.join(kernelDir, 'kernel.json');
  const text = JSON.stringify(spec, null, 2) + '\n';
  const changed = !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
  if (changed) fs.writeFileSync(file, text);
  for (const logo of ['logo-32x32.png', 'logo-64x64.png']) {
    const src = path.join(repoRoot, 'node_modules', 'tslab', 'python', logo);
    if (fs.existsSync(src)) fs.copyFileSync(src, path.join(kernelDir, logo));
  }
  return { file, changed };
}

/**
 * Headless Chromium for chart export and the browser tests: `SIEMLAB_CHROMIUM` or Debian's /usr/bin/chromium.
 * Installs Debian's `chromium` when missing and running as root on Debian/Ubuntu (never a browser download);
 * otherwise throws with the command to run.
 */
function ensureChromium() {
  const file = process.env.SIEMLAB_CHROMIUM || '/usr/bin/chromium';
  if (fs.existsSync(file)) return file;
  if (!process.env.SIEMLAB_CHROMIUM && isRoot() && isDebianLike()) {
    aptInstall(['chromium'], 'Chromium (chart export and browser tests)');
    if (fs.existsSync(file)) return file;
  }
  throw new Error(
    `Chromium not found at ${file}. Install it (Debian/Ubuntu: sudo apt-get install chromium) or set SIEMLAB_CHROMIUM to a Chromium/Chrome executable.`,
  );
}

/**
 * Copies the project's Notebook configuration (scripts/jupyter/: outputs stripped on save, no auto-scroll
 * boxes) to .jupyter/config/ and returns that folder. It is generated, so files the Notebook writes there
 * (nbconfig, a password) never show up in git.
 */
function prepareConfigDir() {
  const from = path.join(__dirname, 'jupyter');
  fs.mkdirSync(notebookConfigDir, { recursive: true });
  fs.cpSync(from, notebookConfigDir, { recursive: true });
  return notebookConfigDir;
}

/** Environment for the Notebook server (`npm start`, the UI tests): jupyterEnv() plus the project's config. */
function notebookEnv() {
  return { ...jupyterEnv(), JUPYTER_CONFIG_DIR: prepareConfigDir() };
}

/** Environment for Jupyter processes: our kernel prefix first on JUPYTER_PATH. */
function jupyterEnv() {
  const prev = process.env.JUPYTER_PATH;
  return {
    ...process.env,
    JUPYTER_PATH: prev ? `${jupyterPath}${path.delimiter}${prev}` : jupyterPath,
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
  };
}

module.exports = { repoRoot, jupyterPath, kernelDir, KERNEL_NAME, findPython, ensurePython, ensureChromium, registerKernel, jupyterEnv, notebookEnv, prepareConfigDir, notebookConfigDir, isRoot, log };
