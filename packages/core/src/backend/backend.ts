/**
 * The kernel boundary: a backend supplies kernels for some primitives; the plain-TypeScript
 * reference backend supplies all of them and is the fallback and test oracle.
 */
import type { ConcreteArray } from "../array.js";
import type { ShapedArray } from "../aval.js";
import type { PrimParams } from "../primitives.js";
import type { Atom, JaxprEqn, Var } from "../interpreters/jaxpr-types.js";
import type { DataArray, DType } from "../dtype.js";
import { referenceKernels } from "./reference/index.js";

/** Primitives that run as kernels on concrete data (everything but the higher-order ones). */
export type KernelPrim = Exclude<keyof PrimParams, "custom_jvp_call" | "custom_vjp_call" | "custom_lin" | "pjit" | NonKernelPrim>;

/** Primitives whose impl is written in their rule file (multi-output or composite), not as a backend kernel. */
export type NonKernelPrim = "remat" | "scan" | "while" | "cond" | "threefry2x32" | "cholesky" | "triangular_solve" | "lu" | "qr" | "eigh" | "svd";

/** A kernel: inputs (validated by abstractEval) and params → one output with aval `out`. */
export type Kernel<K extends KernelPrim> = (inputs: readonly ConcreteArray[], params: PrimParams[K], out: ShapedArray) => ConcreteArray;

/** A full kernel table. */
export type KernelTable = { [K in KernelPrim]: Kernel<K> };

/** A fused elementwise group compiled by a backend: the inputs its `run` reads, in order, and the runner. */
export type CompiledFusion = {
  readonly inputs: Atom[];
  /** Compute the group's outputs (`outs`, one buffer each, in the order asked for) over n elements. */
  readonly run: (ins: ArrayLike<number>[], outs: { [i: number]: number }[], n: number) => void;
  /** The same on device memory: input and output addresses (see DeviceRuntime), when the backend has one. */
  readonly runDevice?: (ins: readonly number[], outs: readonly number[], n: number) => void;
};

/** A kernel on device memory: the addresses of its inputs and outputs (laid out by the plan). */
export type DeviceKernel = (ins: readonly number[], outs: readonly number[]) => void;

/**
 * Device memory for jit plans (DESIGN §3): a plan reserves one region per run, lays its
 * intermediates out in it ahead of time and runs device kernels on addresses, so only inputs are
 * copied in and outputs copied out; steps without a device kernel run on copies.
 */
export type DeviceRuntime = {
  /** Reserve `bytes` for one plan run (64-byte aligned); `end` releases it. Runs nest (a stack). */
  readonly begin: (bytes: number) => { readonly base: number; readonly end: () => void };
  /** Copy a host buffer to device address `ptr`. */
  readonly upload: (ptr: number, data: DataArray) => void;
  /** A fresh host buffer of `n` elements of `dtype` copied from device address `ptr`. */
  readonly download: (ptr: number, dtype: DType, n: number) => DataArray;
  /** The device kernel for an equation (built once per plan), or null when there is none. */
  readonly kernel: (eqn: JaxprEqn) => DeviceKernel | null;
};

/**
 * A backend's compiler for jit's fused elementwise groups: `accepts` says which equations it can take
 * (groups are formed from those alone); `compile` turns a group (equations in order, the values needed
 * outside) into the backend's own loop, or declines with null and the plan generates a JS loop.
 */
export type FusedCompiler = {
  readonly accepts: (eqn: JaxprEqn) => boolean;
  readonly compile: (eqns: readonly JaxprEqn[], outputs: readonly Var[]) => CompiledFusion | null;
};

/** A backend: a name, kernels for any subset of primitives, and optionally its own fused loops and device memory. */
export type Backend = {
  readonly name: string;
  readonly kernels: Partial<KernelTable>;
  readonly fuse?: FusedCompiler;
  readonly device?: DeviceRuntime;
};

/** The reference backend: every kernel, in plain TypeScript. */
export const referenceBackend: Backend = { name: "reference", get kernels() { return referenceKernels(); } };

let active: Backend = referenceBackend;

/** Select the backend used for eager evaluation; returns the previous one. */
export function setBackend(backend: Backend): Backend {
  const prev = active;
  active = backend;
  return prev;
}

/** The backend in use. */
export function getBackend(): Backend {
  return active;
}

/** The kernel for `prim`: the active backend's, else the reference one. */
export function kernelFor<K extends KernelPrim>(prim: K): Kernel<K> {
  return (active.kernels[prim] ?? referenceKernels()[prim]) as Kernel<K>;
}
