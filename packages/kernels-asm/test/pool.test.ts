/** Max and average pooling, forward and backward, against direct loops (padding, strides, overlaps, ties, NaN). */
import { describe, expect, it } from "vitest";
import { type PoolGeometry, encodePool, pool2d } from "../src/index.js";
import { arena, expectClose, kernels, uniformF32, uniformF64 } from "./_kernels.js";

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
