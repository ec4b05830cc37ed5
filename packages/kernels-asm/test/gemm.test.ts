/** GEMM (f32 and f64) against a float64 triple loop: every transpose combination, odd and blocked sizes, strides, beta, NaN/Inf, 512³. */
import { beforeAll, describe, expect, it } from "vitest";
import type { Arena, KernelExports } from "../src/index.js";
import { builds, uniformF32, uniformF64 } from "./_kernels.js";

// Every case runs on each build (plain SIMD, relaxed FMA); the bound 2·(k+2)·u·Σ|a||b| holds for both.
let kernels: KernelExports;
let arena: Arena;

type Dtype = "f32" | "f64";
/** A matrix stored row-major, or transposed (column-major), with an optional padded leading dimension. */
type Layout = { trans: boolean; pad?: number };

/** Element strides of an r×c matrix stored with `layout`, and the storage length. */
function strides(r: number, c: number, layout: Layout): { rs: number; cs: number; len: number } {
  const pad = layout.pad ?? 0;
  if (layout.trans) return { rs: 1, cs: r + pad, len: Math.max(0, (r + pad) * c) };
  return { rs: c + pad, cs: 1, len: Math.max(0, (c + pad) * r) };
}

/** C = A·B + beta·C0 in float64 with the elementwise error scale Σ|a||b|, over strided storage. */
function reference(m: number, n: number, k: number, a: ArrayLike<number>, sa: ReturnType<typeof strides>, b: ArrayLike<number>, sb: ReturnType<typeof strides>, beta: number, c0: ArrayLike<number>, sc: ReturnType<typeof strides>) {
  const value = new Float64Array(m * n);
  const scale = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = a[i * sa.rs + p * sa.cs]! * b[p * sb.rs + j * sb.cs]!;
        s += x;
        t += Math.abs(x);
      }
      const cij = c0[i * sc.rs + j * sc.cs]!;
      value[i * n + j] = beta === 0 ? s : s + beta * cij;
      scale[i * n + j] = beta === 0 ? t : t + Math.abs(beta * cij);
    }
  }
  return { value, scale };
}

type Case = { m: number; n: number; k: number; la: Layout; lb: Layout; lc?: Layout; beta?: number; dtype?: Dtype; seed?: number; poison?: (a: Float32Array | Float64Array) => void };

/** Run one GEMM through the kernel and compare with the reference (error ≤ 2·k·u·Σ|a||b|). */
function check({ m, n, k, la, lb, lc = { trans: false }, beta = 0, dtype = "f32", seed = 1, poison }: Case): void {
  arena.reset();
  const sa = strides(m, k, la), sb = strides(k, n, lb), sc = strides(m, n, lc);
  const gen = dtype === "f32" ? uniformF32 : uniformF64;
  const a = gen(sa.len, seed), b = gen(sb.len, seed + 1);
  // With beta = 0 the kernel must not read C: fill it with NaN to prove it.
  const c0 = beta === 0 ? (dtype === "f32" ? new Float32Array(sc.len).fill(NaN) : new Float64Array(sc.len).fill(NaN)) : gen(sc.len, seed + 2);
  poison?.(a);
  const pa = arena.put(a), pb = arena.put(b), pc = arena.put(c0);
  const st = dtype === "f32"
    ? kernels.gemm_f32(m, n, k, pa, sa.rs, sa.cs, pb, sb.rs, sb.cs, beta, pc, sc.rs, sc.cs)
    : kernels.gemm_f64(m, n, k, pa, sa.rs, sa.cs, pb, sb.rs, sb.cs, beta, pc, sc.rs, sc.cs);
  expect(st).toBe(0);
  const c = dtype === "f32" ? arena.f32(pc, sc.len) : arena.f64(pc, sc.len);
  const { value, scale } = reference(m, n, k, a, sa, b, sb, beta, c0, sc);
  const u = dtype === "f32" ? 2 ** -24 : 2 ** -53;
  const what = `${dtype} m=${m} n=${n} k=${k} ta=${la.trans} tb=${lb.trans}`;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const got = c[i * sc.rs + j * sc.cs]!;
      const want = value[i * n + j]!;
      if (Number.isNaN(want)) {
        expect(got, `${what} [${i},${j}]`).toBeNaN();
        continue;
      }
      if (!Number.isFinite(want)) {
        expect(got, `${what} [${i},${j}]`).toBe(want);
        continue;
      }
      const tol = 2 * (k + 2) * u * scale[i * n + j]! + 1e-30;
      if (!(Math.abs(got - want) <= tol)) expect.fail(`${what} [${i},${j}]: got ${got}, expected ${want} ± ${tol}`);
    }
  }
  // Padding between rows (or columns) of C is never written.
  if (lc.pad) {
    for (let i = 0; i < sc.len; i++) {
      const r = lc.trans ? i % sc.cs : Math.floor(i / sc.rs);
      const col = lc.trans ? Math.floor(i / sc.cs) : i % sc.rs;
      if (r >= m || col >= n) expect(Object.is(c[i], c0[i]) || (Number.isNaN(c[i]) && Number.isNaN(c0[i])), `${what} padding ${i}`).toBe(true);
    }
  }
}

const TRANSPOSES: Array<[boolean, boolean]> = [[false, false], [false, true], [true, false], [true, true]];
const SIZES = [0, 1, 2, 3, 5, 7, 8, 9, 13, 17, 33];

for (const b of builds) {
  describe(b.name, () => {
    beforeAll(() => {
      ({ kernels, arena } = b);
    });

    describe("gemm_f32", () => {
      it("matches the reference for every m, n, k in {0, 1, 2, 3, 5, 7, 8, 9, 13, 17, 33} and all four transposes", () => {
        for (const [ta, tb] of TRANSPOSES) {
          for (const m of SIZES) for (const n of SIZES) for (const k of SIZES) check({ m, n, k, la: { trans: ta }, lb: { trans: tb } });
        }
      });

      it("crosses every blocking boundary (kc = 256, mc = 128, nc = 4096)", () => {
        for (const [ta, tb] of TRANSPOSES) check({ m: 131, n: 70, k: 515, la: { trans: ta }, lb: { trans: tb } });
        check({ m: 3, n: 4100, k: 5, la: { trans: false }, lb: { trans: false } });
        check({ m: 257, n: 9, k: 257, la: { trans: true }, lb: { trans: false } });
      });

      it("accumulates with beta and writes through padded and transposed C", () => {
        for (const beta of [1, 0.5, -2]) check({ m: 19, n: 23, k: 300, la: { trans: false }, lb: { trans: true }, beta });
        check({ m: 9, n: 17, k: 5, la: { trans: false, pad: 3 }, lb: { trans: true, pad: 2 }, lc: { trans: false, pad: 5 }, beta: 1 });
        check({ m: 9, n: 17, k: 5, la: { trans: true, pad: 1 }, lb: { trans: false, pad: 4 }, lc: { trans: true, pad: 2 } });
      });

      it("k = 0 gives beta·C (zeros for beta = 0, even over NaN)", () => {
        check({ m: 5, n: 6, k: 0, la: { trans: false }, lb: { trans: false }, beta: 0 });
        check({ m: 5, n: 6, k: 0, la: { trans: false }, lb: { trans: false }, beta: 3 });
      });

      it("propagates NaN and ±Inf from A into exactly the affected rows", () => {
        check({
          m: 6, n: 10, k: 7, la: { trans: false }, lb: { trans: false },
          poison: (a) => {
            a[1 * 7 + 3] = NaN;
            a[4 * 7 + 0] = Infinity;
          },
        });
      });

      it("walks negative strides (a reversed view)", () => {
        arena.reset();
        const m = 7, n = 5, k = 6;
        const a = uniformF32(m * k, 3), b = uniformF32(k * n, 4);
        const pa = arena.put(a), pb = arena.put(b), pc = arena.alloc(m * n * 4);
        // A reversed along its rows: row i of the view is row m−1−i of the storage.
        expect(kernels.gemm_f32(m, n, k, pa + (m - 1) * k * 4, -k, 1, pb, n, 1, 0, pc, n, 1)).toBe(0);
        const c = arena.f32(pc, m * n);
        for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += a[(m - 1 - i) * k + p]! * b[p * n + j]!;
          expect(c[i * n + j]).toBeCloseTo(s, 5);
        }
      });

      it("is right at 512³ (all four transposes)", () => {
        for (const [ta, tb] of TRANSPOSES) check({ m: 512, n: 512, k: 512, la: { trans: ta }, lb: { trans: tb }, seed: 7 });
      });
    });

    describe("gemm_f64", () => {
      it("matches the reference on odd sizes and all four transposes", () => {
        for (const [ta, tb] of TRANSPOSES) {
          for (const m of [0, 1, 3, 4, 5, 9]) for (const n of [0, 1, 2, 3, 5, 17]) for (const k of [0, 1, 2, 7, 33]) {
            check({ m, n, k, la: { trans: ta }, lb: { trans: tb }, dtype: "f64" });
          }
        }
      });

      it("crosses the blocking boundaries, with beta and padded C", () => {
        for (const [ta, tb] of TRANSPOSES) check({ m: 133, n: 37, k: 300, la: { trans: ta }, lb: { trans: tb }, dtype: "f64", beta: 0.25 });
        check({ m: 9, n: 17, k: 5, la: { trans: true, pad: 1 }, lb: { trans: false, pad: 4 }, lc: { trans: true, pad: 2 }, dtype: "f64" });
      });
    });
  });
}
