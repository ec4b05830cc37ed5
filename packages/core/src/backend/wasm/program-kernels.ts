/**
 * Eager kernels for the elementwise primitives the module has no dedicated kernel for (select_n,
 * comparisons, boolean logic, float32 ↔ bool conversion): each is a one-instruction fused program
 * (fused.ts) on the block interpreter, compiled once per input dtypes and streamed in chunks.
 */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import { type JaxprEqn, Var } from "../../interpreters/jaxpr-types.js";
import type { PrimName } from "../../primitives.js";
import type { CompiledFusion, FusedCompiler, Kernel, KernelPrim } from "../backend.js";
import { referenceKernels } from "../reference/index.js";
import { allocOut, data, wrap } from "../reference/util.js";

/** The primitives served this way. */
export const PROGRAM_KERNEL_PRIMS = ["select_n", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor", "not", "convert_element_type"] as const;

/** One of PROGRAM_KERNEL_PRIMS. */
export type ProgramKernelPrim = (typeof PROGRAM_KERNEL_PRIMS)[number];

/** The eager kernel for `prim`: the fused compiler's program when it accepts the operands, else the reference kernel. */
export function programKernel<K extends ProgramKernelPrim>(compiler: FusedCompiler, prim: K): Kernel<K> {
  const ref = () => referenceKernels()[prim] as unknown as Kernel<K>;
  // Programs depend on the operands' dtypes and the params, not on sizes (n is a run argument).
  const cache = new Map<string, { compiled: CompiledFusion; ins: Var[] } | null>();
  return ((inputs: readonly ConcreteArray[], params: unknown, out: ShapedArray): ConcreteArray => {
    const ins = inputs.map((x) => new Var(x.aval));
    const eqn = { prim: prim as PrimName, inputs: ins, params, outBinders: [new Var(out)] } as JaxprEqn;
    if (!compiler.accepts(eqn)) return ref()(inputs, params as never, out);
    const key = `${inputs.map((x) => x.dtype).join(",")}>${out.dtype}`;
    let entry = cache.get(key);
    if (entry === undefined) {
      const compiled = compiler.compile([eqn], eqn.outBinders);
      cache.set(key, (entry = compiled && { compiled, ins }));
    }
    if (!entry) return ref()(inputs, params as never, out);
    // The program reads its inputs in its own order (each once); map them back to operand positions.
    const bufs = entry.compiled.inputs.map((v) => data(inputs[entry.ins.indexOf(v as Var)]!));
    const y = allocOut(out);
    entry.compiled.run(bufs, [y], out.size);
    return wrap(y, out);
  }) as Kernel<K>;
}

/** Whether `prim` is one of PROGRAM_KERNEL_PRIMS. */
export const isProgramKernelPrim = (prim: KernelPrim): prim is ProgramKernelPrim => (PROGRAM_KERNEL_PRIMS as readonly string[]).includes(prim);
