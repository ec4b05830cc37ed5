/** Specs for the elementwise primitives: unary math, binary arithmetic, bitwise, comparisons, select, casts. */
import { DTypeError, type NdArray, type PrimName, ShapeError, lax, np } from "../../src/index.js";
import { type BadCall, type Spec, rand } from "./_specs.js";

/** The primitives this family covers. */
export const ELEMENTWISE_PRIMS: readonly PrimName[] = [
  "neg", "sign", "floor", "ceil", "round", "is_finite", "not", "exp", "log", "expm1", "log1p", "tanh", "logistic",
  "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "sqrt", "rsqrt", "abs", "erf", "erf_inv",
  "add", "sub", "mul", "div", "rem", "pow", "max", "min", "atan2", "and", "or", "xor",
  "eq", "ne", "lt", "le", "gt", "ge", "select_n", "convert_element_type", "stop_gradient",
];

const f64 = (x: NdArray) => lax.convertElementType(x, "float64");
const i32 = (x: unknown) => np.array(x as never, { dtype: "int32" });
const bool = (x: unknown) => np.array(x as never, { dtype: "bool" });

// Differentiable unary primitives and an input range inside their domain, away from kinks.
const SMOOTH_UNARY: [PrimName, (x: NdArray) => NdArray, number, number][] = [
  ["neg", lax.neg, -2, 2], ["exp", lax.exp, -2, 2], ["log", lax.log, 0.5, 3], ["expm1", lax.expm1, -1, 1],
  ["log1p", lax.log1p, -0.5, 2], ["tanh", lax.tanh, -2, 2], ["logistic", lax.logistic, -3, 3], ["sin", lax.sin, -3, 3],
  ["cos", lax.cos, -3, 3], ["tan", lax.tan, -1, 1], ["asin", lax.asin, -0.8, 0.8], ["acos", lax.acos, -0.8, 0.8],
  ["atan", lax.atan, -3, 3], ["sinh", lax.sinh, -2, 2], ["cosh", lax.cosh, -2, 2], ["sqrt", lax.sqrt, 0.5, 3],
  ["rsqrt", lax.rsqrt, 0.5, 3], ["abs", lax.abs, 0.2, 2], ["erf", lax.erf, -2, 2], ["erf_inv", lax.erfInv, -0.8, 0.8],
];

const unarySpecs: Spec[] = SMOOTH_UNARY.flatMap(([prim, f, lo, hi], k) => [
  { prim, name: "f64 [2,3]", f, args: [rand([2, 3], 10 + k, lo, hi)], grads: "check" as const },
  // 0-d operands through vmap (the batched value is 1-d).
  { prim, name: "f64 0-d", f, args: [rand([], 40 + k, lo, hi)], grads: "check" as const },
]);

// Empty operands through every transformation.
unarySpecs.push({ prim: "exp", name: "empty [2,0]", f: lax.exp, args: [rand([2, 0], 1)], grads: "check" });
// abs has a kink at 0: check the negative side too.
unarySpecs.push({ prim: "abs", name: "negative inputs", f: lax.abs, args: [rand([4], 3, -2, -0.2)], grads: "check" });

// Piecewise-constant unary primitives: points away from their jumps.
const stepPoints = np.array([-2.7, -1.2, -0.3, 0.4, 1.3, 2.8], { dtype: "float64" });
const stepSpecs: Spec[] = [
  { prim: "sign", name: "f64", f: lax.sign, args: [stepPoints], grads: "zero" },
  { prim: "floor", name: "f64", f: lax.floor, args: [stepPoints], grads: "zero" },
  { prim: "ceil", name: "f64", f: lax.ceil, args: [stepPoints], grads: "zero" },
  { prim: "round", name: "f64", f: lax.round, args: [stepPoints], grads: "zero" },
  { prim: "is_finite", name: "f64 → bool", f: lax.isFinite, args: [stepPoints], grads: "zero" },
  { prim: "not", name: "of a comparison", f: (x) => lax.not(lax.gt(x, lax.fullLike(x, 0))), args: [stepPoints], grads: "zero" },
  { prim: "not", name: "bool vmap", f: lax.not, args: [bool([true, false, true])], grads: "none" },
  { prim: "neg", name: "i32 vmap", f: lax.neg, args: [i32([3, -4, 0])], grads: "none" },
  { prim: "sign", name: "i32 vmap", f: lax.sign, args: [i32([3, -4, 0])], grads: "none" },
  { prim: "abs", name: "i32 vmap", f: lax.abs, args: [i32([3, -4, 0])], grads: "none" },
];

type Bin = (x: NdArray, y: NdArray) => NdArray;
const SMOOTH_BINARY: [PrimName, Bin, [number, number], [number, number]][] = [
  ["add", lax.add, [-2, 2], [-2, 2]],
  ["sub", lax.sub, [-2, 2], [-2, 2]],
  ["mul", lax.mul, [-2, 2], [-2, 2]],
  ["div", lax.div, [-2, 2], [0.5, 2]],
  ["rem", lax.rem, [-3, 3], [0.7, 1.3]],
  ["pow", lax.pow, [0.5, 2], [-1.5, 1.5]],
  ["max", lax.max, [-2, 2], [-2, 2]],
  ["min", lax.min, [-2, 2], [-2, 2]],
  ["atan2", lax.atan2, [-2, 2], [0.5, 2]],
];

const binarySpecs: Spec[] = SMOOTH_BINARY.flatMap(([prim, f, [xl, xh], [yl, yh]], k) => [
  { prim, name: "f64 [2,3]", f, args: [rand([2, 3], 60 + k, xl, xh), rand([2, 3], 80 + k, yl, yh)], grads: "check" as const },
  { prim, name: "f64 0-d", f, args: [rand([], 20 + k, xl, xh), rand([], 30 + k, yl, yh)], grads: "check" as const, vmap: { batchSize: 2 } },
]);

// Ties of max/min split the derivative evenly (JAX); central differences see exactly that to first order.
const tx = np.array([1, -0.5, 2, 0.25], { dtype: "float64" });
const ty = np.array([1, 0.75, 2, 0.25], { dtype: "float64" });
binarySpecs.push(
  { prim: "max", name: "ties split the derivative", f: lax.max, args: [tx, ty], grads: "check", gradOpts: { order: 1 } },
  { prim: "min", name: "ties split the derivative", f: lax.min, args: [tx, ty], grads: "check", gradOpts: { order: 1 } },
  // pow at y = 0 and with x at a point where log x is used by d/dy.
  { prim: "pow", name: "zero exponent", f: lax.pow, args: [rand([3], 5, 0.5, 2), np.zeros([3], { dtype: "float64" })], grads: "check" },
  // Integer arithmetic under vmap (no derivative: int inputs).
  { prim: "div", name: "i32 vmap", f: lax.div, args: [i32([7, -7, 9]), i32([2, 2, -4])], grads: "none" },
  { prim: "rem", name: "i32 vmap", f: lax.rem, args: [i32([7, -7, 9]), i32([2, 2, -4])], grads: "none" },
);

// Bitwise/logical and comparisons: bool/int in, zero derivative through a float wrapper.
const gt0 = (x: NdArray) => lax.gt(x, lax.fullLike(x, 0));
const px = np.array([-1.5, 0.5, 2.5, -0.5], { dtype: "float64" });
const py = np.array([0.5, -1.5, 1.5, -2.5], { dtype: "float64" });
const logicSpecs: Spec[] = (["and", "or", "xor"] as const).flatMap((prim) => {
  const op = lax[prim] as Bin;
  return [
    { prim, name: "of comparisons", f: (x: NdArray, y: NdArray) => op(gt0(x), gt0(y)), args: [px, py], grads: "zero" as const },
    { prim, name: "i32 vmap", f: op, args: [i32([12, -1, 5]), i32([10, 7, -8])], grads: "none" as const },
  ];
});

const compareSpecs: Spec[] = (["eq", "ne", "lt", "le", "gt", "ge"] as const).map((prim) => ({
  prim,
  name: "f64 (ties only in the fixtures: a tie is a jump)",
  f: lax[prim] as Bin,
  args: [np.array([1.5, -0.5, 2, 0.25], { dtype: "float64" }), np.array([1, 0.75, -2, 1.25], { dtype: "float64" })],
  grads: "zero" as const,
}));

const otherSpecs: Spec[] = [
  {
    prim: "select_n",
    name: "f64 cases, bool predicate",
    f: lax.selectN,
    args: [bool([[true, false, true], [false, false, true]]), rand([2, 3], 1), rand([2, 3], 2)],
    grads: "check",
  },
  {
    prim: "select_n",
    name: "predicate computed from the cases",
    f: (a, b) => lax.selectN(lax.lt(a, b), a, b),
    args: [rand([5], 3), rand([5], 4)],
    grads: "check",
  },
  {
    // f64 → f32 → f64 is linear; float32 rounding needs a larger step and tolerance.
    prim: "convert_element_type",
    name: "f64 → f32 → f64",
    f: (x) => f64(lax.convertElementType(x, "float32")),
    args: [rand([2, 3], 5)],
    grads: "check",
    gradOpts: { eps: 1e-2, rtol: 1e-4, atol: 1e-4 },
    vmap: { rtol: 1e-6, atol: 1e-6 },
  },
  {
    prim: "convert_element_type",
    name: "f64 → i32 (piecewise constant)",
    f: (x) => lax.convertElementType(x, "int32"),
    args: [np.array([-2.5, -0.5, 0.5, 1.5, 7.25], { dtype: "float64" })],
    grads: "zero",
  },
  { prim: "convert_element_type", name: "i32 → f64", f: f64, args: [i32([1, -2, 3])], grads: "none" },
  { prim: "stop_gradient", name: "f64", f: lax.stopGradient, args: [rand([2, 3], 6)], grads: "zeroByDefinition" },
];

/** Every elementwise spec. */
export const ELEMENTWISE_SPECS: readonly Spec[] = [...unarySpecs, ...stepSpecs, ...binarySpecs, ...logicSpecs, ...compareSpecs, ...otherSpecs];

const x23 = np.ones([2, 3], { dtype: "float64" });
/** Calls the elementwise rules must reject. */
export const ELEMENTWISE_BAD_CALLS: readonly BadCall[] = [
  ["add: dtypes differ", () => lax.add(x23, np.ones([2, 3])), DTypeError, /add.*f64\[2,3\], f32\[2,3\]/],
  ["add: shapes differ", () => lax.add(x23, np.ones([3, 2], { dtype: "float64" })), ShapeError, /add.*f64\[3,2\]/],
  ["log of an integer array", () => lax.log(i32([1, 2])), DTypeError, /log.*i32\[2\]/],
  ["not of a float array", () => lax.not(x23), DTypeError, /not.*float64/],
  ["and of float arrays", () => lax.and(x23, x23), DTypeError, /and.*float64/],
  ["pow of integers", () => lax.pow(i32([2]), i32([3])), DTypeError, /pow/],
  ["select_n with a float predicate", () => lax.selectN(x23, x23, x23), DTypeError, /where.*bool/],
  ["select_n predicate shape", () => lax.selectN(bool([true, false]), x23, x23), ShapeError, /where.*bool\[2\]/],
  ["convert to an unknown dtype", () => lax.convertElementType(x23, "float16" as never), DTypeError, /unknown dtype "float16"/],
];
