/** Types of scripts/build.mjs, for the tests that build the module before loading it. */

/** Absolute path of build/kernels.wasm. */
export declare const wasmPath: string;
/** True when build/kernels.wasm is missing or older than a source. */
export declare function isStale(): boolean;
/** Compile the module (only when stale if `onlyIfStale`); resolves to whether it compiled. */
export declare function build(options?: { onlyIfStale?: boolean }): Promise<boolean>;
