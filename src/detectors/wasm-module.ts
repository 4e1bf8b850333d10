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
