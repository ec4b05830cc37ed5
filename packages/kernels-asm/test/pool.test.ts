/** Max and average pooling, forward and backward, against direct loops (padding, strides, overlaps, ties, NaN). */
import { describe, expect, it } from "vitest";
import { type PoolGeometry, encodePool, pool2d } from "../src/index.js";
import { arena, expectClose, kernels, rng, uniformF32, uniformF64 } from "./_kernels.js";

/** For each window (row-major), the flat input indices of its in-bounds taps. */
function windows(g: PoolGeometry): number[][] {
  const out: number[][] = [];
  for (let b = 0; b < g.b; b++) for (let oh = 0; oh < g.oh; oh++) for (let ow = 0; ow < g.ow; ow++) {
    const taps: number[] = [];
    for (let kh = 0; kh < g.kh; kh++) for (let kw = 0; kw < g.kw; kw++) {
      const ih = oh * g.strideH - g.padH + kh, iw = ow * g.strideW - g.padW + kw;
      if (ih >= 0 && ih < g.h && iw >= 0 && iw < g.w) taps.push((b * g.h + ih) * g.w + iw);
    }
    out.push(taps);
  }
  return out;
}

/** The first maximal tap (the first NaN wins), or −1. */
function selected(x: ArrayLike<number>, taps: number[]): number {
  let best = -1;
  for (const t of taps) {
    if (best < 0 || (!Number.isNaN(x[best]!) && (Number.isNaN(x[t]!) || x[t]! > x[best]!))) best = t;
  }
  return best;
}

function check(g: PoolGeometry, dtype: "f32" | "f64", seed: number): void {
  arena.reset();
  const nx = g.b * g.h * g.w, ny = g.b * g.oh * g.ow;
  const x = dtype === "f32" ? uniformF32(nx, seed) : uniformF64(nx, seed);
  for (let i = 0; i < nx; i++) x[i] = Math.round(x[i]! * 3) / 3; // many ties
  if (nx > 6) x[5] = NaN;
  const dy = dtype === "f32" ? uniformF32(ny, seed + 1) : uniformF64(ny, seed + 1);
  const ws = windows(g);
  const maxY = ws.map((t) => (t.length ? x[selected(x, t)]! : -Infinity));
  const avgY = ws.map((t) => t.reduce((a, i) => a + x[i]!, 0) / (g.kh * g.kw));
  const maxDx = new Float64Array(nx), avgDx = new Float64Array(nx);
  ws.forEach((t, w) => {
    const s = selected(x, t);
    if (s >= 0) maxDx[s] = maxDx[s]! + dy[w]!;
    for (const i of t) avgDx[i] = avgDx[i]! + dy[w]! / (g.kh * g.kw);
  });
  const geom = arena.putI32(encodePool(g));
  const px = arena.put(x), pdy = arena.put(dy);
  const sz = x.BYTES_PER_ELEMENT;
  const py = arena.alloc(ny * sz), pdx = arena.alloc(nx * sz);
  const read = (p: number, n: number) => (dtype === "f32" ? arena.f32(p, n) : arena.f64(p, n));
  const tol = { rel: dtype === "f32" ? 5e-7 : 1e-15, abs: dtype === "f32" ? 1e-6 : 1e-15 };
  (dtype === "f32" ? kernels.maxpool2d_f32 : kernels.maxpool2d_f64)(geom, px, py);
  expectClose(read(py, ny), maxY, {}, "max forward");
  (dtype === "f32" ? kernels.maxpool2d_backward_f32 : kernels.maxpool2d_backward_f64)(geom, px, pdy, pdx);
  expectClose(read(pdx, nx), Array.from(maxDx), tol, "max backward");
  (dtype === "f32" ? kernels.avgpool2d_f32 : kernels.avgpool2d_f64)(geom, px, py);
  expectClose(read(py, ny), avgY, tol, "avg forward");
  (dtype === "f32" ? kernels.avgpool2d_backward_f32 : kernels.avgpool2d_backward_f64)(geom, pdy, pdx);
  expectClose(read(pdx, nx), Array.from(avgDx), tol, "avg backward");
}

/** True when a and b are the same value bit for bit up to NaN payloads (so +0 and −0 differ). */
const identical = (a: number, b: number): boolean => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));

/** Expect `got` to equal `want` exactly, telling +0 from −0; reports the first difference. */
function expectIdentical(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, `${what} length`).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    if (!identical(got[i]!, want[i]!)) expect.fail(`${what}[${i}]: got ${Object.is(got[i], -0) ? "-0" : got[i]}, expected ${Object.is(want[i], -0) ? "-0" : want[i]}`);
  }
}

/** Values that make ties (including +0 against −0) and ±∞; NaN is mixed in at a chosen rate. */
const TRICKY = [0, -0, 1, 1, 1, -1, 2, 2, 0.5, Infinity, -Infinity];

/**
 * Max pooling forward and backward of `g` against the direct loops, bit for bit: values drawn from
 * TRICKY with NaN at `nanRate`, dy with −0s (0 + −0 is +0, as accumulation gives), and dx/y
 * poisoned beforehand so that an element the kernel fails to write shows.
 */
function checkMaxExact(g: PoolGeometry, dtype: "f32" | "f64", seed: number, nanRate = 0.02): void {
  arena.reset();
  const r = rng(seed);
  const nx = g.b * g.h * g.w, ny = g.b * g.oh * g.ow;
  const xs = Array.from({ length: nx }, () => (r() < nanRate ? NaN : TRICKY[Math.floor(r() * TRICKY.length)]!));
  const dys = Array.from({ length: ny }, (_, i) => (i % 7 === 3 ? -0 : Math.round((r() - 0.5) * 64) / 8 + r() * 1e-3));
  const [x, dy] = dtype === "f32" ? [Float32Array.from(xs), Float32Array.from(dys)] : [Float64Array.from(xs), Float64Array.from(dys)];
  const round = dtype === "f32" ? Math.fround : (v: number) => v;
  const ws = windows(g);
  const wantY = ws.map((t) => (t.length ? x[selected(x, t)]! : -Infinity));
  const wantDx = new Array<number>(nx).fill(0);
  ws.forEach((t, w) => {
    const s = selected(x, t);
    if (s >= 0) wantDx[s] = round(wantDx[s]! + dy[w]!);
  });
  const sz = x.BYTES_PER_ELEMENT;
  const geom = arena.putI32(encodePool(g));
  const px = arena.put(x), pdy = arena.put(dy), py = arena.alloc(ny * sz), pdx = arena.alloc(nx * sz);
  const view = (p: number, n: number) => (dtype === "f32" ? arena.f32(p, n) : arena.f64(p, n));
  view(py, ny).fill(12345);
  view(pdx, nx).fill(-777);
  (dtype === "f32" ? kernels.maxpool2d_f32 : kernels.maxpool2d_f64)(geom, px, py);
  const label = `${dtype} ${g.b}×${g.h}×${g.w} window ${g.kh}×${g.kw} stride ${g.strideH},${g.strideW} pad ${g.padH},${g.padW} → ${g.oh}×${g.ow}`;
  expectIdentical(view(py, ny), wantY, `max forward ${label}`);
  (dtype === "f32" ? kernels.maxpool2d_backward_f32 : kernels.maxpool2d_backward_f64)(geom, px, pdy, pdx);
  expectIdentical(view(pdx, nx), wantDx, `max backward ${label}`);
}

describe("pooling", () => {
  it("matches the direct loops over windows, strides and paddings (f32 and f64)", () => {
    let seed = 0;
    for (const [b, h, w] of [[1, 1, 1], [2, 5, 7], [3, 8, 8], [1, 13, 4]] as const) {
      for (const [kh, kw] of [[1, 1], [2, 2], [3, 2], [3, 3]] as const) {
        for (const stride of [[1, 1], [2, 2], [2, 3]] as const) {
          for (const pad of [[[0, 0], [0, 0]], [[1, 1], [1, 0]], [[2, 2], [2, 2]]] as const) {
            const g = pool2d([b, h, w], [kh, kw], stride, pad);
            if (g.oh <= 0 || g.ow <= 0) continue;
            check(g, "f32", ++seed);
            check(g, "f64", ++seed);
          }
        }
      }
    }
  });

  it("2×2 / stride 2 (SIMD) is the scalar rule bit for bit: ties, ±0, NaN, odd sizes, padding", () => {
    let seed = 1000;
    for (const dtype of ["f32", "f64"] as const) {
      for (const h of [1, 2, 3, 4, 7, 8, 9]) {
        for (const w of [2, 3, 4, 5, 7, 8, 9, 10, 11, 14, 15, 17, 28, 29]) {
          for (const pad of [[[0, 0], [0, 0]], [[0, 1], [0, 1]], [[1, 0], [1, 1]], [[1, 1], [2, 1]], [[3, 3], [3, 0]]] as const) {
            const g = pool2d([3, h, w], [2, 2], [2, 2], pad);
            if (g.oh <= 0 || g.ow <= 0) continue;
            checkMaxExact(g, dtype, ++seed);
          }
        }
      }
    }
  });

  it("2×2 / stride 2 at the CNN sizes (28→14 and 14→7), with NaN-free, NaN-heavy and all-NaN data", () => {
    let seed = 2000;
    for (const dtype of ["f32", "f64"] as const) {
      for (const [b, hw] of [[40, 28], [70, 14], [5, 27]] as const) {
        for (const nanRate of [0, 0.02, 0.5, 1]) checkMaxExact(pool2d([b, hw, hw], [2, 2]), dtype, ++seed, nanRate);
      }
    }
  });

  it("other windows and strides (SIMD across windows) are the scalar rule bit for bit, overlapping sums in window order", () => {
    let seed = 3000;
    const geoms: [[number, number], [number, number], [[number, number], [number, number]]][] = [
      [[3, 3], [2, 2], [[1, 1], [1, 1]]], // ResNet-style overlapping, padded
      [[3, 3], [1, 1], [[1, 1], [1, 1]]], // SAME, stride 1 (contiguous loads)
      [[3, 3], [3, 3], [[0, 0], [0, 0]]], // disjoint, stride = window
      [[2, 3], [1, 2], [[0, 1], [2, 0]]],
      [[1, 1], [1, 1], [[0, 0], [0, 0]]],
      [[2, 2], [1, 1], [[0, 0], [0, 0]]],
      [[2, 2], [2, 1], [[0, 0], [0, 0]]],
      [[1, 2], [1, 2], [[0, 0], [0, 0]]],
      [[4, 4], [3, 3], [[1, 2], [2, 1]]],
    ];
    for (const dtype of ["f32", "f64"] as const) {
      for (const [k, stride, pad] of geoms) {
        for (const [h, w] of [[5, 5], [7, 9], [9, 16], [6, 23], [12, 30]] as const) {
          const g = pool2d([2, h, w], k, stride, pad);
          if (g.oh <= 0 || g.ow <= 0) continue;
          checkMaxExact(g, dtype, ++seed);
        }
      }
    }
  });

  it("is right at the example size: 2×2 max pooling of 64×32×28×28", () => {
    check(pool2d([64 * 32, 28, 28], [2, 2]), "f32", 99);
  });

  it("a window of padding only gives −∞ (max) and 0 (average), and no gradient", () => {
    arena.reset();
    const g = pool2d([1, 2, 2], [2, 2], [1, 1], [[3, 0], [0, 0]]);
    const geom = arena.putI32(encodePool(g));
    const px = arena.put(new Float32Array([1, 2, 3, 4])), py = arena.alloc(g.oh * g.ow * 4);
    kernels.maxpool2d_f32(geom, px, py);
    expect(arena.f32(py, g.oh * g.ow)[0]).toBe(-Infinity);
    kernels.avgpool2d_f32(geom, px, py);
    expect(arena.f32(py, g.oh * g.ow)[0]).toBe(0);
  });
});
