/**
 * Squared distances (or dot products) from one query to a block of rows, as tiny WebAssembly SIMD functions
 * assembled here from its opcodes (no binary blob, no build step), for the KD-tree / ball tree of
 * {@link BinaryTree}'s leaves, brute-force neighbours and the One-Class SVM's RBF kernel. Rows are stored
 * column-major, so one f64x2 operation handles two rows; each row's sum is still Σ_j (q_j − x_j)² (or
 * Σ_j q_j·x_j) taken over j = 0, 1, … in order with plain IEEE additions and multiplications (no fused
 * multiply-add): the same bits as the scalar loops, scikit-learn's `euclidean_rdist` and libsvm's `dot`.
 * About 3–10× faster than the JavaScript loops they replace.
 */
import { lazyWasmModule, uleb, wasmApi, wasmName, wasmSection, wasmVec, type WasmApi, type WasmMemory, type WasmModule } from "./wasm-module";

const str = wasmName;
const section = wasmSection;
const vec = wasmVec;

const I32 = 0x7f;
const V128 = 0x7b;
const get = (i: number): number[] => [0x20, ...uleb(i)];
const set = (i: number): number[] => [0x21, ...uleb(i)];
const i32const = (v: number): number[] => [0x41, ...uleb(v)]; // only small non-negative constants here
const simd = (code: number, ...imm: number[]): number[] => [0xfd, ...uleb(code), ...imm];
const memarg = [3, 0]; // align 2^3, offset 0
const V128_LOAD = (): number[] => simd(0, ...memarg);
const V128_STORE = (): number[] => simd(11, ...memarg);
const F64X2_SPLAT = simd(20);
const F64X2_ADD = simd(240);
const F64X2_SUB = simd(241);
const F64X2_MUL = simd(242);
const F64_LOAD = [0x2b, 3, 0];
const I32_ADD = [0x6a];
const I32_LT_U = [0x49];
const BLOCK = [0x02, 0x40];
const LOOP = [0x03, 0x40];
const END = [0x0b];
const BR_IF = (d: number): number[] => [0x0d, ...uleb(d)];
const BR = (d: number): number[] => [0x0c, ...uleb(d)];
const I32_GE_U = [0x4f];

// f(block, bytes, stride, d, q, acc): block = byte address of the first column's first value, bytes = bytes per
// column to process (a multiple of 16), stride = bytes from one column to the next, d = columns, q = byte address
// of the query (d doubles), acc = byte address of the output (bytes / 8 doubles).
// sqdist: acc[p] = Σ_j (q_j − x_j[p])²; dot: acc[p] = Σ_j q_j · x_j[p]; both summed over j = 0, 1, … in order.
const A = { block: 0, bytes: 1, stride: 2, d: 3, q: 4, acc: 5 };
const Lc = { p: 6, j: 7, v: 8, diff: 9 };

function body(kind: "sqdist" | "dot"): number[] {
  // term: the per-row value of column j, from v (the splatted q_j) and the loaded column values.
  const term = (): number[][] =>
    kind === "sqdist"
      ? [get(Lc.v), get(A.block), get(Lc.p), I32_ADD, V128_LOAD(), F64X2_SUB, set(Lc.diff), get(Lc.diff), get(Lc.diff), F64X2_MUL]
      : [get(Lc.v), get(A.block), get(Lc.p), I32_ADD, V128_LOAD(), F64X2_MUL];
  const code = [
    // j = 0: acc = term
    get(A.q), F64_LOAD, F64X2_SPLAT, set(Lc.v),
    i32const(0), set(Lc.p),
    LOOP,
    get(A.acc), get(Lc.p), I32_ADD,
    ...term(),
    V128_STORE(),
    get(Lc.p), i32const(16), I32_ADD, set(Lc.p),
    get(Lc.p), get(A.bytes), I32_LT_U, BR_IF(0),
    END,
    // j = 1 … d − 1: acc += term
    i32const(1), set(Lc.j),
    BLOCK,
    LOOP,
    get(Lc.j), get(A.d), I32_GE_U, BR_IF(1),
    get(A.block), get(A.stride), I32_ADD, set(A.block),
    get(A.q), i32const(8), I32_ADD, set(A.q),
    get(A.q), F64_LOAD, F64X2_SPLAT, set(Lc.v),
    i32const(0), set(Lc.p),
    LOOP,
    get(A.acc), get(Lc.p), I32_ADD,
    get(A.acc), get(Lc.p), I32_ADD, V128_LOAD(),
    ...term(),
    F64X2_ADD,
    V128_STORE(),
    get(Lc.p), i32const(16), I32_ADD, set(Lc.p),
    get(Lc.p), get(A.bytes), I32_LT_U, BR_IF(0),
    END,
    get(Lc.j), i32const(1), I32_ADD, set(Lc.j),
    BR(0),
    END,
    END,
  ];
  const locals = vec([[...uleb(2), I32], [...uleb(2), V128]]);
  const bytes = [...locals, ...code.flat(), ...END];
  return [...uleb(bytes.length), ...bytes];
}

function moduleBytes(): Uint8Array {
  const type = section(1, vec([[0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), ...vec([])]]));
  const imports = section(2, vec([[...str("env"), ...str("mem"), 0x02, 0x00, ...uleb(1)]]));
  const funcs = section(3, vec([uleb(0), uleb(0)]));
  const exports = section(7, vec([[...str("sqdist"), 0x00, ...uleb(0)], [...str("dot"), 0x00, ...uleb(1)]]));
  const code = section(10, vec([body("sqdist"), body("dot")]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...type, ...imports, ...funcs, ...exports, ...code]);
}

const wasm = wasmApi;
const wasmModule = lazyWasmModule(moduleBytes);

let enabled = true;

/**
 * Turns the WebAssembly kernels on or off for kernels created afterwards (default on); off, every caller runs its
 * plain JavaScript loop, with the same results. For tests of those loops and for comparisons.
 *
 * @example
 * useLeafKernel(false);
 * LeafKernel.create(4, 1, 4); // null
 * useLeafKernel(true);
 */
export function useLeafKernel(on: boolean): void {
  enabled = on;
}

/** A kernel function: (block, bytes, stride, d, q, acc) → void, byte addresses into {@link LeafKernel.f64}. */
export type LeafFn = (block: number, bytes: number, stride: number, d: number, q: number, acc: number) => void;

/**
 * A WebAssembly memory holding `nValues` doubles of row data, a query of d doubles and an output of
 * `maxStride` doubles (+ 2 spare), with the kernel functions bound to it; null where WebAssembly SIMD is missing.
 *
 * @example
 * // One leaf column of 4 rows (d = 1) holding 0, 1, 2, 3, and the query 1.5:
 * const k = LeafKernel.create(4, 1, 4) as LeafKernel;
 * k.f64.set([0, 1, 2, 3], 0);
 * k.f64[k.qAt] = 1.5;
 * k.sqdist(0, 4 * 8, 4 * 8, 1, k.qAt * 8, k.accAt * 8);
 * Array.from(k.f64.subarray(k.accAt, k.accAt + 4)); // [2.25, 0.25, 0.25, 2.25]
 */
export class LeafKernel {
  /** The memory as doubles: leaf data at [0, nValues), the query at qAt, the output at accAt. */
  readonly f64: Float64Array;
  readonly qAt: number;
  readonly accAt: number;
  /** Squared distances from the query to `bytes / 8` rows of column-major data. */
  readonly sqdist: LeafFn;
  /** Dot products of the query with `bytes / 8` rows of column-major data. */
  readonly dot: LeafFn;

  private constructor(memory: WasmMemory, sqdist: LeafFn, dot: LeafFn, qAt: number, accAt: number) {
    this.f64 = new Float64Array(memory.buffer);
    this.sqdist = sqdist;
    this.dot = dot;
    this.qAt = qAt;
    this.accAt = accAt;
  }

  static create(nValues: number, d: number, maxStride: number): LeafKernel | null {
    const mod = enabled ? wasmModule() : null;
    if (mod === null || wasm === undefined) return null;
    const qAt = nValues + (nValues & 1);
    const accAt = qAt + d + ((qAt + d) & 1);
    const bytes = (accAt + maxStride + 2) * 8;
    if (bytes > 2 ** 31) return null;
    try {
      const memory = new wasm.Memory({ initial: Math.ceil(bytes / 65536) });
      const inst = new wasm.Instance(mod, { env: { mem: memory } });
      return new LeafKernel(memory, inst.exports.sqdist as LeafFn, inst.exports.dot as LeafFn, qAt, accAt);
    } catch {
      return null;
    }
  }
}
