/**
 * Wrong calls across np / lax / transformations: each must throw the documented error class
 * (DESIGN.md §6) with a message naming the operation and the shapes/dtypes involved.
 */
import { describe, expect, it } from "vitest";
import { ConcretizationError, DTypeError, EscapedTracerError, type NdArray, ShapeError, grad, jvp, lax, np, vjp, vmap } from "../src/index.js";

const f = (...shape: number[]) => np.ones(shape);
const i32 = (...shape: number[]) => np.zeros(shape, { dtype: "int32" });

let leaked: NdArray | undefined;
grad((x: NdArray) => {
  leaked = np.sin(x);
  return np.sum(x);
})(f(3));

type ErrorClass = new (...args: never[]) => Error;
/** [description, wrong call, error class, patterns the message must match (op name first, then shapes)]. */
const table: [string, () => unknown, ErrorClass, RegExp[]][] = [
  // --- shapes
  ["matmul: contracting dims differ", () => np.matmul(f(3, 4), f(5, 2)), ShapeError, [/^matmul/, /f32\[3,4\]/, /f32\[5,2\]/]],
  ["matmul: batch dims do not broadcast", () => np.matmul(f(2, 3, 4), f(3, 4, 5)), ShapeError, [/^matmul/, /f32\[2,3,4\]/, /f32\[3,4,5\]/]],
  ["matmul: 0-d operand", () => np.matmul(np.array(2), f(3)), ShapeError, [/^matmul/, /f32\[\]/, /f32\[3\]/]],
  ["dot: contracting dims differ", () => np.dot(f(2, 3), f(2, 3)), ShapeError, [/^dot/, /f32\[2,3\].*f32\[2,3\]/]],
  ["add: shapes do not broadcast", () => np.add(f(3, 4), f(3)), ShapeError, [/^add/, /f32\[3,4\]/, /f32\[3\]/]],
  ["multiply: broadcast with promotion", () => np.multiply(i32(2), f(3)), ShapeError, [/^multiply/, /f32\[2\]/, /f32\[3\]/]],
  ["where: condition does not broadcast", () => np.where(np.array([true, false]), f(3), 0), ShapeError, [/^where/, /bool\[2\]/, /f32\[3\]/]],
  ["broadcastTo: incompatible target", () => np.broadcastTo(f(2, 3), [3, 3]), ShapeError, [/^broadcastTo/, /f32\[2,3\]/, /\[3,3\]/]],
  ["reshape: wrong element count", () => np.reshape(f(3, 4), [5, 2]), ShapeError, [/^reshape/, /f32\[3,4\]/, /\[5,2\]/]],
  ["reshape: two −1", () => np.reshape(f(3, 4), [-1, -1]), ShapeError, [/^reshape/, /\[-1,-1\]/]],
  ["reshape: −1 does not divide", () => np.reshape(f(3, 4), [5, -1]), ShapeError, [/^reshape/, /f32\[3,4\]/, /\[5,-1\]/]],
  ["squeeze: axis of size ≠ 1", () => np.squeeze(f(3, 1), 0), ShapeError, [/^squeeze/, /axis 0/, /f32\[3,1\]/]],
  ["concatenate: rank mismatch", () => np.concatenate([f(2, 3), f(3)]), ShapeError, [/^concatenate/, /f32\[2,3\]/, /f32\[3\]/]],
  ["concatenate: other dims differ", () => np.concatenate([f(2, 3), f(2, 4)], 0), ShapeError, [/^concatenate/, /f32\[2,3\]/, /f32\[2,4\]/]],
  ["stack: shapes differ", () => np.stack([f(2), f(3)]), ShapeError, [/^stack/, /f32\[2\]/, /f32\[3\]/]],
  ["transpose: not a permutation", () => np.transpose(f(2, 3), [0, 0]), ShapeError, [/^transpose/, /\[0,0\]/, /f32\[2,3\]/]],
  ["transpose: wrong length", () => np.transpose(f(2, 3), [1, 0, 2]), RangeError, [/^transpose/, /f32\[2,3\]/]],
  ["split: unequal sections", () => np.split(f(5, 2), 2), ShapeError, [/^split/, /f32\[5,2\]/]],
  ["einsum: label sizes differ", () => np.einsum("ij,jk->ik", f(2, 3), f(4, 5)), ShapeError, [/^einsum/, /label j/, /3 and 4/]],
  ["einsum: operand rank", () => np.einsum("ijk->i", f(2, 3)), ShapeError, [/^einsum/, /f32\[2,3\]/, /"ijk"/]],
  ["tensordot: contracted axes differ", () => np.tensordot(f(2, 3), f(4, 5), 1), ShapeError, [/^tensordot/, /f32\[2,3\]/, /f32\[4,5\]/]],
  ["takeAlongAxis: rank mismatch", () => np.takeAlongAxis(f(3, 4), i32(3), 1), ShapeError, [/^takeAlongAxis/, /i32\[3\]/, /f32\[3,4\]/]],
  ["pad: one pair per axis", () => np.pad(f(2, 3), [[1, 1], [1, 1], [1, 1]]), ShapeError, [/^pad/, /f32\[2,3\]/]],
  ["max: empty reduction", () => np.max(f(0, 3), 0), ShapeError, [/^max/, /f32\[0,3\]/]],
  ["tril: rank 1", () => np.tril(f(3)), ShapeError, [/^tril/, /f32\[3\]/]],
  ["lax.add: unbroadcast shapes", () => lax.add(f(3), f(4)), ShapeError, [/^add/, /f32\[3\]/, /f32\[4\]/]],
  ["lax.reshape: element count", () => lax.reshape(f(3, 4), [5]), ShapeError, [/^reshape/, /f32\[3,4\]/, /\[5\]/]],
  ["array: ragged nested list", () => np.array([[1, 2], [3]]), ShapeError, [/^array/, /ragged/]],
  // --- axes and indices
  ["sum: axis out of range", () => np.sum(f(2, 3), 2), RangeError, [/^sum/, /axis 2/, /f32\[2,3\]/]],
  ["mean: negative axis out of range", () => np.mean(f(2, 3), -3), RangeError, [/^mean/, /axis -3/, /f32\[2,3\]/]],
  ["sum: non-integer axis", () => np.sum(f(2, 3), 0.5), TypeError, [/^sum/, /axis/, /0\.5/, /f32\[2,3\]/]],
  ["sum: repeated axis", () => np.sum(f(2, 3), [1, -1]), RangeError, [/^sum/, /repeated axis/, /f32\[2,3\]/]],
  ["expandDims: axis out of range", () => np.expandDims(f(2, 3), 4), RangeError, [/^expandDims/, /axis 4/, /f32\[2,3\]/]],
  ["concatenate: axis out of range", () => np.concatenate([f(2, 3), f(2, 3)], 2), RangeError, [/^concatenate/, /axis 2/, /f32\[2,3\]/]],
  ["take: float indices", () => np.take(f(3, 4), np.array([0, 1]), 0), DTypeError, [/^take/, /integers/, /f32\[2\]/]],
  ["take: float index in a list", () => np.take(f(3, 4), [0, 1.5], 0), DTypeError, [/^take/, /integers/, /1\.5/]],
  ["take: out of bounds", () => np.take(f(3, 4), [0, 3], 0), RangeError, [/^take/, /index 3/, /f32\[3,4\]/]],
  ["take: negative out of bounds", () => np.take(f(3, 4), [-5], 1), RangeError, [/^take/, /index -5/, /axis 1/, /f32\[3,4\]/]],
  ["scatterAdd: out of bounds", () => np.scatterAdd(f(3), [4], 1), RangeError, [/^scatterAdd/, /index 4/, /f32\[3\]/]],
  ["slice: index out of bounds", () => np.slice(f(3, 4), 0, 4), RangeError, [/^slice/, /index 4/, /axis 1/, /f32\[3,4\]/]],
  ["slice: too many indices", () => np.slice(f(3), 0, 0), ShapeError, [/^slice/, /f32\[3\]/]],
  ["slice: zero step", () => np.slice(f(3), "::0"), RangeError, [/^slice/, /step/, /f32\[3\]/]],
  ["slice: unparsable string", () => np.slice(f(3), "1:x"), TypeError, [/^slice/, /"1:x"/]],
  ["item: size-3 array", () => f(3).item(), TypeError, [/^item/, /f32\[3\]/]],
  // --- dtypes and arguments
  ["zeros: unknown dtype", () => np.zeros([2], { dtype: "float16" as never }), DTypeError, [/^zeros/, /float16/]],
  ["array: unknown dtype", () => np.array([1], { dtype: "int8" as never }), DTypeError, [/^array/, /int8/]],
  ["lax.add: dtypes differ", () => lax.add(f(3), i32(3)), DTypeError, [/^add/, /f32\[3\]/, /i32\[3\]/]],
  ["array: non-numeric element", () => np.array(["x"] as never), TypeError, [/^array/, /string/]],
  ["zeros: negative dimension", () => np.zeros([2, -1]), TypeError, [/^zeros/, /\[2,-1\]/]],
  ["arange: zero step", () => np.arange(0, 3, 0), RangeError, [/^arange/, /step/]],
  ["repeat: negative repeats", () => np.repeat(f(3), -2), RangeError, [/^repeat/, /-2/]],
  ["oneHot: fractional class count", () => np.oneHot(i32(2), 2.5), RangeError, [/^oneHot/, /2\.5/]],
  // --- transformations
  ["grad: non-scalar output", () => grad((x: NdArray) => np.sin(x))(f(3)), ShapeError, [/^grad/, /scalar/, /f32\[3\]/]],
  ["grad: int argument", () => grad((x: NdArray) => np.sum(x))(i32(3)), DTypeError, [/^grad/, /i32\[3\]/]],
  ["grad: int output", () => grad((x: NdArray) => np.argmax(x))(f(3)), DTypeError, [/^grad/, /i32\[\]/]],
  ["grad: argnums out of range", () => grad((x: NdArray) => np.sum(x), { argnums: 2 })(f(3)), RangeError, [/^grad/, /argnums/]],
  ["vmap: batch sizes differ", () => vmap((x: NdArray, y: NdArray) => np.add(x, y))(f(3, 2), f(4, 2)), ShapeError, [/^vmap/, /3 vs 4/, /f32\[3,2\]/, /f32\[4,2\]/]],
  ["vmap: inAxes out of range", () => vmap((x: NdArray) => x, { inAxes: 2 })(f(3)), RangeError, [/^vmap/, /inAxes 2/, /f32\[3\]/]],
  ["vmap: shape error inside names the per-example shapes", () => vmap((x: NdArray) => np.matmul(x, f(5, 2)))(f(7, 3, 4)), ShapeError, [/^matmul/, /f32\[3,4\]/, /f32\[5,2\]/]],
  ["jvp: tangent shape", () => jvp((x: NdArray) => x, [f(3)], [f(4)]), ShapeError, [/^jvp/, /f32\[4\]/, /f32\[3\]/]],
  ["jvp: tangent dtype", () => jvp((x: NdArray) => x, [f(3)], [np.ones([3], { dtype: "float64" })]), DTypeError, [/^jvp/, /f64\[3\]/, /f32\[3\]/]],
  ["vjp: cotangent shape", () => vjp((x: NdArray) => np.sin(x), f(3))[1](f(4)), ShapeError, [/^vjp/, /f32\[3\]/, /f32\[4\]/]],
  ["grad: reading a tracer's value (item)", () => grad((x: NdArray) => np.multiply(x, np.sum(x).item() as number).sum())(f(3)), ConcretizationError, [/^item/, /f32\[\]/]],
  ["grad: reading a tracer's value (toArray)", () => grad((x: NdArray) => (x.toArray(), np.sum(x)))(f(3)), ConcretizationError, [/^toArray/, /f32\[3\]/]],
  ["vmap: reading a tracer's value", () => vmap((x: NdArray) => np.full([2], x.item() as number))(f(3)), ConcretizationError, [/^item/, /f32\[\]/]],
  ["escaped tracer used later", () => np.add(leaked!, 1), EscapedTracerError, [/tracer/, /f32\[3\]/]],
];

describe("errors: class and message", () => {
  it("the table has at least 25 wrong calls", () => expect(table.length).toBeGreaterThanOrEqual(25));
  for (const [name, call, cls, patterns] of table) {
    it(name, () => {
      let caught: unknown;
      try {
        call();
      } catch (e) {
        caught = e;
      }
      expect(caught, "expected an error").toBeInstanceOf(cls);
      const msg = (caught as Error).message;
      for (const p of patterns) expect(msg, `message ${JSON.stringify(msg)}`).toMatch(p);
    });
  }
});
