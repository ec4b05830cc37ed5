/** Strided and broadcasting elementwise kernels and strided copies, against index arithmetic in TypeScript. */
import { describe, expect, it } from "vitest";
import { BinaryOp, Status, UnaryOp, contiguousStrides } from "../src/index.js";
import { BINARY_REF, UNARY_REF } from "./_reference.js";
import { arena, expectClose, kernels, uniformF32, uniformF64 } from "./_kernels.js";

/** Flat offsets of every row-major position of `shape` under `strides` (from `offset`). */
function offsets(shape: readonly number[], strides: readonly number[], offset = 0): number[] {
  const out: number[] = [];
  const rec = (d: number, off: number) => {
    if (d === shape.length) {
      out.push(off);
      return;
    }
    for (let i = 0; i < shape[d]!; i++) rec(d + 1, off + i * strides[d]!);
  };
  rec(0, offset);
  return out;
}

/** Strides that broadcast `from` (right-aligned, contiguous) to `to`: 0 where `from` has size 1. */
function broadcastStrides(from: readonly number[], to: readonly number[]): number[] {
  const own = contiguousStrides(from);
  return to.map((n, d) => {
    const k = d - (to.length - from.length);
    return k < 0 || from[k] === 1 ? 0 : own[k]!;
  });
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe("binary_strided", () => {
  const CASES: Array<{ out: number[]; a: number[]; b: number[] }> = [
    { out: [], a: [], b: [] },
    { out: [5], a: [5], b: [1] },
    { out: [3, 4, 5], a: [3, 1, 5], b: [4, 1] },
    { out: [2, 3, 33], a: [2, 3, 33], b: [33] },
    { out: [7, 1, 9], a: [1, 1, 9], b: [7, 1, 1] },
    { out: [4, 0, 3], a: [4, 1, 3], b: [0, 3] },
    { out: [2, 2500], a: [2, 1], b: [2500] }, // rows longer than the kernel's gather block
    { out: [6, 5, 4, 3], a: [6, 1, 4, 1], b: [5, 1, 3] },
  ];
  for (const dtype of ["f32", "f64"] as const) {
    for (const { out, a, b } of CASES) {
      it(`${dtype} ${JSON.stringify(a)} ⊙ ${JSON.stringify(b)} → ${JSON.stringify(out)}, every op`, () => {
        const gen = dtype === "f32" ? uniformF32 : uniformF64;
        const xa = gen(size(a), 1, -3, 3), xb = gen(size(b), 2, 0.5, 2);
        const sa = broadcastStrides(a, out), sb = broadcastStrides(b, out);
        for (const name of Object.keys(BinaryOp) as Array<keyof typeof BinaryOp>) {
          arena.reset();
          const pa = arena.put(xa), pb = arena.put(xb), py = arena.alloc(size(out) * xa.BYTES_PER_ELEMENT);
          const args = [BinaryOp[name], out.length, arena.putI32(out), pa, arena.putI32(sa), pb, arena.putI32(sb), py] as const;
          expect(dtype === "f32" ? kernels.binary_strided_f32(...args) : kernels.binary_strided_f64(...args)).toBe(Status.ok);
          const got = dtype === "f32" ? arena.f32(py, size(out)) : arena.f64(py, size(out));
          const oa = offsets(out, sa), ob = offsets(out, sb);
          const round = dtype === "f32" ? Math.fround : (x: number) => x;
          const want = oa.map((o, i) => round(BINARY_REF[name](xa[o]!, xb[ob[i]!]!)));
          expectClose(got, want, { rel: dtype === "f32" ? 2.5e-7 : 8e-16 }, `${name}`);
        }
      });
    }
  }

  it("reads transposed and reversed views (negative strides)", () => {
    arena.reset();
    const x = uniformF32(12 * 7, 3);
    const y = uniformF32(12 * 7, 4);
    // a = x viewed as its transpose [7, 12]; b = y reversed along both axes of [7, 12].
    const shape = [7, 12];
    const sa = [1, 7], sb = [-12, -1];
    const pa = arena.put(x), pb = arena.put(y), py = arena.alloc(84 * 4);
    const bStart = pb + (6 * 12 + 11) * 4;
    expect(kernels.binary_strided_f32(BinaryOp.sub, 2, arena.putI32(shape), pa, arena.putI32(sa), bStart, arena.putI32(sb), py)).toBe(0);
    const oa = offsets(shape, sa), ob = offsets(shape, sb, 6 * 12 + 11);
    expectClose(arena.f32(py, 84), oa.map((o, i) => Math.fround(x[o]! - y[ob[i]!]!)));
  });
});

describe("unary_strided", () => {
  it("applies every op to a transposed, broadcast and reversed view (f32 and f64)", () => {
    const shape = [3, 4, 35], strides = [1, 0, -3];
    for (const dtype of ["f32", "f64"] as const) {
      const x = dtype === "f32" ? uniformF32(105, 5, 0.1, 0.9) : uniformF64(105, 5, 0.1, 0.9);
      for (const name of Object.keys(UnaryOp) as Array<keyof typeof UnaryOp>) {
        if (dtype === "f64" && name === "erf") continue;
        arena.reset();
        const px = arena.put(x), py = arena.alloc(size(shape) * x.BYTES_PER_ELEMENT);
        const start = px + 34 * 3 * x.BYTES_PER_ELEMENT;
        const args = [UnaryOp[name], 3, arena.putI32(shape), start, arena.putI32(strides), py] as const;
        expect(dtype === "f32" ? kernels.unary_strided_f32(...args) : kernels.unary_strided_f64(...args)).toBe(0);
        const got = dtype === "f32" ? arena.f32(py, size(shape)) : arena.f64(py, size(shape));
        const round = dtype === "f32" ? Math.fround : (v: number) => v;
        expectClose(got, offsets(shape, strides, 34 * 3).map((o) => round(UNARY_REF[name](x[o]!))), { rel: dtype === "f32" ? 4e-7 : 8e-16 }, name);
      }
    }
  });

  it("handles rank 0 and empty shapes", () => {
    arena.reset();
    const px = arena.put(new Float32Array([4])), py = arena.alloc(64);
    expect(kernels.unary_strided_f32(UnaryOp.sqrt, 0, arena.putI32([0]), px, arena.putI32([0]), py)).toBe(0);
    expect(arena.f32(py, 1)[0]).toBe(2);
    expect(kernels.unary_strided_f32(UnaryOp.sqrt, 2, arena.putI32([3, 0]), px, arena.putI32([1, 1]), py)).toBe(0);
  });
});

describe("copy_strided", () => {
  it("moves 4- and 8-byte elements bit-exactly, NaN payloads included", () => {
    arena.reset();
    const bits = Uint32Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? 0x7fa00000 + i : 0xff800001 + i * 977));
    const shape = [5, 12], strides = [1, 5];
    const px = arena.put(bits), py = arena.alloc(60 * 4);
    expect(kernels.copy_strided_x32(2, arena.putI32(shape), px, arena.putI32(strides), py)).toBe(0);
    expect(Array.from(arena.u32(py, 60))).toEqual(offsets(shape, strides).map((o) => bits[o]));
    const wide = Float64Array.from({ length: 24 }, (_, i) => i * 1.5 - 7);
    const qx = arena.put(wide), qy = arena.alloc(24 * 8);
    expect(kernels.copy_strided_x64(3, arena.putI32([2, 3, 4]), qx, arena.putI32([1, 8, 2]), qy)).toBe(0);
    expect(Array.from(arena.f64(qy, 24))).toEqual(offsets([2, 3, 4], [1, 8, 2]).map((o) => wide[o]));
  });
});
