/** allocateUninit / copyOf: right type and length at every size, contents copied exactly, and poisoned under the test suite so an unwritten element cannot pass as 0. */
import { describe, expect, it } from "vitest";
import type { DType } from "../src/dtype.js";
import { allocateUninit, copyOf } from "../src/uninit.js";

const DTYPES: DType[] = ["float32", "float64", "int32", "uint32", "bool"];
const CTOR = { float32: Float32Array, float64: Float64Array, int32: Int32Array, uint32: Uint32Array, bool: Uint8Array };

describe("allocateUninit", () => {
  it("runs poisoned in this suite (vitest.config.ts sets FLUXION_POISON_UNINIT=1)", () => {
    expect(process.env.FLUXION_POISON_UNINIT).toBe("1");
  });

  for (const dtype of DTYPES) {
    it(`${dtype}: the dtype's typed array, of its length, filled with 0xFF bytes below and above the Buffer cut-off`, () => {
      for (const n of [0, 1, 7, 1000, 16_384, 100_003]) {
        const a = allocateUninit(dtype, n);
        expect(a).toBeInstanceOf(CTOR[dtype]);
        expect(a.length).toBe(n);
        const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
        expect(bytes.every((b) => b === 0xff)).toBe(true);
        // Its own storage: a write shows in no other buffer handed out.
        if (n > 0) {
          const b = allocateUninit(dtype, n);
          a[0] = 1;
          expect(b[0]).not.toBe(1);
        }
      }
    });
  }

  it("copyOf copies every element exactly, at sizes on both sides of the cut-off", () => {
    for (const n of [3, 16_383, 16_384, 70_001]) {
      const src = Float32Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i) * 1e3));
      const y = copyOf("float32", src);
      expect(y).toBeInstanceOf(Float32Array);
      expect(Array.from(y)).toEqual(Array.from(src));
      const d = Float64Array.from(src, (v) => v / 3);
      expect(Array.from(copyOf("float64", d))).toEqual(Array.from(d));
    }
  });
});
