/**
 * @fluxion/kernels-asm: AssemblyScript kernels compiled to WebAssembly SIMD.
 * The kernels are built in the WASM issue; until then every primitive runs on core's reference backend.
 */
export {};
