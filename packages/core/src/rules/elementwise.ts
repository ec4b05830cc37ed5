/** Rules for elementwise primitives: unary math, binary arithmetic, comparisons, select, casts. */
import type { NdArray } from "../array.js";
import { ShapedArray } from "../aval.js";
import { checkDType, isFloat } from "../dtype.js";
import { ShapeError } from "../errors.js";
import * as lax from "../lax/index.js";
import type { BinaryPrim, ComparePrim, UnaryPrim } from "../primitives.js";
import type { RuleSet } from "./types.js";
import { UndefPrimal } from "./types.js";
import { bilinearTangent } from "../interpreters/zeros.js";
import { broadcastBatcher, checkDtypeIn, checkFloat, checkSameShapeDtype, kernelImpl, withDtype, zeroTangents } from "./util.js";

const NUMERIC = ["float32", "float64", "int32", "uint32"] as const;
const c = (x: NdArray, v: number) => lax.fullLike(x, v);

/** Derivative of each differentiable unary primitive: (x, y = f(x), t) → tangent of y. */
const UNARY_JVP: Partial<Record<UnaryPrim, (x: NdArray, y: NdArray, t: NdArray) => NdArray>> = {
  neg: (_x, _y, t) => lax.neg(t),
  exp: (_x, y, t) => lax.mul(t, y),
  log: (x, _y, t) => lax.div(t, x),
  expm1: (_x, y, t) => lax.mul(t, lax.add(y, c(y, 1))),
  log1p: (x, _y, t) => lax.div(t, lax.add(x, c(x, 1))),
  tanh: (_x, y, t) => lax.mul(t, lax.sub(c(y, 1), lax.mul(y, y))),
  logistic: (_x, y, t) => lax.mul(t, lax.mul(y, lax.sub(c(y, 1), y))),
  sin: (x, _y, t) => lax.mul(t, lax.cos(x)),
  cos: (x, _y, t) => lax.neg(lax.mul(t, lax.sin(x))),
  tan: (_x, y, t) => lax.mul(t, lax.add(c(y, 1), lax.mul(y, y))),
  asin: (x, _y, t) => lax.mul(t, lax.rsqrt(lax.sub(c(x, 1), lax.mul(x, x)))),
  acos: (x, _y, t) => lax.neg(lax.mul(t, lax.rsqrt(lax.sub(c(x, 1), lax.mul(x, x))))),
  atan: (x, _y, t) => lax.div(t, lax.add(c(x, 1), lax.mul(x, x))),
  sinh: (x, _y, t) => lax.mul(t, lax.cosh(x)),
  cosh: (x, _y, t) => lax.mul(t, lax.sinh(x)),
  sqrt: (_x, y, t) => lax.div(lax.mul(t, c(y, 0.5)), y),
  rsqrt: (x, y, t) => lax.mul(t, lax.div(lax.mul(y, c(y, -0.5)), x)),
  abs: (x, _y, t) => lax.mul(t, lax.sign(x)),
  erf: (x, _y, t) => lax.mul(t, lax.mul(c(x, 2 / Math.sqrt(Math.PI)), lax.exp(lax.neg(lax.mul(x, x))))),
  erf_inv: (_x, y, t) => lax.mul(t, lax.mul(c(y, Math.sqrt(Math.PI) / 2), lax.exp(lax.mul(y, y)))),
};

const FLOAT_ONLY: readonly UnaryPrim[] = [
  "exp", "log", "expm1", "log1p", "tanh", "logistic", "sin", "cos", "tan", "asin", "acos", "atan",
  "sinh", "cosh", "sqrt", "rsqrt", "erf", "erf_inv", "is_finite", "floor", "ceil", "round",
];

/** Rules of a unary elementwise primitive. */
export function unaryRules<K extends UnaryPrim>(prim: K): RuleSet<K> {
  const jvpFn = UNARY_JVP[prim];
  const rules: RuleSet<K> = {
    abstractEval([x]) {
      if (prim === "not") checkDtypeIn(prim, x!, ["bool"]);
      else if (FLOAT_ONLY.includes(prim)) checkFloat(prim, x!);
      else checkDtypeIn(prim, x!, NUMERIC);
      return [prim === "is_finite" ? withDtype(x!, "bool") : x!];
    },
    impl: kernelImpl(prim as UnaryPrim) as RuleSet<K>["impl"],
    jvp([x], [t], params) {
      const y = lax.bind(prim, [x!], params)[0]!;
      return [[y], [jvpFn ? jvpFn(x!, y, t!) : lax.zerosLike(y)]];
    },
    batch: broadcastBatcher(prim),
  };
  if (prim === "neg") rules.transpose = ([ct]) => [lax.neg(ct!)];
  return rules;
}

/** Tangent of max/min: the winner's tangent, the average where the operands tie (as JAX). */
function chooserJvp(isMax: boolean) {
  return (x: NdArray, y: NdArray, tx: NdArray, ty: NdArray): NdArray => {
    const wins = isMax ? lax.gt(x, y) : lax.lt(x, y);
    const ties = lax.eq(x, y);
    const wx = lax.selectN(wins, lax.selectN(ties, c(x, 0), c(x, 0.5)), c(x, 1));
    return lax.add(lax.mul(tx, wx), lax.mul(ty, lax.sub(c(x, 1), wx)));
  };
}

const BINARY_JVP: Partial<Record<BinaryPrim, (x: NdArray, y: NdArray, out: NdArray, tx: NdArray, ty: NdArray) => NdArray>> = {
  add: (_x, _y, _o, tx, ty) => lax.add(tx, ty),
  sub: (_x, _y, _o, tx, ty) => lax.sub(tx, ty),
  mul: (x, y, o, tx, ty) => bilinearTangent(tx, ty, () => lax.mul(tx, y), () => lax.mul(x, ty), o),
  div: (_x, y, out, tx, ty) => lax.div(lax.sub(tx, lax.mul(ty, out)), y),
  rem: (x, y, _o, tx, ty) => {
    const q = lax.div(x, y);
    return lax.sub(tx, lax.mul(ty, lax.mul(lax.sign(q), lax.floor(lax.abs(q)))));
  },
  pow: (x, y, out, tx, ty) => {
    // d/dx = y·x^(y−1), taken as 0 where x = y = 0 (where 0·0^−1 would be NaN); d/dy = log(x)·x^y,
    // taken as 0 where x = 0. JAX zeroes d/dx wherever y = 0, which loses ∂²/∂x∂y = 1/x at y = 0.
    const bothZero = lax.and(lax.eq(y, c(y, 0)), lax.eq(x, c(x, 0)));
    const dx = lax.selectN(bothZero, lax.mul(y, lax.pow(x, lax.sub(y, c(y, 1)))), c(x, 0));
    const xIsZero = lax.eq(x, c(x, 0));
    const safeLog = lax.log(lax.selectN(xIsZero, x, c(x, 1)));
    return lax.add(lax.mul(tx, dx), lax.mul(ty, lax.mul(safeLog, out)));
  },
  max: (x, y, _o, tx, ty) => chooserJvp(true)(x, y, tx, ty),
  min: (x, y, _o, tx, ty) => chooserJvp(false)(x, y, tx, ty),
  atan2: (x, y, _o, tx, ty) => {
    const denom = lax.add(lax.mul(x, x), lax.mul(y, y));
    return lax.div(lax.sub(lax.mul(tx, y), lax.mul(ty, x)), denom);
  },
};

/** Rules of a binary elementwise primitive. */
export function binaryRules<K extends BinaryPrim>(prim: K): RuleSet<K> {
  const jvpFn = BINARY_JVP[prim];
  const rules: RuleSet<K> = {
    abstractEval(avals) {
      checkSameShapeDtype(prim, avals);
      if (prim === "and" || prim === "or" || prim === "xor") checkDtypeIn(prim, avals[0]!, ["bool", "int32", "uint32"]);
      else if (prim === "pow" || prim === "atan2") checkFloat(prim, avals[0]!);
      else checkDtypeIn(prim, avals[0]!, NUMERIC);
      return [avals[0]!];
    },
    impl: kernelImpl(prim as BinaryPrim) as RuleSet<K>["impl"],
    jvp([x, y], [tx, ty], params) {
      const out = lax.bind(prim, [x!, y!], params)[0]!;
      return [[out], [jvpFn && isFloat(out.dtype) ? jvpFn(x!, y!, out, tx!, ty!) : lax.zerosLike(out)]];
    },
    batch: broadcastBatcher(prim),
  };
  const linear: Partial<Record<BinaryPrim, RuleSet<K>["transpose"]>> = {
    add: ([ct], [x, y]) => [x instanceof UndefPrimal ? ct! : null, y instanceof UndefPrimal ? ct! : null],
    sub: ([ct], [x, y]) => [x instanceof UndefPrimal ? ct! : null, y instanceof UndefPrimal ? lax.neg(ct!) : null],
    mul: ([ct], [x, y]) => {
      if (x instanceof UndefPrimal && y instanceof UndefPrimal) throw new Error("mul: transpose of a product of two linear inputs is not linear");
      return x instanceof UndefPrimal ? [lax.mul(ct!, y as NdArray), null] : [null, lax.mul(x!, ct!)];
    },
    div: ([ct], [x, y]) => {
      if (!(x instanceof UndefPrimal) || y instanceof UndefPrimal) throw new Error("div: only the numerator may be linear");
      return [lax.div(ct!, y!), null];
    },
  };
  if (linear[prim]) rules.transpose = linear[prim];
  return rules;
}

/** Rules of a comparison (bool output, zero derivative). */
export function compareRules<K extends ComparePrim>(prim: K): RuleSet<K> {
  return {
    abstractEval(avals) {
      checkSameShapeDtype(prim, avals);
      return [withDtype(avals[0]!, "bool")];
    },
    impl: kernelImpl(prim as ComparePrim) as RuleSet<K>["impl"],
    jvp(primals, _t, params) {
      const outs = lax.bind(prim, primals, params);
      return [outs, zeroTangents(outs)];
    },
    batch: broadcastBatcher(prim),
  };
}

/** `select_n(pred, onFalse, onTrue)`: linear in the two cases. */
export const selectNRules: RuleSet<"select_n"> = {
  abstractEval([p, f, t]) {
    checkDtypeIn("where", p!, ["bool"]);
    checkSameShapeDtype("where", [f!, t!]);
    if (p!.shape.length !== f!.shape.length || p!.shape.some((d, i) => d !== f!.shape[i])) {
      throw new ShapeError(`where: condition ${p!.str()} and cases ${f!.str()} must have equal shapes; broadcast them first (np.where does)`);
    }
    return [f!];
  },
  impl: kernelImpl("select_n"),
  jvp([p, f, t], [, tf, tt]) {
    return [[lax.selectN(p!, f!, t!)], [lax.selectN(p!, tf!, tt!)]];
  },
  batch: broadcastBatcher("select_n"),
  transpose([ct], [p, f, t]) {
    if (p instanceof UndefPrimal) throw new Error("where: the condition cannot be linear");
    const z = lax.zerosLike(ct!);
    return [null, f instanceof UndefPrimal ? lax.selectN(p!, ct!, z) : null, t instanceof UndefPrimal ? lax.selectN(p!, z, ct!) : null];
  },
};

/** `convert_element_type`: linear between float types; zero derivative into integers. */
export const convertRules: RuleSet<"convert_element_type"> = {
  abstractEval([x], { newDtype }) {
    return [new ShapedArray(x!.shape, checkDType("astype", newDtype))];
  },
  impl: kernelImpl("convert_element_type"),
  jvp([x], [t], { newDtype }) {
    const y = lax.convertElementType(x!, newDtype);
    return [[y], [isFloat(newDtype) && isFloat(x!.dtype) ? lax.convertElementType(t!, newDtype) : lax.zerosLike(y)]];
  },
  batch: broadcastBatcher("convert_element_type"),
  transpose([ct], [x]) {
    return [lax.convertElementType(ct!, (x as UndefPrimal).aval.dtype)];
  },
};

/** `stop_gradient`: identity with zero derivative. */
export const stopGradientRules: RuleSet<"stop_gradient"> = {
  abstractEval: ([x]) => [x!],
  impl: kernelImpl("stop_gradient"),
  jvp([x]) {
    return [[lax.stopGradient(x!)], [lax.zerosLike(x!)]];
  },
  batch: ([x], [d]) => [[lax.stopGradient(x!)], [d!]],
};
