/** conv2d forward and both backward passes against direct float64 sums: strides, padding, dilation, groups, NHWC, example sizes. */
import { beforeAll, describe, expect, it } from "vitest";
import { type Arena, type ConvGeometry, type ConvOptions, type KernelExports, Status, contiguousStrides, encodeConv, nchwConv } from "../src/index.js";
import { builds, expectClose, uniformF32, uniformF64 } from "./_kernels.js";

// Every case runs on each build (plain SIMD, relaxed FMA in the GEMM the conv passes use).
let kernels: KernelExports;
let arena: Arena;

/** Visit every (n, o, oh, ow, c, kh, kw) term of the conv sum with the flat x, w, y indices it touches. */
function eachTerm(g: ConvGeometry, visit: (xi: number, wi: number, yi: number) => void): void {
  const cg = g.c / g.groups, og = g.o / g.groups;
  const [xN, xC, xH, xW] = g.xStrides;
  const [yN, yC, yH, yW] = g.yStrides;
  for (let n = 0; n < g.n; n++) for (let o = 0; o < g.o; o++) for (let oh = 0; oh < g.oh; oh++) for (let ow = 0; ow < g.ow; ow++) {
    const grp = Math.floor(o / og);
    for (let c = 0; c < cg; c++) for (let kh = 0; kh < g.kh; kh++) for (let kw = 0; kw < g.kw; kw++) {
      const ih = oh * g.strideH - g.padH + kh * g.dilH;
      const iw = ow * g.strideW - g.padW + kw * g.dilW;
      if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
      visit(n * xN + (grp * cg + c) * xC + ih * xH + iw * xW, ((o * cg + c) * g.kh + kh) * g.kw + kw, n * yN + o * yC + oh * yH + ow * yW);
    }
  }
}

const count = (g: ConvGeometry, which: "x" | "y") => (which === "x" ? g.n * g.c * g.h * g.w : g.n * g.o * g.oh * g.ow);

/** Run all three passes for geometry `g` and compare each with the float64 sums (f32 tolerance from the term magnitudes). */
function checkConv(g: ConvGeometry, dtype: "f32" | "f64" = "f32", seed = 1): void {
  arena.reset();
  const gen = dtype === "f32" ? uniformF32 : uniformF64;
  const x = gen(count(g, "x"), seed), w = gen((g.o * g.c / g.groups) * g.kh * g.kw, seed + 1), dy = gen(count(g, "y"), seed + 2);
  const y = new Float64Array(count(g, "y")), yAbs = new Float64Array(y.length);
  const dx = new Float64Array(x.length), dxAbs = new Float64Array(x.length);
  const dw = new Float64Array(w.length), dwAbs = new Float64Array(w.length);
  eachTerm(g, (xi, wi, yi) => {
    const xw = x[xi]! * w[wi]!, dyw = dy[yi]! * w[wi]!, dyx = dy[yi]! * x[xi]!;
    y[yi] = y[yi]! + xw;
    yAbs[yi] = yAbs[yi]! + Math.abs(xw);
    dx[xi] = dx[xi]! + dyw;
    dxAbs[xi] = dxAbs[xi]! + Math.abs(dyw);
    dw[wi] = dw[wi]! + dyx;
    dwAbs[wi] = dwAbs[wi]! + Math.abs(dyx);
  });
  const geom = arena.putI32(encodeConv(g));
  const px = arena.put(x), pw = arena.put(w), pdy = arena.put(dy);
  const py = arena.alloc(y.length * x.BYTES_PER_ELEMENT), pdx = arena.alloc(dx.length * x.BYTES_PER_ELEMENT), pdw = arena.alloc(dw.length * x.BYTES_PER_ELEMENT);
  const f = dtype === "f32"
    ? [kernels.conv2d_forward_f32, kernels.conv2d_backward_input_f32, kernels.conv2d_backward_filter_f32]
    : [kernels.conv2d_forward_f64, kernels.conv2d_backward_input_f64, kernels.conv2d_backward_filter_f64];
  expect(f[0]!(geom, px, pw, py)).toBe(Status.ok);
  expect(f[1]!(geom, pdy, pw, pdx)).toBe(Status.ok);
  expect(f[2]!(geom, px, pdy, pdw)).toBe(Status.ok);
  const read = (p: number, n: number) => (dtype === "f32" ? arena.f32(p, n) : arena.f64(p, n));
  const u = dtype === "f32" ? 2 ** -23 : 2 ** -51;
  const within = (got: ArrayLike<number>, want: Float64Array, scale: Float64Array, what: string) => {
    const terms = g.c * g.kh * g.kw + g.n * g.oh * g.ow;
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i]! - want[i]!) <= terms * u * scale[i]! + 1e-30)) expect.fail(`${what}[${i}]: got ${got[i]}, expected ${want[i]} (${JSON.stringify(g)})`);
    }
  };
  within(read(py, y.length), y, yAbs, "forward");
  within(read(pdx, dx.length), dx, dxAbs, "backward input");
  within(read(pdw, dw.length), dw, dwAbs, "backward filter");
}

/** NCHW geometry, optionally with x and y laid out NHWC (same logical sizes, strides permuted). */
function geometry(x: number[], w: number[], opts: ConvOptions, nhwc = false): ConvGeometry {
  const g = nchwConv(x, w, opts);
  if (!nhwc) return g;
  const xs = contiguousStrides([g.n, g.h, g.w, g.c]), ys = contiguousStrides([g.n, g.oh, g.ow, g.o]);
  return { ...g, xStrides: [xs[0]!, xs[3]!, xs[1]!, xs[2]!], yStrides: [ys[0]!, ys[3]!, ys[1]!, ys[2]!] };
}

for (const b of builds) {
  describe(b.name, () => {
    beforeAll(() => {
      ({ kernels, arena } = b);
    });

    describe("conv2d", () => {
      it("matches the direct sums over a grid of odd shapes, strides, paddings, dilations and groups (f32 and f64)", () => {
        let seed = 0;
        for (const [n, c, h, wd] of [[1, 1, 1, 1], [2, 3, 5, 7], [1, 4, 9, 6]]) {
          for (const [o, kh, kw] of [[1, 1, 1], [4, 3, 2], [2, 3, 3]]) {
            for (const opts of [
              {}, { stride: [2, 1] }, { padding: [[1, 1], [0, 2]] }, { dilation: [2, 1], padding: [[2, 1], [1, 1]] },
              { stride: [2, 3], padding: [[1, 0], [2, 2]], dilation: [1, 2] },
            ] as ConvOptions[]) {
              for (const groups of [1, 2]) {
                if (c! % groups || o! % groups) continue;
                const g = nchwConv([n!, c!, h!, wd!], [o!, c! / groups, kh!, kw!], { ...opts, groups });
                if (g.oh <= 0 || g.ow <= 0) continue;
                checkConv(g, "f32", ++seed);
                checkConv(g, "f64", ++seed);
              }
            }
          }
        }
      });

      it("reads and writes NHWC activations through the strides", () => {
        checkConv(geometry([2, 3, 6, 5], [4, 3, 3, 3], { padding: [[1, 1], [1, 1]] }, true));
        checkConv(geometry([1, 4, 7, 7], [6, 2, 3, 2], { stride: [2, 2], groups: 2 }, true));
      });

      it("splits large images into bands of output rows", () => {
        // 64·3·3 = 576 column rows × 64 columns per output row: 28 output rows per band of 2^20 elements.
        checkConv(nchwConv([1, 64, 64, 64], [4, 64, 3, 3], { padding: [[1, 1], [1, 1]] }));
      });

      it("is right at the example sizes: 28×28×1→32 and 14×14×32→64, 3×3, batch 32", () => {
        checkConv(nchwConv([32, 1, 28, 28], [32, 1, 3, 3], { padding: [[1, 1], [1, 1]] }), "f32", 3);
        checkConv(nchwConv([32, 32, 14, 14], [64, 32, 3, 3], { padding: [[1, 1], [1, 1]] }), "f32", 4);
      });

      it("direct forward: tiles inside one output row and across rows, partial filter panels, f32 and f64", () => {
        const cases: [number[], number[], ConvOptions][] = [
          [[2, 5, 11, 19], [7, 5, 3, 3], { padding: [[1, 1], [1, 1]] }],
          [[1, 3, 4, 8], [5, 3, 1, 1], {}],
          [[2, 2, 3, 9], [3, 2, 2, 2], { dilation: [1, 2], padding: [[0, 1], [2, 0]] }],
          [[3, 6, 5, 1], [6, 3, 3, 1], { padding: [[1, 1], [0, 0]], groups: 2 }],
          [[1, 4, 13, 17], [12, 4, 5, 4], { padding: [[3, 0], [0, 4]], dilation: [2, 1] }],
        ];
        let seed = 40;
        for (const [x, w, opts] of cases) {
          checkConv(nchwConv(x, w, opts), "f32", ++seed);
          checkConv(nchwConv(x, w, opts), "f64", ++seed);
          checkConv(geometry(x, w, opts, true), "f32", ++seed);
        }
      });

      it("direct filter gradient: several images per block with a short last one, bands of rows, rows longer than a block", () => {
        const cases: [number[], number[], ConvOptions][] = [
          [[45, 2, 5, 5], [3, 2, 3, 3], { padding: [[1, 1], [1, 1]] }],
          [[2, 1, 30, 40], [9, 1, 3, 3], { padding: [[1, 1], [1, 1]] }],
          [[1, 2, 3, 600], [8, 2, 1, 3], { stride: [1, 2] }],
          // 16 out-channels: whole 8-channel panels packed with SIMD, 7 columns leave a tail of 3.
          [[2, 3, 6, 7], [16, 3, 3, 3], { padding: [[1, 1], [1, 1]] }],
          [[3, 4, 9, 8], [16, 2, 3, 2], { stride: [2, 3], dilation: [1, 2], padding: [[0, 2], [1, 0]], groups: 2 }],
        ];
        let seed = 60;
        for (const [x, w, opts] of cases) {
          checkConv(nchwConv(x, w, opts), "f32", ++seed);
          checkConv(nchwConv(x, w, opts), "f64", ++seed);
          checkConv(geometry(x, w, opts, true), "f32", ++seed);
        }
      });

      it("direct forward writes only output positions: the gaps of a strided y keep their contents", () => {
        arena.reset();
        const base = nchwConv([2, 3, 6, 10], [5, 3, 3, 3], { padding: [[1, 1], [1, 1]] });
        // Each channel plane and each image padded with unused elements.
        const g: ConvGeometry = { ...base, yStrides: [5 * 70 + 13, 70, 10, 1] };
        const size = 2 * g.yStrides[0];
        const x = uniformF32(2 * 3 * 60, 7), w = uniformF32(5 * 3 * 9, 8);
        const py = arena.alloc(size * 4);
        arena.f32(py, size).fill(NaN);
        const want = arena.alloc(2 * 5 * 60 * 4);
        const geom = arena.putI32(encodeConv(g)), geomDense = arena.putI32(encodeConv(base));
        const px = arena.put(x), pw = arena.put(w);
        expect(kernels.conv2d_forward_f32(geom, px, pw, py)).toBe(Status.ok);
        expect(kernels.conv2d_forward_f32(geomDense, px, pw, want)).toBe(Status.ok);
        const got = arena.f32(py, size), dense = arena.f32(want, 2 * 5 * 60);
        const written = new Set<number>();
        for (let n = 0; n < 2; n++) for (let o = 0; o < 5; o++) for (let p = 0; p < 60; p++) {
          const at = n * g.yStrides[0] + o * 70 + p;
          written.add(at);
          expect(got[at]).toBe(dense[(n * 5 + o) * 60 + p]);
        }
        for (let i = 0; i < size; i++) if (!written.has(i)) expect(got[i]).toBeNaN();
      });

      it("handles empty batches and empty outputs (zero gradients)", () => {
        arena.reset();
        const g = nchwConv([0, 2, 5, 5], [3, 2, 3, 3]);
        const geom = arena.putI32(encodeConv(g)), pw = arena.alloc(3 * 2 * 9 * 4);
        arena.f32(pw, 54).fill(7);
        expect(kernels.conv2d_backward_filter_f32(geom, 0, 0, pw)).toBe(0);
        expect(Array.from(arena.f32(pw, 54)).every((v) => v === 0)).toBe(true);
        const g2 = nchwConv([1, 2, 2, 2], [3, 2, 3, 3]);
        expect(g2.oh).toBe(0);
        const geom2 = arena.putI32(encodeConv(g2)), pdx = arena.alloc(8 * 4);
        arena.f32(pdx, 8).fill(NaN);
        expect(kernels.conv2d_backward_input_f32(geom2, 0, pw, pdx)).toBe(0);
        expect(Array.from(arena.f32(pdx, 8))).toEqual(new Array(8).fill(0));
      });

      it("reports inconsistent geometry instead of computing garbage", () => {
        arena.reset();
        const bad = { ...nchwConv([1, 3, 5, 5], [4, 3, 3, 3]), groups: 2 };
        expect(kernels.conv2d_forward_f32(arena.putI32(encodeConv(bad)), 0, 0, 0)).toBe(Status.badGeometry);
        const strided = { ...nchwConv([1, 3, 5, 5], [4, 3, 3, 3]), yStrides: [100, 25, 7, 1] as const };
        expect(kernels.conv2d_forward_f32(arena.putI32(encodeConv(strided)), 0, 0, 0)).toBe(Status.badGeometry);
      });

      it("propagates NaN from the input into the outputs whose windows see it", () => {
        arena.reset();
        const g = nchwConv([1, 1, 4, 4], [1, 1, 2, 2]);
        const x = new Float32Array(16).fill(1);
        x[5] = NaN; // (1, 1)
        const px = arena.put(x), pw = arena.put(new Float32Array([1, 1, 1, 1])), py = arena.alloc(9 * 4);
        expect(kernels.conv2d_forward_f32(arena.putI32(encodeConv(g)), px, pw, py)).toBe(0);
        const want = [NaN, NaN, 4, NaN, NaN, 4, 4, 4, 4];
        expectClose(arena.f32(py, 9), want);
      });
    });
  });
}
