/**
 * `NdArray`, the one public array type, and its two kinds: concrete arrays (GC-owned immutable
 * buffers) and tracers (abstract values inside a transformation). Both expose the same fluent API,
 * so `(x: NdArray) => NdArray` is honest under every transformation.
 */
import { ShapedArray } from "./aval.js";
import { type DType, type DataArray, SHORT_NAME } from "./dtype.js";
import { ConcretizationError } from "./errors.js";
import type { Shape } from "./shape.js";
import type { Trace } from "./trace.js";
// Used only inside method bodies, so the import cycle with np is harmless.
import * as np from "./np/index.js";

/** Anything the NumPy layer accepts where an array is expected. */
export type ArrayLike = NdArray | number | boolean;

/** An immutable n-dimensional array (concrete or traced). */
export abstract class NdArray {
  /** Shape and dtype. */
  abstract get aval(): ShapedArray;

  /** Dimensions. */
  get shape(): Shape {
    return this.aval.shape;
  }
  /** Element type. */
  get dtype(): DType {
    return this.aval.dtype;
  }
  /** Number of dimensions. */
  get ndim(): number {
    return this.aval.shape.length;
  }
  /** Number of elements. */
  get size(): number {
    return this.aval.size;
  }

  /** A fresh copy of the data as a typed array (throws ConcretizationError on a tracer). */
  abstract toTypedArray(): DataArray;
  /** A fresh copy of the data as nested JS arrays (numbers, or booleans for bool). */
  abstract toArray(): unknown;
  /** The single element of a size-1 array as a JS number (or boolean for bool). */
  abstract item(): number | boolean;

  // ---- fluent methods: thin aliases of the `np` functions of the same name ----
  /** `np.add(this, y)` */
  add(y: ArrayLike): NdArray { return np.add(this, y); }
  /** `np.subtract(this, y)` */
  sub(y: ArrayLike): NdArray { return np.subtract(this, y); }
  /** `np.multiply(this, y)` */
  mul(y: ArrayLike): NdArray { return np.multiply(this, y); }
  /** `np.divide(this, y)` */
  div(y: ArrayLike): NdArray { return np.divide(this, y); }
  /** `np.power(this, y)` */
  pow(y: ArrayLike): NdArray { return np.power(this, y); }
  /** `np.negative(this)` */
  neg(): NdArray { return np.negative(this); }
  /** `np.exp(this)` */
  exp(): NdArray { return np.exp(this); }
  /** `np.log(this)` */
  log(): NdArray { return np.log(this); }
  /** `np.sqrt(this)` */
  sqrt(): NdArray { return np.sqrt(this); }
  /** `np.square(this)` */
  square(): NdArray { return np.square(this); }
  /** `np.abs(this)` */
  abs(): NdArray { return np.abs(this); }
  /** `np.tanh(this)` */
  tanh(): NdArray { return np.tanh(this); }
  /** `np.sin(this)` */
  sin(): NdArray { return np.sin(this); }
  /** `np.cos(this)` */
  cos(): NdArray { return np.cos(this); }
  /** `np.maximum(this, y)` */
  maximum(y: ArrayLike): NdArray { return np.maximum(this, y); }
  /** `np.minimum(this, y)` */
  minimum(y: ArrayLike): NdArray { return np.minimum(this, y); }
  /** `np.less(this, y)` */
  lt(y: ArrayLike): NdArray { return np.less(this, y); }
  /** `np.lessEqual(this, y)` */
  le(y: ArrayLike): NdArray { return np.lessEqual(this, y); }
  /** `np.greater(this, y)` */
  gt(y: ArrayLike): NdArray { return np.greater(this, y); }
  /** `np.greaterEqual(this, y)` */
  ge(y: ArrayLike): NdArray { return np.greaterEqual(this, y); }
  /** `np.equal(this, y)` */
  eq(y: ArrayLike): NdArray { return np.equal(this, y); }
  /** `np.notEqual(this, y)` */
  ne(y: ArrayLike): NdArray { return np.notEqual(this, y); }
  /** `np.sum(this, axis, { keepdims })` */
  sum(axis?: number | number[] | null, opts?: { keepdims?: boolean }): NdArray { return np.sum(this, axis, opts); }
  /** `np.mean(this, axis, { keepdims })` */
  mean(axis?: number | number[] | null, opts?: { keepdims?: boolean }): NdArray { return np.mean(this, axis, opts); }
  /** `np.max(this, axis, { keepdims })` */
  max(axis?: number | number[] | null, opts?: { keepdims?: boolean }): NdArray { return np.max(this, axis, opts); }
  /** `np.min(this, axis, { keepdims })` */
  min(axis?: number | number[] | null, opts?: { keepdims?: boolean }): NdArray { return np.min(this, axis, opts); }
  /** `np.argmax(this, axis)` */
  argmax(axis?: number): NdArray { return np.argmax(this, axis); }
  /** `np.reshape(this, shape)` */
  reshape(shape: readonly number[]): NdArray { return np.reshape(this, shape); }
  /** `np.transpose(this, axes)` */
  transpose(axes?: readonly number[]): NdArray { return np.transpose(this, axes); }
  /** The transpose (all axes reversed). */
  get T(): NdArray { return np.transpose(this); }
  /** `np.matmul(this, y)` */
  matmul(y: NdArray): NdArray { return np.matmul(this, y); }
  /** `np.dot(this, y)` */
  dot(y: NdArray): NdArray { return np.dot(this, y); }
  /** `np.astype(this, dtype)` */
  astype(dtype: DType): NdArray { return np.astype(this, dtype); }
  /** `np.flatten(this)` */
  flatten(): NdArray { return np.ravel(this); }
  /** `np.squeeze(this, axis)` */
  squeeze(axis?: number | number[]): NdArray { return np.squeeze(this, axis); }
  /** `np.expandDims(this, axis)` */
  expandDims(axis: number): NdArray { return np.expandDims(this, axis); }
}

let readData: (x: ConcreteArray) => DataArray;

/** An array with data: an immutable GC-owned buffer (possibly shared with views of it). */
export class ConcreteArray extends NdArray {
  readonly #aval: ShapedArray;
  readonly #data: DataArray;

  static {
    readData = (x) => x.#data;
  }

  /** Internal: wrap `data` without copying; the caller must not mutate it afterwards. */
  constructor(data: DataArray, shape: Shape, dtype: DType) {
    super();
    this.#data = data;
    this.#aval = new ShapedArray(Object.freeze([...shape]), dtype);
  }

  override get aval(): ShapedArray {
    return this.#aval;
  }

  override toTypedArray(): DataArray {
    return this.#data.slice();
  }

  override toArray(): unknown {
    const data = this.#data;
    const isBool = this.dtype === "bool";
    const build = (dim: number, offset: number, stride: number): unknown => {
      if (dim === this.shape.length) return isBool ? data[offset] !== 0 : data[offset];
      const n = this.shape[dim]!;
      const inner = stride / Math.max(n, 1);
      const out: unknown[] = [];
      for (let i = 0; i < n; i++) out.push(build(dim + 1, offset + i * inner, inner));
      return out;
    };
    return build(0, 0, this.#data.length);
  }

  override item(): number | boolean {
    if (this.size !== 1) {
      throw new TypeError(`item: only size-1 arrays can be converted to a scalar, got ${this.aval.str()}; index or reduce first`);
    }
    const v = this.#data[0]!;
    return this.dtype === "bool" ? v !== 0 : v;
  }

  override toString(): string {
    return formatArray(this.toArray(), this.dtype, this.shape);
  }
}

/** Internal: the buffer behind a concrete array (never hand it to users: it is not a copy). */
export function bufferOf(x: ConcreteArray): DataArray {
  return readData(x);
}

/** A value inside a transformation: it has an abstract value and a trace that interprets its ops. */
export class Tracer<P = unknown> extends NdArray {
  constructor(
    readonly trace: Trace<P>,
    readonly payload: P,
  ) {
    super();
  }

  override get aval(): ShapedArray {
    return this.trace.avalOf(this.payload);
  }

  private concretizationError(what: string): never {
    throw new ConcretizationError(
      `${what}: cannot read the value of a traced array ${this.aval.str()} inside ${this.trace.describe()}; ` +
        `the value is abstract here. Move the read outside the transformed function, or mark the argument static (jit's staticArgnums).`,
    );
  }

  override toTypedArray(): DataArray {
    return this.concretizationError("toTypedArray");
  }
  override toArray(): unknown {
    return this.concretizationError("toArray");
  }
  override item(): number | boolean {
    return this.concretizationError("item");
  }
  override toString(): string {
    return `Traced<${this.aval.str()}> (${this.trace.describe()})`;
  }
}

function formatArray(nested: unknown, dtype: DType, shape: Shape): string {
  const fmt = (v: unknown): string => {
    if (typeof v === "boolean") return v ? "true" : "false";
    const n = v as number;
    if (dtype === "int32" || dtype === "uint32") return String(n);
    if (Number.isNaN(n)) return "nan";
    if (!Number.isFinite(n)) return n > 0 ? "inf" : "-inf";
    const s = dtype === "float32" ? String(Number(n.toPrecision(7))) : String(n);
    return s.includes(".") || s.includes("e") ? s : `${s}.`;
  };
  const rec = (v: unknown, depth: number): string =>
    Array.isArray(v) ? `[${v.map((w) => rec(w, depth + 1)).join(depth === shape.length - 1 ? ", " : `,\n${" ".repeat(depth + 7)}`)}]` : fmt(v);
  return `array(${rec(nested, 0)}, dtype=${dtype})`;
}

/** Whether `x` is a tracer. */
export function isTracer(x: unknown): x is Tracer {
  return x instanceof Tracer;
}

/** Short name of a dtype for messages. */
export function shortDtype(d: DType): string {
  return SHORT_NAME[d];
}
