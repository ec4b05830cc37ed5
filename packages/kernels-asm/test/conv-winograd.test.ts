/**
 * The Winograd F(2×2, 3×3) routes of the f32 forward (3×3, unit stride, one group, ≥ 8 channels in and
 * out) and filter gradient (≥ 16) against float64 sums: odd output sizes (half tiles), every padding,
 * channel counts off the micro-tile, several blocks of tiles with a short last one, strided views, and
 * NaN/±Inf/overflow, for which the kernel must give exactly what the direct conv gives.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { type Arena, type ConvGeometry, type ConvOptions, type KernelExports, Status, contiguousStrides, encodeConv, nchwConv } from "../src/index.js";
import { builds, uniformF32 } from "./_kernels.js";

let kernels: KernelExports;
let arena: Arena;

/** Number of elements a strided [N, C, H, W] view spans. */
const span = (sizes: readonly number[], strides: readonly number[]) => 1 + sizes.reduce((s, n, i) => s + (n - 1) * strides[i]!, 0);

/** y = conv2d(x, w) in float64 with Σ|x·w| per output (the scale of its rounding error), through g's strides. */
function reference(g: ConvGeometry, x: ArrayLike<number>, w: ArrayLike<number>): { y: Float64Array; scale: Float64Array } {
  const [xN, xC, xH, xW] = g.xStrides;
  const [yN, yC, yH, yW] = g.yStrides;
  const y = new Float64Array(span([g.n, g.o, g.oh, g.ow], g.yStrides)), scale = new Float64Array(y.length);
  for (let n = 0; n < g.n; n++) for (let o = 0; o < g.o; o++) for (let oh = 0; oh < g.oh; oh++) for (let ow = 0; ow < g.ow; ow++) {
    let s = 0, a = 0;
    for (let c = 0; c < g.c; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
      const ih = oh - g.padH + kh, iw = ow - g.padW + kw;
      if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
      const t = x[n * xN + c * xC + ih * xH + iw * xW]! * w[((o * g.c + c) * 3 + kh) * 3 + kw]!;
      s += t;
      a += Math.abs(t);
    }
    const at = n * yN + o * yC + oh * yH + ow * yW;
    y[at] = s;
    scale[at] = a;
  }
  return { y, scale };
}

/** Elements of sentinel before and after an output buffer: a pass must leave them alone. */
const GUARD = 64;
const SENTINEL = 12345.5;

/**
 * Run pass `run` on x and w (or dy) with an output of `n` elements prefilled with NaN between two guard
 * zones; checks that the guards and both inputs are untouched and returns the output.
 */
function runGuarded(n: number, x: Float32Array, w: Float32Array, run: (px: number, pw: number, py: number) => number): Float32Array {
  arena.reset();
  const px = arena.put(x), pw = arena.put(w), pg = arena.alloc((n + 2 * GUARD) * 4), py = pg + GUARD * 4;
  arena.f32(pg, n + 2 * GUARD).fill(SENTINEL);
  arena.f32(py, n).fill(NaN);
  expect(run(px, pw, py)).toBe(Status.ok);
  const guards = [...arena.f32(pg, GUARD), ...arena.f32(py + n * 4, GUARD)];
  expect(guards.every((v) => v === SENTINEL), "guard zones around the output").toBe(true);
  expect(arena.f32(px, x.length).every((v, i) => Object.is(v, x[i])), "input unchanged").toBe(true);
  expect(arena.f32(pw, w.length).every((v, i) => Object.is(v, w[i])), "second input unchanged").toBe(true);
  return arena.f32(py, n).slice();
}

/** Run the f32 forward of geometry g on x and w; returns the whole strided y buffer (unwritten gaps NaN). */
function forward(g: ConvGeometry, x: Float32Array, w: Float32Array): Float32Array {
  const geom = encodeConv(g);
  return runGuarded(span([g.n, g.o, g.oh, g.ow], g.yStrides), x, w, (px, pw, py) => kernels.conv2d_forward_f32(arena.putI32(geom), px, pw, py));
}

/** Winograd runs the module counted during `run`. */
function winogradRunsIn(run: () => void): number {
  const before = kernels.conv2d_winograd_runs();
  run();
  return kernels.conv2d_winograd_runs() - before;
}

/** Every output position's flat index in g's strided y. */
function outputIndices(g: ConvGeometry): number[] {
  const [yN, yC, yH, yW] = g.yStrides, out: number[] = [];
  for (let n = 0; n < g.n; n++) for (let o = 0; o < g.o; o++) for (let oh = 0; oh < g.oh; oh++) for (let ow = 0; ow < g.ow; ow++) out.push(n * yN + o * yC + oh * yH + ow * yW);
  return out;
}

/**
 * The forward of g within 4·(9C)·2⁻²⁴·Σ|x·w| of the float64 sums at every output (the direct conv's
 * bound with a factor for the transforms), NaN/±Inf exactly where the sums have them, and the gaps of a
 * strided y untouched.
 */
function checkForward(g: ConvGeometry, x: Float32Array, w: Float32Array, winograd = true): void {
  let got: Float32Array = new Float32Array(0);
  expect(winogradRunsIn(() => (got = forward(g, x, w))), `Winograd ${winograd ? "ran" : "fell back"}`).toBe(winograd ? 1 : 0);
  const { y, scale } = reference(g, x, w);
  const written = new Set(outputIndices(g));
  const tol = 4 * 9 * g.c * 2 ** -24;
  for (const i of written) {
    const ok = Number.isFinite(y[i]!) ? Math.abs(got[i]! - y[i]!) <= tol * scale[i]! + 1e-30 : Object.is(got[i], y[i]);
    if (!ok) expect.fail(`y[${i}]: got ${got[i]}, expected ${y[i]} (${JSON.stringify(g)})`);
  }
  for (let i = 0; i < got.length; i++) if (!written.has(i)) expect(got[i]).toBeNaN();
}

/** dw = ∂conv/∂w for output gradient dy in float64 (contiguous [O, C, 3, 3]), with Σ|dy·x| per element. */
function filterReference(g: ConvGeometry, x: ArrayLike<number>, dy: ArrayLike<number>): { dw: Float64Array; scale: Float64Array } {
  const [xN, xC, xH, xW] = g.xStrides;
  const [yN, yC, yH, yW] = g.yStrides;
  const dw = new Float64Array(g.o * g.c * 9), scale = new Float64Array(dw.length);
  for (let o = 0; o < g.o; o++) for (let c = 0; c < g.c; c++) for (let kh = 0; kh < 3; kh++) for (let kw = 0; kw < 3; kw++) {
    let s = 0, a = 0;
    for (let n = 0; n < g.n; n++) for (let oh = 0; oh < g.oh; oh++) for (let ow = 0; ow < g.ow; ow++) {
      const ih = oh - g.padH + kh, iw = ow - g.padW + kw;
      if (ih < 0 || ih >= g.h || iw < 0 || iw >= g.w) continue;
      const t = dy[n * yN + o * yC + oh * yH + ow * yW]! * x[n * xN + c * xC + ih * xH + iw * xW]!;
      s += t;
      a += Math.abs(t);
    }
    dw[((o * g.c + c) * 3 + kh) * 3 + kw] = s;
    scale[((o * g.c + c) * 3 + kh) * 3 + kw] = a;
  }
  return { dw, scale };
}

/** The f32 filter gradient of geometry g for x and dy (dw prefilled with NaN, so unwritten elements show). */
function filterGradient(g: ConvGeometry, x: Float32Array, dy: Float32Array): Float32Array {
  const geom = encodeConv(g);
  return runGuarded(g.o * g.c * 9, x, dy, (px, pdy, pdw) => kernels.conv2d_backward_filter_f32(arena.putI32(geom), px, pdy, pdw));
}

/**
 * The filter gradient within 2⁻²⁴·(8·Σ|dy·x| + 64·√T·max|x|·max|dy|) of the float64 sums (T tiles),
 * NaN/±Inf exactly where they have them. The second term is Winograd's: every dw element is a sum over
 * all T tiles of transformed values that mix a tile's neighbours, so an element whose own terms are
 * small or all padding still carries their rounding (measured: at most 18·√T·max|x|·max|dy| ulps).
 */
function checkFilter(g: ConvGeometry, x: Float32Array, dy: Float32Array, winograd = true): void {
  let got: Float32Array = new Float32Array(0);
  expect(winogradRunsIn(() => (got = filterGradient(g, x, dy))), `Winograd ${winograd ? "ran" : "fell back"}`).toBe(winograd ? 1 : 0);
  const { dw, scale } = filterReference(g, x, dy);
  const maxAbs = (a: Float32Array) => a.reduce((m, v) => (Number.isFinite(v) ? Math.max(m, Math.abs(v)) : m), 0);
  const tiles = g.n * Math.ceil(g.oh / 2) * Math.ceil(g.ow / 2);
  const mixed = 64 * Math.sqrt(tiles) * maxAbs(x) * maxAbs(dy);
  for (let i = 0; i < dw.length; i++) {
    const ok = Number.isFinite(dw[i]!) ? Math.abs(got[i]! - dw[i]!) <= 2 ** -24 * (8 * scale[i]! + mixed) : Object.is(got[i], dw[i]);
    if (!ok) expect.fail(`dw[${i}]: got ${got[i]}, expected ${dw[i]} (${JSON.stringify(g)})`);
  }
}

/** Contiguous x and dy for the filter gradient of geometry g from seed. */
function gradientInputs(g: ConvGeometry, seed: number): [Float32Array, Float32Array] {
  return [uniformF32(span([g.n, g.c, g.h, g.w], g.xStrides), seed), uniformF32(span([g.n, g.o, g.oh, g.ow], g.yStrides), seed + 1)];
}

/** Contiguous x and w for geometry g from seed. */
function inputs(g: ConvGeometry, seed: number): [Float32Array, Float32Array] {
  return [uniformF32(span([g.n, g.c, g.h, g.w], g.xStrides), seed), uniformF32(g.o * g.c * 9, seed + 1)];
}

const same: ConvOptions = { padding: [[1, 1], [1, 1]] };

/** None, SAME, wider, and lopsided padding. */
const PADDINGS = [[[0, 0], [0, 0]], [[1, 1], [1, 1]], [[2, 2], [2, 2]], [[0, 2], [1, 0]]] as ConvOptions["padding"][];

/** Visit the 3×3 conv of 2 images for every image size, padding and (in, out) channel pair with a non-empty output. */
function eachGeometry(sizes: number[][], paddings: ConvOptions["padding"][], channels: number[][], visit: (g: ConvGeometry) => void): void {
  for (const [h, w] of sizes) for (const padding of paddings) for (const [c, o] of channels) {
    const g = nchwConv([2, c!, h!, w!], [o!, c!, 3, 3], { padding });
    if (g.oh > 0 && g.ow > 0) visit(g);
  }
}

for (const b of builds) {
  describe(b.name, () => {
    beforeAll(() => {
      ({ kernels, arena } = b);
    });

    describe("conv2d forward, Winograd F(2×2, 3×3)", () => {
      it("matches the float64 sums for odd sizes, every padding, and channels off the micro-tile", () => {
        let seed = 0;
        const paddings = [...PADDINGS, [[2, 0], [0, 1]]] as ConvOptions["padding"][];
        eachGeometry([[1, 1], [2, 2], [3, 5], [7, 6], [14, 14], [9, 13]], paddings, [[8, 8], [9, 10], [16, 13]], (g) => checkForward(g, ...inputs(g, ++seed)));
      });

      it("runs several blocks of tiles with a short last block, across images", () => {
        // 8→8: 256 tiles per block; 13 images of 7×7 tiles = 637 tiles = 2 blocks + 125.
        const g = nchwConv([13, 8, 13, 14], [8, 8, 3, 3], same);
        checkForward(g, ...inputs(g, 100));
        // 64→96: 24 tiles per block, 5 images of 4×3 tiles.
        const g2 = nchwConv([5, 64, 8, 5], [96, 64, 3, 3], same);
        checkForward(g2, ...inputs(g2, 101));
      });

      it("reads x through strides with unit-stride rows and writes y through any output strides", () => {
        // x: a channel slice of a wider tensor with padded rows (strides N 3000, C 150, H 15, W 1).
        const base = nchwConv([2, 12, 9, 11], [10, 12, 3, 3], same);
        const g: ConvGeometry = { ...base, xStrides: [3000, 150, 15, 1] };
        checkForward(g, ...inputs(g, 200));
        // y NHWC and y with padded planes.
        const ys = contiguousStrides([g.n, g.oh, g.ow, g.o]);
        checkForward({ ...g, yStrides: [ys[0]!, ys[3]!, ys[1]!, ys[2]!] }, ...inputs(g, 201));
        checkForward({ ...g, yStrides: [10 * 120 + 7, 120, 11, 1] }, ...inputs(g, 202));
      });

      it("gives the direct conv's NaN and ±Inf pattern for non-finite inputs and filters", () => {
        const g = nchwConv([2, 8, 10, 9], [8, 8, 3, 3], same);
        const [x, w] = inputs(g, 300);
        // A NaN, a +Inf and a −Inf in different images and channels: only outputs whose windows see them are non-finite.
        x[3 * 90 + 4 * 9 + 4] = NaN;
        x[(8 + 5) * 90 + 0 * 9 + 8] = Infinity;
        x[(8 + 1) * 90 + 9 * 9 + 0] = -Infinity;
        checkForward(g, x, w, false);
        const [x2, w2] = inputs(g, 301);
        w2[5 * 72 + 2 * 9 + 4] = Infinity;
        checkForward(g, x2, w2, false);
      });

      it("falls back to the direct conv where a transform would overflow but the sums do not", () => {
        const g = nchwConv([1, 8, 6, 6], [8, 8, 3, 3], same);
        const [x, w] = inputs(g, 400);
        // d0 − d2 of a tile overflows f32 for ±3e38 two columns apart; the weights keep every sum finite.
        x[2 * 36 + 1 * 6 + 1] = 3e38;
        x[2 * 36 + 1 * 6 + 3] = -3e38;
        w.forEach((_, i) => (w[i] = w[i]! * 1e-3));
        checkForward(g, x, w, false);
        const got = forward(g, x, w);
        expect(outputIndices(g).every((i) => Number.isFinite(got[i]!))).toBe(true);
      });

      it("runs blocks with channels off the micro-tile, and a NaN in the short last block's edge tile falls back", () => {
        // 9→13: 184 tiles per block; 6 images of 7×7 tiles = 294 tiles = one block + 110.
        const g = nchwConv([6, 9, 13, 14], [13, 9, 3, 3], same);
        const [x, w] = inputs(g, 110);
        checkForward(g, x, w);
        x[5 * 9 * 182 + 4 * 182 + 12 * 14 + 13] = NaN;
        checkForward(g, x, w, false);
      });

      it("with negative high padding, a NaN in an input row the conv never reads does not send it to the direct pass", () => {
        // OH = 5: the last tile's second output row is not stored, and only it would read input row 6.
        const g = nchwConv([1, 8, 7, 6], [8, 8, 3, 3], { padding: [[1, -1], [1, 0]] });
        expect(g.oh).toBe(5);
        const [x, w] = inputs(g, 120);
        for (let c = 0; c < 8; c++) x[c * 42 + 6 * 6 + 2] = NaN;
        checkForward(g, x, w);
      });

      it("allocates no more arena scratch than conv2d_scratch_bytes reports", () => {
        for (const [g, pass] of [
          [nchwConv([3, 8, 9, 7], [8, 8, 3, 3], same), "forward"],
          [nchwConv([2, 33, 14, 14], [20, 33, 3, 3], same), "forward"],
          [nchwConv([3, 16, 9, 7], [16, 16, 3, 3], same), "filter"],
          [nchwConv([2, 17, 14, 15], [21, 17, 3, 3], same), "filter"],
        ] as const) {
          const [x, w] = pass === "forward" ? inputs(g, 130) : gradientInputs(g, 130);
          arena.reset();
          const geom = arena.putI32(encodeConv(g)), px = arena.put(x), pw = arena.put(w);
          const out = arena.alloc((pass === "forward" ? g.n * g.o * g.oh * g.ow : g.o * g.c * 9) * 4);
          const top = arena.mark(), scratch = kernels.conv2d_scratch_bytes(geom, 4);
          // Fill the scratch region and 4 KiB past it with a sentinel; the pass may only write the first part.
          arena.alloc(scratch + 4096);
          const region = arena.f32(top, (scratch + 4096) / 4);
          region.fill(SENTINEL);
          arena.reset(top);
          const run = pass === "forward" ? kernels.conv2d_forward_f32 : kernels.conv2d_backward_filter_f32;
          expect(winogradRunsIn(() => expect(run(geom, px, pw, out)).toBe(Status.ok))).toBe(1);
          const past = arena.f32(top + scratch, 1024);
          expect(past.every((v) => v === SENTINEL), `${pass} ${JSON.stringify(g)} wrote past its scratch`).toBe(true);
        }
      });

      it("rejects negative output sizes", () => {
        arena.reset();
        const bad = { ...nchwConv([1, 8, 5, 5], [8, 8, 3, 3], same), oh: -3, ow: -3 };
        const geom = arena.putI32(encodeConv(bad));
        expect(kernels.conv2d_forward_f32(geom, 0, 0, 0)).toBe(Status.badGeometry);
        expect(kernels.conv2d_backward_filter_f32(geom, 0, 0, 0)).toBe(Status.badGeometry);
      });

      it("stays accurate on the example's 32→64 at 14×14, batch 32", () => {
        const g = nchwConv([32, 32, 14, 14], [64, 32, 3, 3], same);
        checkForward(g, ...inputs(g, 500));
      });
    });

    describe("conv2d filter gradient, Winograd F(2×2, 3×3)", () => {
      it("matches the float64 sums for odd sizes, every padding, and channels off the micro-tile", () => {
        let seed = 600;
        eachGeometry([[1, 1], [2, 3], [5, 4], [7, 7], [9, 13]], PADDINGS, [[16, 16], [17, 19], [24, 21]], (g) => checkFilter(g, ...gradientInputs(g, ++seed)));
      });

      it("accumulates over several blocks of tiles with a short last block, across images", () => {
        // 16→16: 128 tiles per block; 5 images of 7×7 tiles = 245 tiles = one block + 117.
        const g = nchwConv([5, 16, 13, 14], [16, 16, 3, 3], same);
        checkFilter(g, ...gradientInputs(g, 700));
        // 17→19 (channels off both panel widths): 112 tiles per block; 4 images of 5×7 tiles = 140 = one block + 28.
        const g2 = nchwConv([4, 17, 9, 13], [19, 17, 3, 3], same);
        const [x, dy] = gradientInputs(g2, 701);
        checkFilter(g2, x, dy);
        // A NaN in the last image's corner (the short last block, an edge tile) sends it to the direct pass.
        x[3 * 17 * 117 + 16 * 117 + 8 * 13 + 12] = NaN;
        checkFilter(g2, x, dy, false);
      });

      it("reads x and dy through strides (padded rows and planes, NHWC dy)", () => {
        const base = nchwConv([2, 16, 9, 11], [20, 16, 3, 3], same);
        const g: ConvGeometry = { ...base, xStrides: [3000, 150, 15, 1] };
        checkFilter(g, ...gradientInputs(g, 710));
        const ys = contiguousStrides([g.n, g.oh, g.ow, g.o]);
        const nhwc: ConvGeometry = { ...g, yStrides: [ys[0]!, ys[3]!, ys[1]!, ys[2]!] };
        checkFilter(nhwc, ...gradientInputs(nhwc, 711));
        const padded: ConvGeometry = { ...g, yStrides: [20 * 120 + 7, 120, 11, 1] };
        checkFilter(padded, ...gradientInputs(padded, 712));
      });

      it("gives the direct pass's NaN and ±Inf pattern, and falls back where a transform would overflow", () => {
        const g = nchwConv([2, 16, 6, 5], [16, 16, 3, 3], same);
        const [x, dy] = gradientInputs(g, 720);
        x[3 * 30 + 2 * 5 + 2] = NaN;
        x[(16 + 9) * 30 + 5 * 5 + 4] = Infinity;
        checkFilter(g, x, dy, false);
        const [x2, dy2] = gradientInputs(g, 721);
        // Inside the image: the direct pass multiplies padding zeros by dy (0·Inf = NaN) where the sums skip them.
        dy2[(16 + 4) * 30 + 2 * 5 + 2] = -Infinity;
        checkFilter(g, x2, dy2, false);
        // A 2×2 block of dy of ±3e38 overflows e00 + e10 (a Z entry); the sums over x·1e-3 stay finite.
        const [x3, dy3] = gradientInputs(g, 722);
        dy3[7 * 30 + 2 * 5 + 2] = 3e38;
        dy3[7 * 30 + 3 * 5 + 2] = 3e38;
        x3.forEach((_, i) => (x3[i] = x3[i]! * 1e-3));
        checkFilter(g, x3, dy3, false);
        expect(filterGradient(g, x3, dy3).every(Number.isFinite)).toBe(true);
      });

      it("computes any run of whole 4-filter panels alone, bit for bit, and declines other splits", () => {
        const g = nchwConv([2, 16, 7, 6], [18, 16, 3, 3], same);
        const [x, dy] = gradientInputs(g, 730);
        const whole = filterGradient(g, x, dy);
        for (const [o0, o1] of [[0, 8], [8, 18], [4, 12], [16, 18]]) {
          const part = runGuarded(g.o * g.c * 9, x, dy, (px, pdy, pdw) => kernels.conv2d_backward_filter_part_f32(arena.putI32(encodeConv(g)), px, pdy, pdw, o0!, o1!));
          for (let i = o0! * 144; i < o1! * 144; i++) if (!Object.is(part[i], whole[i])) expect.fail(`rows ${o0}..${o1}: dw[${i}] ${part[i]} vs ${whole[i]}`);
          // Rows outside the run are left alone (NaN from the prefill).
          expect(part.every((v, i) => (i >= o0! * 144 && i < o1! * 144) || Number.isNaN(v))).toBe(true);
        }
        arena.reset();
        const geom = arena.putI32(encodeConv(g));
        for (const [o0, o1] of [[2, 8], [0, 19], [8, 4], [-4, 4]]) expect(kernels.conv2d_backward_filter_part_f32(geom, 0, 0, 0, o0!, o1!)).toBe(Status.unsupported);
        const direct = arena.putI32(encodeConv(nchwConv([2, 8, 7, 6], [8, 8, 3, 3], same)));
        expect(kernels.conv2d_backward_filter_splits(direct, 4)).toBe(0);
        expect(kernels.conv2d_backward_filter_splits(geom, 4)).toBe(1);
        expect(kernels.conv2d_backward_filter_part_f32(direct, 0, 0, 0, 0, 8)).toBe(Status.unsupported);
      });

      it("is zero for an empty batch", () => {
        const g = nchwConv([0, 16, 5, 5], [16, 16, 3, 3], same);
        expect(Array.from(filterGradient(g, new Float32Array(0), new Float32Array(0))).every((v) => v === 0)).toBe(true);
      });
    });
  });
}
