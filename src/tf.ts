import * as tf from "@tensorflow/tfjs";

/** Which TensorFlow.js backend siemlab is using and why. */
export interface TfBackendInfo {
  /** Active backend name: "tensorflow" (native libtensorflow), "wasm" or "cpu". */
  readonly backend: string;
  /** Backends tried, in order, with the reason each was or was not used. */
  readonly tried: ReadonlyArray<{ readonly backend: string; readonly ok: boolean; readonly note: string }>;
  /** One line for a notebook's setup cell. */
  readonly summary: string;
}

let chosen: TfBackendInfo | undefined;

/**
 * The start of the banner TensorFlow.js prints (console.warn, through `backend_util.warn`) on the CPU
 * backend's first tensor in Node, advising to install tfjs-node. siemlab already says which backend runs
 * and why ({@link initTf}'s summary); in a notebook the banner is a pink stderr block over a lesson.
 */
const NODE_BACKEND_ADVICE = "Hi, looks like you are running TensorFlow.js in Node.js";

type Warn = ((...msg: unknown[]) => void) & { siemlabQuiet?: true };

/** Drops TensorFlow.js's tfjs-node advice from its warnings; every other warning is passed on. Idempotent. */
function quietNodeBackendAdvice(): void {
  const util = tf.backend_util as unknown as { warn: Warn };
  const warn = util.warn;
  if (typeof warn !== "function" || warn.siemlabQuiet) return;
  const quiet: Warn = (...msg: unknown[]) => {
    if (typeof msg[0] === "string" && msg[0].includes(NODE_BACKEND_ADVICE)) return;
    warn(...msg);
  };
  quiet.siemlabQuiet = true;
  util.warn = quiet;
}
quietNodeBackendAdvice();

/** Packages that may provide the native backend: the real tfjs-node (when not mapped to the shim) or its alias. */
const NATIVE_PACKAGES = ["@tensorflow/tfjs-node", "tfjs-node-native"];

/**
 * The `@tensorflow/tfjs` module siemlab uses (shared with danfojs-node). Call {@link initTf} first to pick the fastest backend.
 *
 * @example
 * getTf().tensor([1, 2, 3]).sum().arraySync() // 6
 */
export function getTf(): typeof tf {
  return tf;
}

function errorText(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split("\n")[0].slice(0, 160);
}

/**
 * Choose the fastest TensorFlow.js backend present on this machine, once per process:
 * 1. native `tensorflow` when a real `@tensorflow/tfjs-node` is installed (it needs libtensorflow, which its
 *    install script downloads from outside the npm registry; the offline install maps it to a pure-JS shim, and
 *    `npm run tf:native` adds the real one as `tfjs-node-native` on a machine that reaches that host),
 * 2. `wasm` from `@tensorflow/tfjs-backend-wasm` (ships its .wasm in the npm package),
 * 3. `cpu` (pure JS, always available).
 * Set `SIEMLAB_TF_BACKEND=cpu|wasm|tensorflow` to force one.
 *
 * @example
 * const info = await initTf();
 * console.log(info.summary); // e.g. "TensorFlow.js 4.22.0 backend: wasm (native tfjs-node not installed: …)"
 */
export async function initTf(): Promise<TfBackendInfo> {
  if (chosen) return chosen;
  const tried: { backend: string; ok: boolean; note: string }[] = [];
  const forced = process.env.SIEMLAB_TF_BACKEND;
  const want = (name: string) => forced === undefined || forced === "" || forced === name;

  if (want("tensorflow")) {
    // The real package registers the "tensorflow" backend on import; the offline shim that danfojs-node gets as
    // "@tensorflow/tfjs-node" registers nothing. `npm run tf:native` installs the real one as "tfjs-node-native".
    const notes: string[] = [];
    for (const name of NATIVE_PACKAGES) {
      try {
        require(name);
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== "MODULE_NOT_FOUND" || !String((e as Error).message).includes(`'${name}'`)) notes.push(`${name} failed to load: ${errorText(e)}`);
        continue;
      }
      if (tf.findBackendFactory("tensorflow")) break;
    }
    if (tf.findBackendFactory("tensorflow") && (await tf.setBackend("tensorflow"))) {
      tried.push({ backend: "tensorflow", ok: true, note: "native libtensorflow" });
    } else {
      const why = notes.length > 0 ? notes.join("; ") : "native tfjs-node not installed (offline shim in use; `npm run tf:native` installs it where its binary host is reachable)";
      tried.push({ backend: "tensorflow", ok: false, note: why });
    }
  }
  if (!tried.some((t) => t.ok) && want("wasm")) {
    try {
      require("@tensorflow/tfjs-backend-wasm");
      if (await tf.setBackend("wasm")) tried.push({ backend: "wasm", ok: true, note: "WebAssembly from @tensorflow/tfjs-backend-wasm" });
      else tried.push({ backend: "wasm", ok: false, note: "wasm backend failed to initialise" });
    } catch (e) {
      tried.push({ backend: "wasm", ok: false, note: `wasm backend unavailable: ${errorText(e)}` });
    }
  }
  if (!tried.some((t) => t.ok)) {
    await tf.setBackend("cpu");
    tried.push({ backend: "cpu", ok: true, note: "pure JavaScript" });
  }
  await tf.ready();
  const backend = tf.getBackend();
  const others = tried.filter((t) => !t.ok).map((t) => t.note);
  chosen = {
    backend,
    tried,
    summary: `TensorFlow.js ${tf.version.tfjs} backend: ${backend}` + (others.length ? ` (${others.join("; ")})` : ""),
  };
  return chosen;
}
