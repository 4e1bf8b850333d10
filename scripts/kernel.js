#!/usr/bin/env node
'use strict';
// Starts the tslab kernel with the repository root as its working directory. tslab compiles local
// TypeScript with the working directory as rootDir, so a kernel started in notebooks/ could not import
// ../src; from the root, every notebook imports the compiled library as "./dist/index" and reads "data/...".
//
// Before starting, the compiled library in dist/ is rebuilt if src/ changed; a running kernel tells the next
// cell when src/ changed after it loaded (warnWhenStale), and pre-compiles the import line while idle
// (warmUpWhenIdle).
// Two fixes to tslab 1.0.22 are applied here at load time (node_modules stays as `npm ci` left it):
// - start-up race: tslab's ZmqServer.init starts its receive loops and binds the five sockets in parallel,
//   so a kernel_info_request could be answered (status on iopub, reply on shell) while another socket's bind
//   was still running, and zeromq throws EBUSY ("Socket is blocked by a bind or unbind operation").
//   bindAllThenServe() binds every socket, one after the other, before anything is received or sent.
// - "Unexpected pending rebuildTimer": tslab's converter gives TypeScript's watch program a timer with a
//   single slot meant for program updates. When a watched directory changes (a file appears in src/,
//   node_modules is relinked), TypeScript also schedules its failed-lookup invalidation on that slot, and
//   the next cell dies. routeWatchTimers() runs that invalidation on a real timer instead; it then asks
//   for a program update, which goes to tslab's slot as before.
const path = require('node:path');

const repo = path.resolve(__dirname, '..');
const tslabDir = path.dirname(require.resolve('tslab/package.json', { paths: [repo] }));

/** Replacement for tslab's ZmqServer.prototype.init: same sockets, binds first, then serves. */
async function bindAllThenServe() {
  const fs = require('node:fs');
  const zmq = require(require.resolve('zeromq', { paths: [path.join(tslabDir, 'dist')] }));
  const cinfo = JSON.parse(fs.readFileSync(this.configPath, 'utf-8'));
  this.connInfo = cinfo;
  this.iopub = new zmq.Publisher();
  this.shell = new zmq.Router();
  this.control = new zmq.Router();
  this.stdin = new zmq.Router();
  this.hb = new zmq.Reply();
  const sockets = [
    [this.iopub, cinfo.iopub_port, 'iopub'],
    [this.shell, cinfo.shell_port, 'shell'],
    [this.control, cinfo.control_port, 'control'],
    [this.stdin, cinfo.stdin_port, 'stdin'],
    [this.hb, cinfo.hb_port, 'hb'],
  ];
  for (const [sock, port, name] of sockets) {
    try {
      await this.bindSocket(sock, port);
    } catch (e) {
      console.error(`siemlab kernel: cannot bind the ${name} socket to port ${port}: ${e.message}`);
      process.exit(1);
    }
  }
  const serve = async (sock, onMessage) => {
    try {
      for await (const msgs of sock) onMessage(msgs);
    } catch (e) {
      if (e.code !== 'EAGAIN' && !sock.closed) console.error('siemlab kernel: socket loop stopped:', e);
    }
  };
  serve(this.shell, (msgs) => this.handleShellMessage(this.shell, ...msgs));
  serve(this.control, (msgs) => this.handleShellMessage(this.control, ...msgs));
  serve(this.hb, (msgs) => this.hb.send(msgs)); // heartbeat: echo
}

/**
 * Makes `sys.setTimeout = fn` on any object derived from TypeScript's `ts.sys` (tslab's converter does
 * exactly that) install a router: program updates go to tslab's single-slot timer, failed-lookup
 * invalidation goes to a real timer.
 */
function routeWatchTimers() {
  const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [path.join(tslabDir, 'dist')] }));
  const base = ts.sys;
  const slot = new WeakMap(); // derived sys -> { setTimeout, clearTimeout } tslab installed
  const real = new Set();
  for (const name of ['setTimeout', 'clearTimeout']) {
    const original = base[name];
    Object.defineProperty(base, name, {
      configurable: true,
      enumerable: true,
      get() {
        if (this === base || !slot.has(this) || !slot.get(this)[name]) return original;
        const own = slot.get(this);
        if (name === 'setTimeout') {
          return (callback, ms, ...args) => {
            if (callback && callback.name === 'invalidateResolutionsOfFailedLookup') {
              const t = setTimeout(() => {
                real.delete(t);
                callback(...args);
              }, ms);
              t.unref();
              real.add(t);
              return t;
            }
            return own.setTimeout(callback, ms, ...args);
          };
        }
        return (handle) => {
          if (real.has(handle)) {
            real.delete(handle);
            return clearTimeout(handle);
          }
          return own.clearTimeout(handle);
        };
      },
      set(fn) {
        if (this === base) {
          Object.defineProperty(base, name, { value: fn, writable: true, configurable: true, enumerable: true });
          return;
        }
        if (!slot.has(this)) slot.set(this, {});
        slot.get(this)[name] = fn;
      },
    });
  }
}

/**
 * Notebooks import the compiled library ("./dist/index"). Before a cell runs, tells the cell (stderr, once
 * per change) when src/ changed after the build this kernel loaded: the kernel keeps running the code it
 * loaded until it is restarted, and the restart rebuilds.
 */
function warnWhenStale() {
  const { JupyterHandlerImpl } = require(path.join(tslabDir, 'dist', 'jupyter.js'));
  const { buildState } = require('./build.js');
  const handleExecute = JupyterHandlerImpl.prototype.handleExecute;
  let warned = '';
  JupyterHandlerImpl.prototype.handleExecute = function (req, writeStream, writeDisplayData) {
    const state = buildState();
    if (!state.fresh && state.why !== warned) {
      warned = state.why;
      writeStream(
        'stderr',
        `siemlab: ${state.why}; this kernel still runs the library it loaded from dist/. ` +
          'Restart the kernel (Kernel → Restart) to rebuild and load the change.\n',
      );
    }
    return handleExecute.call(this, req, writeStream, writeDisplayData);
  };
}

/** The code every notebook starts with: compiled once while the kernel is idle (see warmUpWhenIdle). */
const WARM_UP_CELL = 'import * as sl from "./dist/index";\nvoid sl;\n';
let cellsStarted = 0;

/**
 * Once the sockets are bound and before any cell runs, type-checks the notebooks' import line
 * (WARM_UP_CELL) in the kernel's TypeScript program, so the declarations of the library and of Danfo and
 * TensorFlow.js are loaded while the teacher still talks: the first cell then answers in well under a
 * second instead of a few. Skipped when a cell already started, when dist/ is stale, or with
 * SIEMLAB_KERNEL_WARMUP=0. The converter keeps no state from it (each cell passes its own declarations).
 */
function warmUpWhenIdle() {
  if (process.env.SIEMLAB_KERNEL_WARMUP === '0') return;
  const converterModule = require(path.join(tslabDir, 'dist', 'converter.js'));
  const { ZmqServer } = require(path.join(tslabDir, 'dist', 'jupyter.js'));
  const createConverter = converterModule.createConverter;
  let nodeConverter = null;
  let scheduled = false;
  converterModule.createConverter = function (options) {
    const converter = createConverter.call(this, options);
    if (!(options && options.isBrowser)) nodeConverter = converter;
    return converter;
  };
  // After the first kernel_info reply: the client is connected and the kernel shows as idle.
  const handleKernelInfo = ZmqServer.prototype.handleKernelInfo;
  ZmqServer.prototype.handleKernelInfo = function (...args) {
    const result = handleKernelInfo.apply(this, args);
    if (!scheduled) {
      scheduled = true;
      setTimeout(() => {
        if (nodeConverter === null || cellsStarted > 0 || !require('./build.js').buildState().fresh) return;
        try {
          nodeConverter.convert('', WARM_UP_CELL);
        } catch {
          /* a warm-up that fails changes nothing: the first cell compiles as usual */
        }
      }, 200).unref();
    }
    return result;
  };
}

/** Applies the fixes; returns tslab's main module. Exported for the kernel tests. */
function patchTslab() {
  const { ZmqServer, JupyterHandlerImpl } = require(path.join(tslabDir, 'dist', 'jupyter.js'));
  if (ZmqServer.prototype.init !== bindAllThenServe) {
    ZmqServer.prototype.init = bindAllThenServe;
    routeWatchTimers();
    warnWhenStale();
    const handleExecute = JupyterHandlerImpl.prototype.handleExecute;
    JupyterHandlerImpl.prototype.handleExecute = function (...args) {
      cellsStarted++;
      return handleExecute.apply(this, args);
    };
    warmUpWhenIdle();
  }
  return require(path.join(tslabDir, 'dist', 'main.js'));
}

module.exports = { patchTslab };

if (require.main === module) {
  const root = process.env.SIEMLAB_ROOT || repo;
  try {
    require('./build.js').ensureBuild({ who: 'siemlab kernel' });
  } catch (e) {
    console.error(`siemlab kernel: ${e.message}`); // cells importing "./dist/index" will say so too
  }
  process.chdir(root);
  patchTslab().main();
}
