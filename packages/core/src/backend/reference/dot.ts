/** Reference kernel for dot_general: batch dims, then lhs free dims, then rhs free dims. */
import type { ConcreteArray } from "../../array.js";
import type { ShapedArray } from "../../aval.js";
import type { PrimParams } from "../../primitives.js";
import { alloc, data, permuted, wrap } from "./util.js";

/** `dot_general(lhs, rhs)`: transposes both operands to [B, M, K] and [B, K, N] and multiplies. */
export function dotGeneralKernel(inputs: readonly ConcreteArray[], params: PrimParams["dot_general"], out: ShapedArray): ConcreteArray {
  const [lhs, rhs] = [inputs[0]!, inputs[1]!];
  const [lc, rc] = params.contracting;
  const [lb, rb] = params.batch;
  const lFree = range(lhs.ndim).filter((d) => !lc.includes(d) && !lb.includes(d));
  const rFree = range(rhs.ndim).filter((d) => !rc.includes(d) && !rb.includes(d));
  const prod = (x: ConcreteArray, dims: readonly number[]) => dims.reduce((n, d) => n * x.shape[d]!, 1);
  const B = prod(lhs, lb);
  const M = prod(lhs, lFree);
  const K = prod(lhs, lc);
  const N = prod(rhs, rFree);
  const a = permuted(data(lhs), lhs.shape, [...lb, ...lFree, ...lc]);
  const b = permuted(data(rhs), rhs.shape, [...rb, ...rc, ...rFree]);
  const y = alloc(out);
  const isInt = out.dtype === "int32" || out.dtype === "uint32";
  for (let bi = 0; bi < B; bi++) {
    const aOff = bi * M * K;
    const bOff = bi * K * N;
    const yOff = bi * M * N;
    const row = new Float64Array(N);
    for (let i = 0; i < M; i++) {
      row.fill(0);
      for (let k = 0; k < K; k++) {
        const av = a[aOff + i * K + k]!;
        const bRow = bOff + k * N;
        if (isInt) for (let j = 0; j < N; j++) row[j] = (row[j]! + Math.imul(av, b[bRow + j]!)) | 0;
        else for (let j = 0; j < N; j++) row[j] = row[j]! + av * b[bRow + j]!;
      }
      for (let j = 0; j < N; j++) y[yOff + i * N + j] = row[j]!;
    }
  }
  return wrap(y, out);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
