/** Movement primitives: NumPy values, abstractEval, derivatives and vmap. */
import { describe, expect, it } from "vitest";
import { type ConcreteArray, bufferOf } from "../../src/array.js";
import { lax, np } from "../../src/index.js";
import { describeFixtures } from "./_fixtures.js";
import { describeBadCalls, describeSpecs } from "./_specs.js";
import { STRUCTURAL_BAD_CALLS, STRUCTURAL_PRIMS, STRUCTURAL_SPECS } from "./structural.specs.js";

describe("structural primitives", () => {
  describeFixtures(STRUCTURAL_PRIMS);
  describeSpecs(STRUCTURAL_SPECS);
  describeBadCalls(STRUCTURAL_BAD_CALLS);

  it("broadcasting a zero scalar gives zeros of its sign and dtype (+0 skips the fill, −0 must not)", () => {
    for (const dtype of ["float32", "float64"] as const) {
      for (const v of [0, -0, 1.5]) {
        const y = lax.broadcastInDim(lax.scalar(v, dtype), [3, 4097], []);
        expect(Array.from(y.toTypedArray() as Float32Array).every((e) => Object.is(e, v)), `${dtype} ${v}`).toBe(true);
      }
    }
    for (const dtype of ["int32", "uint32", "bool"] as const) {
      for (const v of [0, 1]) {
        const y = lax.broadcastInDim(lax.scalar(v, dtype), [5, 7], []);
        expect(Array.from(y.toTypedArray() as Int32Array).every((e) => Number(e) === v), `${dtype} ${v}`).toBe(true);
      }
    }
    // Large fills of one value share a buffer while it lives (arrays are immutable); other values,
    // signs, dtypes and sizes get their own.
    const buf = (x: unknown) => bufferOf(x as ConcreteArray);
    const a = np.zeros([64, 100]);
    expect(buf(np.zerosLike(a))).toBe(buf(a));
    expect(buf(lax.full([6400], 0, "float32"))).toBe(buf(a));
    for (const other of [lax.full([64, 100], -0, "float32"), lax.full([64, 100], 0, "float64"), lax.full([64, 101], 0, "float32"), np.ones([64, 100])]) {
      expect(buf(other)).not.toBe(buf(a));
    }
    expect(buf(np.onesLike(a))).toBe(buf(np.ones([64, 100])));
    expect(Array.from(np.ones([64, 100]).toTypedArray()).every((e) => e === 1)).toBe(true);
    // A one-element array broadcast along a kept dim, as zerosLike does for a [1]-shaped value.
    expect(Array.from(lax.broadcastInDim(lax.full([1], -0, "float32"), [2, 3], [1]).toTypedArray()).every((e) => Object.is(e, -0))).toBe(true);
  });
});
