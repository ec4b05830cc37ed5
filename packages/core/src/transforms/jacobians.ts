/** Jacobians and Hessians: jacfwd (vmap of jvp), jacrev (vmap of vjp), hessian = jacfwd ∘ jacrev. */
import type { NdArray } from "../array.js";
import { DTypeError } from "../errors.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { vmapFlat } from "../interpreters/batching.js";
import * as lax from "../lax/index.js";
import { isFloat } from "../dtype.js";
import { type PyTree, type TreeDef, flatten, unflatten } from "../tree.js";
import { vjpFlat } from "./autodiff.js";
import { flattenArgs, flattenFun } from "./flat.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

/** Options of the Jacobian transforms. */
export type JacOptions = { argnums?: number | readonly number[] };

/** Rows of the identity of size n, split per leaf: basis[leaf] has shape [n, ...leaf.shape]. */
function basisFor(leaves: NdArray[]): NdArray[] {
  const n = leaves.reduce((k, l) => k + l.size, 0);
  let offset = 0;
  return leaves.map((l) => {
    const dtype = l.dtype;
    const r = lax.iota("int32", [n, l.size], 0);
    const c = lax.add(lax.iota("int32", [n, l.size], 1), lax.full([n, l.size], offset, "int32"));
    offset += l.size;
    return lax.reshape(lax.convertElementType(lax.eq(r, c), dtype), [n, ...l.shape]);
  });
}

function prepare(op: string, f: Fn, args: unknown[], argnums: number | readonly number[]) {
  const nums = typeof argnums === "number" ? [argnums] : [...argnums];
  const diffArgs = nums.map((i) => args[i]);
  const [leaves, inTree] = flattenArgs(diffArgs);
  for (const l of leaves) if (!isFloat(l.dtype)) throw new DTypeError(`${op}: can only differentiate with respect to float arrays, got ${l.aval.str()}`);
  const partial = (...d: unknown[]) => {
    const full = [...args];
    nums.forEach((i, k) => (full[i] = d[k]));
    return f(...full);
  };
  const { flat, outTree } = flattenFun(partial, inTree);
  const unwrapIn = (perLeaf: unknown[]) => {
    const t = unflatten<unknown[]>(inTree, perLeaf);
    return typeof argnums === "number" ? t[0] : t;
  };
  return { leaves, flat, outTree, unwrapIn };
}

/** Assemble out-tree-of-in-trees from blocks[o][i] with shape out_o.shape + in_i.shape. */
function assemble(outTree: TreeDef, blocks: NdArray[][], unwrapIn: (perLeaf: unknown[]) => unknown): unknown {
  return unflatten(outTree, blocks.map((row) => unwrapIn(row)));
}

/** Jacobian by forward mode (one jvp per input element, vectorised by vmap). */
export function jacfwd<F extends Fn>(f: F, opts: JacOptions = {}) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (...args: Parameters<F>): any => {
    const { leaves, flat, outTree, unwrapIn } = prepare("jacfwd", f, args, opts.argnums ?? 0);
    const basis = basisFor(leaves);
    const pushfwd = (...ts: NdArray[]) => jvpFlat(flat, leaves, ts)[1];
    const outs = vmapFlat(pushfwd, basis.map(() => 0), (k) => new Array(k).fill(0), basis, basis[0]?.shape[0] ?? 0);
    // outs[o]: [N, ...out_o] → per input leaf: slice, move N to the end, reshape to out_o + in_i.
    const blocks = outs.map((o) => {
      let offset = 0;
      return leaves.map((l) => {
        const part = lax.slice(o, [offset, ...o.shape.slice(1).map(() => 0)], [offset + l.size, ...o.shape.slice(1)]);
        offset += l.size;
        const moved = lax.transpose(part, [...o.shape.slice(1).map((_, i) => i + 1), 0]);
        return lax.reshape(moved, [...o.shape.slice(1), ...l.shape]);
      });
    });
    return assemble(outTree(), blocks, unwrapIn);
  };
}

/** Jacobian by reverse mode (one vjp per output element, vectorised by vmap). */
export function jacrev<F extends Fn>(f: F, opts: JacOptions = {}) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return (...args: Parameters<F>): any => {
    const { leaves, flat, outTree, unwrapIn } = prepare("jacrev", f, args, opts.argnums ?? 0);
    const [outs, pullback] = vjpFlat(flat, leaves);
    const basis = basisFor(outs);
    const M = basis[0]?.shape[0] ?? 0;
    const grads = vmapFlat((...cts: NdArray[]) => pullback(cts), basis.map(() => 0), (k) => new Array(k).fill(0), basis, M);
    // grads[i]: [M, ...in_i] → per output leaf: slice its rows and reshape to out_o + in_i.
    let offset = 0;
    const blocks = outs.map((o) => {
      const row = grads.map((g, i) => {
        const part = lax.slice(g, [offset, ...g.shape.slice(1).map(() => 0)], [offset + o.size, ...g.shape.slice(1)]);
        return lax.reshape(part, [...o.shape, ...leaves[i]!.shape]);
      });
      offset += o.size;
      return row;
    });
    return assemble(outTree(), blocks, unwrapIn);
  };
}

/** Hessian: `jacfwd(jacrev(f))`. */
export function hessian<F extends Fn>(f: F, opts: JacOptions = {}) {
  return jacfwd(jacrev(f, opts), opts);
}

/** Flattened view used by tests: leaves of a Jacobian pytree. */
export function jacobianLeaves(j: unknown): NdArray[] {
  return flatten(j as PyTree)[0] as NdArray[];
}
