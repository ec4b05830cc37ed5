/**
 * The bit-level primitives: shift_left, shift_right_logical, bitcast_convert_type and threefry2x32 —
 * kernel values, shape/dtype errors, zero derivatives, vmap and jit rules.
 */
import { describe, expect, it } from "vitest";
import { DTypeError, type NdArray, ShapeError, jit, jvp, lax, np, vmap } from "../../src/index.js";
import { bitcastConvertType, shiftLeft, shiftRightLogical, threefry2x32 } from "../../src/random/prims.js";
import { checkJit, checkVmap } from "../../src/testing/index.js";
import { loadCases } from "./_cases.js";

const u32 = (xs: number[] | number) => np.array(xs, { dtype: "uint32" });
const i32 = (xs: number[] | number) => np.array(xs, { dtype: "int32" });
const f32 = (xs: number[]) => np.array(xs, { dtype: "float32" });
const values = (x: NdArray) => Array.from(x.toTypedArray(), Number);

// XLA's shift semantics written without JS shift operators: the amount is read as unsigned, and 32 or more shifts everything out.
const toUnsigned = (x: number) => ((x % 2 ** 32) + 2 ** 32) % 2 ** 32;
const toInt32 = (x: number) => (x >= 2 ** 31 ? x - 2 ** 32 : x);
const shlRef = (x: number, s: number) => (toUnsigned(s) >= 32 ? 0 : (toUnsigned(x) * 2 ** toUnsigned(s)) % 2 ** 32);
const srlRef = (x: number, s: number) => (toUnsigned(s) >= 32 ? 0 : Math.floor(toUnsigned(x) / 2 ** toUnsigned(s)));

describe("shift_left and shift_right_logical", () => {
  const xs = [-8, -1, 0, 1, 3, 0x7fffffff, -(2 ** 31), 0x12345678];
  const amounts = [0, 1, 4, 31, 32, 33, -1, 100];
  const pairs = xs.flatMap((x) => amounts.map((s) => [x, s] as const));
  const x = pairs.map(([a]) => a);
  const s = pairs.map(([, b]) => b);

  it("int32: shifts of 32 or more (or negative amounts) give 0, as XLA", () => {
    expect(values(shiftLeft(i32(x), i32(s)))).toEqual(pairs.map(([a, b]) => toInt32(shlRef(a, b))));
    expect(values(shiftRightLogical(i32(x), i32(s)))).toEqual(pairs.map(([a, b]) => toInt32(srlRef(a, b))));
  });

  it("uint32: zero-filling, wrapping at 32 bits", () => {
    const ux = x.map(toUnsigned);
    const us = s.map(toUnsigned);
    expect(values(shiftLeft(u32(ux), u32(us)))).toEqual(pairs.map(([a, b]) => shlRef(a, b)));
    expect(values(shiftRightLogical(u32(ux), u32(us)))).toEqual(pairs.map(([a, b]) => srlRef(a, b)));
  });

  it("awkward lengths 0..33 agree with the formula", () => {
    for (let n = 0; n <= 33; n++) {
      const a = Array.from({ length: n }, (_, i) => (i * 2654435761) % 2 ** 32);
      const b = Array.from({ length: n }, (_, i) => (i * 7) % 40);
      expect(values(shiftLeft(u32(a), u32(b)))).toEqual(a.map((v, i) => shlRef(v, b[i]!)));
      expect(values(shiftRightLogical(u32(a), u32(b)))).toEqual(a.map((v, i) => srlRef(v, b[i]!)));
    }
  });

  it("reject floats, mixed dtypes and unequal shapes, naming the op and operands", () => {
    expect(() => shiftLeft(f32([1]), f32([1]))).toThrow(DTypeError);
    expect(() => shiftLeft(f32([1]), f32([1]))).toThrow(/shift_left: .*f32\[1\], f32\[1\]/);
    expect(() => shiftRightLogical(i32([1]), u32([1]))).toThrow(/shift_right_logical: .*i32\[1\], u32\[1\]/);
    expect(() => shiftLeft(u32([1, 2]), u32([1]))).toThrow(ShapeError);
    expect(() => shiftLeft(u32([1, 2]), u32([1]))).toThrow(/shift_left: .*u32\[2\], u32\[1\]/);
  });

  it("have zero derivatives, batch elementwise and jit", () => {
    const [y, t] = jvp((a: NdArray) => shiftLeft(a, u32([3, 4])), [u32([5, 6])], [u32([1, 1])]);
    expect(values(y)).toEqual([40, 96]);
    expect(values(t)).toEqual([0, 0]);
    checkVmap((a, b) => shiftLeft(a, b), [u32([1, 2, 3, 4]), u32([0, 1, 31, 32])]);
    checkVmap((a, b) => shiftRightLogical(a, b), [i32([-1, 2, 3, -4]), i32([0, 1, 31, 5])]);
    checkJit((a, b) => shiftRightLogical(shiftLeft(a, b), b), [u32([0xffffffff, 7, 9]), u32([4, 28, 33])]);
  });
});

describe("bitcast_convert_type", () => {
  it("reinterprets float32 bits exactly (signed zero, infinities, subnormals)", () => {
    const xs = [1, -0, Infinity, -Infinity, 2 ** -149, 3.4028234663852886e38, -2.5];
    expect(values(bitcastConvertType(f32(xs), "uint32"))).toEqual([0x3f800000, 0x80000000, 0x7f800000, 0xff800000, 1, 0x7f7fffff, 0xc0200000]);
    expect(values(bitcastConvertType(f32(xs), "int32"))).toEqual([0x3f800000, -(2 ** 31), 0x7f800000, -8388608, 1, 0x7f7fffff, -1071644672]);
  });

  it("keeps NaN payloads and round-trips every bit pattern", () => {
    const patterns = [0x7fc00001, 0xffc12345, 0x7f800001, 0, 0x80000001, 0x3f800000];
    const back = bitcastConvertType(bitcastConvertType(u32(patterns), "float32"), "uint32");
    expect(values(back)).toEqual(patterns);
    expect(values(bitcastConvertType(i32([-1, -(2 ** 31)]), "uint32"))).toEqual([0xffffffff, 0x80000000]);
  });

  it("refuses different widths and unknown dtypes", () => {
    expect(() => bitcastConvertType(np.array([1], { dtype: "float64" }), "uint32")).toThrow(DTypeError);
    expect(() => bitcastConvertType(np.array([1], { dtype: "float64" }), "uint32")).toThrow(/bitcast_convert_type: cannot reinterpret f64\[1\] as uint32.*64 vs 32/);
    expect(() => bitcastConvertType(np.array([true]), "uint32")).toThrow(/8 vs 32/);
    expect(() => lax.bind("bitcast_convert_type", [u32([1])], { newDtype: "uint64" as never })).toThrow(DTypeError);
  });

  it("has zero derivatives, batches and jits", () => {
    const [y, t] = jvp((a: NdArray) => bitcastConvertType(a, "int32"), [f32([1, 2])], [f32([1, 1])]);
    expect(values(y)).toEqual([0x3f800000, 0x40000000]);
    expect(values(t)).toEqual([0, 0]);
    checkVmap((a) => bitcastConvertType(a, "uint32"), [f32([1, -2, 0.5, 3])]);
    checkJit((a) => bitcastConvertType(lax.add(bitcastConvertType(a, "uint32"), u32([1, 1, 1])), "float32"), [f32([1, -2, 0.5])]);
  });
});

describe("threefry2x32", () => {
  const vectors = loadCases("jax_vectors.json").filter((c) => c.op === "threefry2x32");
  const column = (i: number, pick: (c: (typeof vectors)[number]) => number[]) => u32(vectors.map((c) => pick(c)[i]!));

  it("hashes the Random123 known-answer vectors (JAX's testThreefry2x32), elementwise", () => {
    const [y0, y1] = threefry2x32(column(0, (c) => c.key!), column(1, (c) => c.key!), column(0, (c) => c.count!), column(1, (c) => c.count!));
    expect(values(y0)).toEqual(vectors.map((c) => (c.expected as number[])[0]));
    expect(values(y1)).toEqual(vectors.map((c) => (c.expected as number[])[1]));
  });

  it("broadcasts 0-d keys over counters, as one key per element", () => {
    const x0 = u32([0, 1, 2, 3, 4, 5]).reshape([2, 3]);
    const x1 = u32([9, 8, 7, 6, 5, 4]).reshape([2, 3]);
    const [a0, a1] = threefry2x32(u32(7), u32(11), x0, x1);
    const [b0, b1] = threefry2x32(np.full([2, 3], 7, { dtype: "uint32" }), np.full([2, 3], 11, { dtype: "uint32" }), x0, x1);
    expect(a0.shape).toEqual([2, 3]);
    expect(values(a0)).toEqual(values(b0));
    expect(values(a1)).toEqual(values(b1));
  });

  it("handles empty counters", () => {
    const [y0, y1] = threefry2x32(u32(1), u32(2), np.zeros([4, 0], { dtype: "uint32" }), np.zeros([4, 0], { dtype: "uint32" }));
    expect(y0.shape).toEqual([4, 0]);
    expect(y1.size).toBe(0);
  });

  it("rejects non-uint32 operands and shapes that do not broadcast, naming the op and all avals", () => {
    expect(() => threefry2x32(u32(1), u32(2), i32([1]), u32([1]))).toThrow(DTypeError);
    expect(() => threefry2x32(u32(1), u32(2), i32([1]), u32([1]))).toThrow(/threefry2x32: .*u32\[\], u32\[\], i32\[1\], u32\[1\]/);
    expect(() => threefry2x32(u32(1), u32(2), u32([1, 2]), u32([1, 2, 3]))).toThrow(ShapeError);
    expect(() => threefry2x32(u32(1), u32(2), u32([1, 2]), u32([1, 2, 3]))).toThrow(/threefry2x32: .*u32\[2\], u32\[3\]/);
    expect(() => lax.bind("threefry2x32", [u32(1), u32(2), u32([1])], {})).toThrow(/expects 4 operands/);
  });

  it("has zero derivatives", () => {
    const [ys, ts] = jvp((k: NdArray, x: NdArray) => threefry2x32(k, k, x, x), [u32(5), u32([1, 2])], [u32(1), u32([1, 1])]);
    expect(values(ys[0])).toEqual(values(threefry2x32(u32(5), u32(5), u32([1, 2]), u32([1, 2]))[0]));
    expect(values(ts[0])).toEqual([0, 0]);
    expect(values(ts[1])).toEqual([0, 0]);
  });

  it("batches any operand on any axis (keys or counters), equal to a loop", () => {
    const args = [u32([3, 4]).reshape([2, 1]), u32([5, 6, 7]), u32([1, 2, 3, 4, 5, 6]).reshape([2, 3]), u32([7, 8, 9, 10, 11, 12]).reshape([2, 3])];
    // Keys of lower rank than the counters, batched against unbatched counters, exercise the rank padding of the batch rule.
    checkVmap((k0, k1, x0, x1) => threefry2x32(k0, k1, x0, x1), args);
    const keys0 = u32([1, 2, 3]);
    const got = vmap((k: NdArray) => threefry2x32(k, u32(9), u32([1, 2]), u32([3, 4]))[0])(keys0);
    const loop = [1, 2, 3].map((k) => values(threefry2x32(u32(k), u32(9), u32([1, 2]), u32([3, 4]))[0]));
    expect(got.shape).toEqual([3, 2]);
    expect(values(got)).toEqual(loop.flat());
  });

  it("jits, alone and inside a larger program", () => {
    checkJit((k0, k1, x0, x1) => threefry2x32(k0, k1, x0, x1), [u32(3), u32(4), u32([1, 2, 3]), u32([4, 5, 6])]);
    const f = jit((x: NdArray) => lax.xor(...threefry2x32(u32(1), u32(2), x, lax.add(x, u32([1, 1])))));
    expect(values(f(u32([5, 6])))).toEqual(values(lax.xor(...threefry2x32(u32(1), u32(2), u32([5, 6]), u32([6, 7])))));
  });
});
