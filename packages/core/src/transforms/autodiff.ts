/** Public autodiff: jvp, linearize, vjp, grad, valueAndGrad (Autodidax: vjp = transpose ∘ linearize). */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { isFloat } from "../dtype.js";
import { DTypeError, ShapeError } from "../errors.js";
import { evalJaxpr } from "../interpreters/eval-jaxpr.js";
import { jvpFlat } from "../interpreters/jvp.js";
import { type PartialVal, partialEvalFlat } from "../interpreters/partial-eval.js";
import { backwardPass, checkCotangents } from "../interpreters/transpose.js";
import * as lax from "../lax/index.js";
import { UndefPrimal } from "../rules/types.js";
import { type PyTree, type TreeDef, flatten, treedefEquals, treedefToString, unflatten } from "../tree.js";
import { flattenArgs, flattenFun } from "./flat.js";

// Loose function types: transformations accept any function of pytrees.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;

/** Forward mode: `[f(primals), ∂f(primals)·tangents]`, primals and tangents given as argument lists. */
export function jvp<F extends Fn>(f: F, primals: Parameters<F>, tangents: Parameters<F>): [ReturnType<F>, ReturnType<F>] {
  const [ps, inTree] = flattenArgs(primals);
  const [ts, tTree] = flattenArgs(tangents);
  if (!treedefEquals(inTree, tTree)) {
    throw new ShapeError(`jvp: primals ${treedefToString(inTree)} and tangents ${treedefToString(tTree)} must have the same structure`);
  }
  const { flat, outTree } = flattenFun(f, inTree);
  const [outs, touts] = jvpFlat(flat, ps, ts);
  return [unflatten(outTree(), outs), unflatten(outTree(), touts)];
}

/** Linearize a flat function: primal outputs now, and the staged linear map of the tangents. */
function linearizeFlat(f: (...xs: NdArray[]) => NdArray[], primals: NdArray[]) {
  const n = primals.length;
  const pvals: PartialVal[] = [
    ...primals.map((p) => ({ aval: p.aval, known: p })),
    ...primals.map((p) => ({ aval: new ShapedArray(p.shape, p.dtype), known: null })),
  ];
  let numOuts = 0;
  const fJvp = (...xs: NdArray[]) => {
    const [o, t] = jvpFlat(f, xs.slice(0, n), xs.slice(n), "grad/vjp/linearize (reverse mode)");
    numOuts = o.length;
    return [...o, ...t];
  };
  const { closed, pvalsOut } = partialEvalFlat(fJvp, pvals, (i) => i >= numOuts);
  const primalOuts = pvalsOut.slice(0, numOuts).map((p) => {
    if (p.known === null) throw new Error("linearize: a primal output depends on tangents (a jvp rule is wrong)");
    return p.known;
  });
  return { primalOuts, closed, tangentAvals: primals.map((p) => p.aval) };
}

/** `[f(primals), fLin]` where `fLin(tangents)` = jvp's tangent output, evaluated without re-running f. */
export function linearize<F extends Fn>(f: F, ...primals: Parameters<F>): [ReturnType<F>, (...tangents: Parameters<F>) => ReturnType<F>] {
  const [ps, inTree] = flattenArgs(primals);
  const { flat, outTree } = flattenFun(f, inTree);
  const { primalOuts, closed } = linearizeFlat(flat, ps);
  const out = outTree();
  const fLin = (...tangents: Parameters<F>) => {
    const [ts, tTree] = flattenArgs(tangents);
    if (!treedefEquals(inTree, tTree)) throw new ShapeError(`linearize: tangents ${treedefToString(tTree)} must match primals ${treedefToString(inTree)}`);
    return unflatten<ReturnType<F>>(out, evalJaxpr(closed.jaxpr, [...closed.consts, ...ts]));
  };
  return [unflatten(out, primalOuts), fLin];
}

/** Reverse mode on flat lists: outputs, and the pullback from output cotangents to input cotangents. */
export function vjpFlat(f: (...xs: NdArray[]) => NdArray[], primals: NdArray[]): [NdArray[], (cts: NdArray[]) => NdArray[]] {
  const { primalOuts, closed, tangentAvals } = linearizeFlat(f, primals);
  const pullback = (cts: NdArray[]) => {
    checkCotangents("vjp", primalOuts, cts);
    return backwardPass(closed.jaxpr, [...closed.consts, ...tangentAvals.map((a) => new UndefPrimal(a))], cts);
  };
  return [primalOuts, pullback];
}

/** `[f(primals), pullback]` where `pullback(ct)` returns one cotangent per argument (a list). */
export function vjp<F extends Fn>(f: F, ...primals: Parameters<F>): [ReturnType<F>, (ct: ReturnType<F>) => Parameters<F>] {
  const [ps, inTree] = flattenArgs(primals);
  const { flat, outTree } = flattenFun(f, inTree);
  const [outs, pullback] = vjpFlat(flat, ps);
  const out = outTree();
  const fVjp = (ct: ReturnType<F>) => {
    const [cts, ctTree] = flattenArgs([ct]);
    const wrapped: TreeDef = { kind: "array", children: [out] };
    if (!treedefEquals(ctTree, wrapped)) throw new ShapeError(`vjp: cotangent structure ${treedefToString(ctTree)} must match the output [${treedefToString(out)}]`);
    return unflatten<Parameters<F>>(inTree, pullback(cts));
  };
  return [unflatten(out, outs), fVjp];
}

/** Options of `grad`/`valueAndGrad`. */
export type GradOptions = {
  /** Which positional argument(s) to differentiate (default 0). A list returns a list of gradients. */
  argnums?: number | readonly number[];
  /** `f` returns `[value, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
};

function checkScalarOutput(op: string, y: unknown): NdArray {
  const [leaves] = flatten(y as PyTree);
  const v = leaves[0];
  if (leaves.length !== 1 || typeof v !== "object") {
    throw new TypeError(`${op}: the function must return one scalar array, got ${leaves.length} leaves; use vjp or jacrev for non-scalar outputs`);
  }
  if (v.ndim !== 0) throw new ShapeError(`${op}: the function must return a scalar (shape []), got ${v.aval.str()}; reduce it (e.g. np.sum or np.mean) or use jacrev`);
  if (!isFloat(v.dtype)) throw new DTypeError(`${op}: the function must return a float scalar, got ${v.aval.str()}`);
  return v;
}

/** `valueAndGrad(f)(...args)` → `[f(...args), ∇f]` (or `[[value, aux], ∇f]` with `hasAux`). */
export function valueAndGrad<F extends Fn>(f: F, opts: GradOptions = {}) {
  const argnums = opts.argnums ?? 0;
  const nums = typeof argnums === "number" ? [argnums] : [...argnums];
  return (...args: Parameters<F>): [ReturnType<F> | unknown, unknown] => {
    for (const i of nums) {
      if (!Number.isInteger(i) || i < 0 || i >= args.length) throw new RangeError(`grad: argnums ${JSON.stringify(argnums)} out of range for ${args.length} arguments`);
    }
    const diffArgs = nums.map((i) => args[i]);
    for (const leaf of flatten(diffArgs as PyTree)[0]) {
      if (typeof leaf === "object" && !isFloat(leaf.dtype)) {
        throw new DTypeError(`grad: can only differentiate with respect to float arrays, got ${leaf.aval.str()}; exclude it with argnums or cast it with astype`);
      }
    }
    const partial = (...d: unknown[]) => {
      const full = [...args];
      nums.forEach((i, k) => (full[i] = d[k]));
      const out = (f as Fn)(...full);
      if (opts.hasAux && (!Array.isArray(out) || out.length !== 2)) throw new TypeError("grad: with hasAux the function must return [value, aux]");
      return out;
    };
    const [ps, inTree] = flattenArgs(diffArgs);
    const { flat, outTree } = flattenFun(partial, inTree);
    // With hasAux the outputs are [value, ...aux leaves]: aux rides along as undifferentiated primal outputs.
    const [outs, pullback] = vjpFlat(flat, ps);
    const y = checkScalarOutput("grad", opts.hasAux ? outs[0] : outs.length === 1 ? outs[0] : outs);
    const cts = outs.map((o, i) => (i === 0 ? lax.fullLike(y, 1) : lax.zerosLike(o)));
    const grads = unflatten<unknown[]>(inTree, pullback(cts));
    const g = typeof argnums === "number" ? grads[0] : grads;
    const aux = opts.hasAux ? unflatten<[unknown, unknown]>(outTree(), outs)[1] : undefined;
    return [opts.hasAux ? [y, aux] : y, g];
  };
}

/** `grad(f)(...args)` → ∇f with respect to `argnums` (default the first argument); f must return a scalar. */
export function grad<F extends Fn>(f: F, opts: GradOptions = {}) {
  const vg = valueAndGrad(f, opts);
  return (...args: Parameters<F>) => {
    const [value, g] = vg(...args);
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (opts.hasAux ? [g, (value as [unknown, unknown])[1]] : g) as any;
  };
}
