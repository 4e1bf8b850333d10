/**
 * The few WebAssembly APIs siemlab's hand-assembled kernels use (the Isolation Forest's scoring kernel and the
 * neighbour/SVM leaf kernel), typed locally because the notebook kernel's TypeScript has no DOM/WebAssembly lib,
 * and a memoised compile that gives null where WebAssembly (or its SIMD) is missing, so callers keep their
 * JavaScript loops.
 */

/** A WebAssembly.Memory, as far as the kernels use it. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A compiled WebAssembly.Module (opaque). */
export interface WasmModule {
  readonly __wasmModule?: never;
}

/** The WebAssembly namespace, as far as the kernels use it. */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}

/** This runtime's WebAssembly namespace, or undefined without one. */
export const wasmApi: WasmApi | undefined = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/**
 * A function that compiles `bytes()` once, on its first call, and then returns the same module; null when there is
 * no WebAssembly or the module does not validate (e.g. no SIMD).
 *
 * @example
 * const empty = lazyWasmModule(() => new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
 * empty() !== null; // true
 * empty() === empty(); // true
 * lazyWasmModule(() => new Uint8Array([1, 2, 3]))(); // null
 */
export function lazyWasmModule(bytes: () => Uint8Array): () => WasmModule | null {
  let compiled: WasmModule | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = wasmApi === undefined ? null : new wasmApi.Module(bytes());
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

// --- the binary format's encodings, shared by the kernels' little assemblers -------------------------

/**
 * Unsigned LEB128 of a non-negative integer (the WebAssembly binary format's u32 encoding).
 *
 * @example
 * uleb(624485); // [229, 142, 38]
 */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/**
 * A name (ASCII): its length, then its bytes.
 *
 * @example
 * wasmName("env"); // [3, 101, 110, 118]
 */
export const wasmName = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

/**
 * A section: its id, its byte length, its body.
 *
 * @example
 * wasmSection(10, [0]); // [10, 1, 0]
 */
export const wasmSection = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/**
 * A vector: its length, then its items' bytes.
 *
 * @example
 * wasmVec([[1], [2, 3]]); // [2, 1, 2, 3]
 */
export const wasmVec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
