/**
 * JavaScript scalar expressions for elementwise primitives, used to generate fused loops. Each
 * expression reproduces the reference kernel exactly, including the rounding of the stored dtype,
 * so a fused chain is bit-identical to eager evaluation.
 */
import type { DType } from "../dtype.js";
import { isFloat } from "../dtype.js";
import type { JaxprEqn } from "../interpreters/jaxpr-types.js";
import type { BinaryPrim, ComparePrim, UnaryPrim } from "../primitives.js";
import { BINARY_FNS, COMPARE_FNS, INT_OVERRIDES, INT_RANGE, UNARY_FNS } from "../backend/reference/elementwise.js";

let fusible: Set<string> | undefined;

/** Primitives that fuse into elementwise loops (built on first use: the kernel tables live in a module cycle). */
function fusiblePrims(): Set<string> {
  return (fusible ??= new Set<string>([
    ...Object.keys(UNARY_FNS),
    ...Object.keys(BINARY_FNS),
    ...Object.keys(COMPARE_FNS),
    "select_n",
    "convert_element_type",
    "stop_gradient",
  ]));
}

/** Ops that cost a few cycles in a JS loop: always fused, whatever kernels the backend has. */
const CHEAP = new Set<string>([
  "add", "sub", "mul", "div", "neg", "abs", "sign", "floor", "ceil", "max", "min", "and", "or", "xor", "not",
  "eq", "ne", "lt", "le", "gt", "ge", "select_n", "convert_element_type", "stop_gradient",
]);

/**
 * Whether `eqn` can join an elementwise loop (a broadcast of a scalar counts: it reads element 0).
 * Transcendental ops the active backend has a (SIMD) kernel for stay kernel calls: V8's Math.exp and
 * Math.tanh in a fused JS loop are several times slower than the vectorised kernels.
 */
export function isFusible(eqn: JaxprEqn, accelerated: ReadonlySet<string> = new Set()): boolean {
  if (fusiblePrims().has(eqn.prim)) return CHEAP.has(eqn.prim) || !accelerated.has(eqn.prim);
  return eqn.prim === "broadcast_in_dim" && broadcastBlock(eqn) !== null;
}

/**
 * How a fused loop reads a broadcast operand at flat output index i: the operand must fill one
 * contiguous block of output dims exactly (a 0-d scalar; a bias along trailing dims; per-row values
 * along leading dims), so its index is ⌊i / inner⌋ mod size. Null when the broadcast has another form.
 */
export function broadcastBlock(eqn: JaxprEqn): { inner: number; size: number } | null {
  const operand = eqn.inputs[0]!.aval;
  const out = eqn.outBinders[0]!.aval.shape;
  const dims = (eqn.params as { broadcastDimensions: readonly number[] }).broadcastDimensions;
  if (operand.ndim === 0) return { inner: 1, size: 1 };
  const first = dims[0]!;
  const contiguous = dims.every((d, i) => d === first + i && operand.shape[i] === out[d]);
  if (!contiguous) return null;
  const inner = out.slice(first + dims.length).reduce((a, b) => a * b, 1);
  return { inner, size: operand.size };
}

/** Round a JS number expression to how `dtype` stores it. */
export function store(expr: string, dtype: DType): string {
  switch (dtype) {
    case "float32":
      return `Math.fround(${expr})`;
    case "float64":
      return `(${expr})`;
    case "int32":
      return `((${expr}) | 0)`;
    case "uint32":
      return `((${expr}) >>> 0)`;
    case "bool":
      return `((${expr}) & 255)`;
  }
}

const INLINE_UNARY: Partial<Record<UnaryPrim, (a: string) => string>> = {
  neg: (a) => `-${a}`,
  exp: (a) => `Math.exp(${a})`,
  log: (a) => `Math.log(${a})`,
  expm1: (a) => `Math.expm1(${a})`,
  log1p: (a) => `Math.log1p(${a})`,
  tanh: (a) => `Math.tanh(${a})`,
  sin: (a) => `Math.sin(${a})`,
  cos: (a) => `Math.cos(${a})`,
  sqrt: (a) => `Math.sqrt(${a})`,
  rsqrt: (a) => `(1 / Math.sqrt(${a}))`,
  abs: (a) => `Math.abs(${a})`,
  floor: (a) => `Math.floor(${a})`,
  ceil: (a) => `Math.ceil(${a})`,
  not: (a) => `(${a} ? 0 : 1)`,
};

const INLINE_FLOAT_BINARY: Partial<Record<BinaryPrim, (a: string, b: string) => string>> = {
  add: (a, b) => `(${a} + ${b})`,
  sub: (a, b) => `(${a} - ${b})`,
  mul: (a, b) => `(${a} * ${b})`,
  div: (a, b) => `(${a} / ${b})`,
  // IEEE maximum/minimum (NaN-propagating, −0 below +0), like the eager kernels of both backends.
  max: (a, b) => `Math.max(${a}, ${b})`,
  min: (a, b) => `Math.min(${a}, ${b})`,
};

const COMPARE_OPS: Record<ComparePrim, string> = { eq: "===", ne: "!==", lt: "<", le: "<=", gt: ">", ge: ">=" };

/** The table of out-of-line scalar functions the generated code may call (`F.name(...)`). */
export function scalarFunctionTable(): Record<string, (...xs: number[]) => number> {
  const t: Record<string, (...xs: number[]) => number> = {};
  for (const [k, f] of Object.entries(UNARY_FNS)) t[`u_${k}`] = f;
  for (const [k, f] of Object.entries(BINARY_FNS)) t[`b_${k}`] = f;
  for (const [k, f] of Object.entries(INT_OVERRIDES)) if (f) t[`i_${k}`] = f;
  return t;
}

/** The expression computing `eqn`'s single output from input expressions `ins` (before storage rounding). */
export function scalarExpr(eqn: JaxprEqn, ins: string[]): string {
  const prim = eqn.prim;
  const outDtype = eqn.outBinders[0]!.aval.dtype;
  const [a, b, c] = ins as [string, string, string];
  if (prim === "broadcast_in_dim" || prim === "stop_gradient") return a;
  if (prim === "select_n") return `(${a} ? ${c} : ${b})`;
  if (prim === "convert_element_type") {
    const from = eqn.inputs[0]!.aval.dtype;
    if (outDtype === "bool") return `(${a} !== 0 ? 1 : 0)`;
    const range = INT_RANGE[outDtype];
    if (range && isFloat(from)) return `(${a} !== ${a} ? 0 : ${a} <= ${range[0]} ? ${range[0]} : ${a} >= ${range[1]} ? ${range[1]} : Math.trunc(${a}))`;
    return a;
  }
  if (prim in COMPARE_OPS) return `(${a} ${COMPARE_OPS[prim as ComparePrim]} ${b} ? 1 : 0)`;
  if (prim in UNARY_FNS) {
    const inline = INLINE_UNARY[prim as UnaryPrim];
    return inline ? inline(a) : `F.u_${prim}(${a})`;
  }
  const p = prim as BinaryPrim;
  if (isFloat(outDtype)) {
    const inline = INLINE_FLOAT_BINARY[p];
    return inline ? inline(a, b) : `F.b_${p}(${a}, ${b})`;
  }
  if (p === "add") return `(${a} + ${b})`;
  if (p === "sub") return `(${a} - ${b})`;
  if (p === "and") return `(${a} & ${b})`;
  if (p === "or") return `(${a} | ${b})`;
  if (p === "xor") return `(${a} ^ ${b})`;
  return INT_OVERRIDES[p] ? `F.i_${p}(${a}, ${b})` : `F.b_${p}(${a}, ${b})`;
}
