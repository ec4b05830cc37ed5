/**
 * @fluxion/kernels-asm: numeric kernels in AssemblyScript compiled to WebAssembly SIMD, their typed
 * ABI, a loader for Node and browsers, and host-side arena helpers. Only core's wasm backend should
 * import this package (DESIGN.md §1.6: WASM stays behind one door).
 */
export {
  type Ptr, type StatusCode, type KernelFunctions, type KernelName, type KernelExports, type KernelMemory,
  type ValType, type Signature, Status, UnaryOp, BinaryOp, FusedOp, CompareOp, FusedLayout, ReduceOp, ConvGeom, PoolGeom, SIGNATURES, abiConstants,
} from "./abi.js";
export {
  type KernelBuild, type KernelSource, type LoadOptions, kernelsUrl, preferredBuild, loadKernels, loadKernelsModule, instantiateKernels,
} from "./loader.js";
export { simdSupported, relaxedSimdSupported, sharedMemorySupported } from "./probe.js";
export { type PoolOptions, type PoolWorker, type WorkerHost, type WorkerInit, KernelPool, nodeWorkerHost } from "./threads.js";
export { Arena, type HostArray } from "./memory.js";
export { copyBytes } from "./copy.js";
export { checkStatus } from "./status.js";
export {
  type ConvGeometry, type ConvOptions, type PoolGeometry,
  contiguousStrides, windowOutputSize, nchwConv, encodeConv, pool2d, encodePool,
} from "./geometry.js";
