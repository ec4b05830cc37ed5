/** dot_general on the wasm GEMM: operands viewed as [B, M, K]·[B, K, N] through strides, permuted only when they must be. */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams } from "../../primitives.js";
import { checkStatus } from "@fluxion/kernels-asm";
import { dotGeneralKernel } from "../reference/dot.js";
import { allocOut, data, permuted, wrap } from "../reference/util.js";
import { type WasmContext, copyOut, gemm, put, view, withArena } from "./context.js";

/** Below this many multiply-adds the JS loop wins over copying into wasm memory. */
const MIN_WORK = 16 * 16 * 16;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const isIdentity = (p: readonly number[]) => p.every((d, i) => d === i);

/** The operand as a [B, rows, cols] matrix stack: its buffer and (row, col) strides, transposing by strides when possible. */
function asMatrices(x: ConcreteArray, batch: readonly number[], rowsDims: readonly number[], colsDims: readonly number[], rows: number, cols: number) {
  if (isIdentity([...batch, ...rowsDims, ...colsDims])) return { buf: data(x), rs: cols, cs: 1 };
  if (isIdentity([...batch, ...colsDims, ...rowsDims])) return { buf: data(x), rs: 1, cs: rows };
  return { buf: permuted(data(x), x.shape, [...batch, ...rowsDims, ...colsDims]), rs: cols, cs: 1 };
}

/** The wasm dot_general kernel (float32/float64; other dtypes and tiny products use the reference). */
export function wasmDotGeneral(ctx: WasmContext, minWork = MIN_WORK) {
  return (inputs: readonly ConcreteArray[], params: PrimParams["dot_general"], out: ShapedArray): ConcreteArray => {
    const [lhs, rhs] = [inputs[0]!, inputs[1]!];
    const f64 = out.dtype === "float64";
    if (!f64 && out.dtype !== "float32") return dotGeneralKernel(inputs, params, out);
    const [lc, rc] = params.contracting;
    const [lb, rb] = params.batch;
    const lFree = range(lhs.ndim).filter((d) => !lc.includes(d) && !lb.includes(d));
    const rFree = range(rhs.ndim).filter((d) => !rc.includes(d) && !rb.includes(d));
    const size = (x: ConcreteArray, dims: readonly number[]) => dims.reduce((n, d) => n * x.shape[d]!, 1);
    const [B, M, K, N] = [size(lhs, lb), size(lhs, lFree), size(lhs, lc), size(rhs, rFree)];
    if (M * N * K < minWork || M * N === 0 || K === 0) return dotGeneralKernel(inputs, params, out);
    const a = asMatrices(lhs, lb, lFree, lc, M, K);
    const b = asMatrices(rhs, rb, rc, rFree, K, N);
    const bytes = f64 ? 8 : 4;
    const y = allocOut(out);
    withArena(ctx, () => {
      const pa = put(ctx, a.buf);
      const pb = put(ctx, b.buf);
      // No zero-fill: with beta = 0 the kernel writes C without reading its stale bytes.
      const pc = ctx.arena.alloc(B * M * N * bytes);
      for (let i = 0; i < B; i++) {
        checkStatus("dot_general (gemm)", gemm(ctx, f64, M, N, K, pa + i * M * K * bytes, a.rs, a.cs, pb + i * K * N * bytes, b.rs, b.cs, 0, pc + i * M * N * bytes, N, 1));
      }
      copyOut(y, view(ctx, f64, pc, B * M * N));
    });
    return wrap(y, out);
  };
}
