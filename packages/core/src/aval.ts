/** Abstract values: what every transformation knows about an array (its shape and dtype). */
import { type DType, SHORT_NAME } from "./dtype.js";
import { type Shape, sizeOf, shapesEqual } from "./shape.js";

/** The abstract value of an array: shape and dtype, no data. */
export class ShapedArray {
  constructor(
    readonly shape: Shape,
    readonly dtype: DType,
  ) {}

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /** JAX-style short form, `f32[3,4]`. */
  str(): string {
    return `${SHORT_NAME[this.dtype]}[${this.shape.join(",")}]`;
  }

  /** Whether two avals have equal shape and dtype. */
  equals(other: ShapedArray): boolean {
    return this.dtype === other.dtype && shapesEqual(this.shape, other.shape);
  }
}
