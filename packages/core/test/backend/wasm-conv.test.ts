import { describe, expect, it } from "vitest";
import { type NdArray, lax, np, vjp } from "../../src/index.js";
import { wasmAgainstReference } from "./wasm-vs-reference.js";
import type { ConvOptions } from "../../src/np/conv.js";
import { assertAllclose, randomArray } from "../../src/testing/index.js";

// The wasm conv glue's filter-gradient route (the rhs transpose of a conv, and batch-grouped convs,
// run on the module's direct filter-gradient pass) against the reference backend, with both
// gradients of a conv on strides, dilations, padding, layouts, groups and both float widths.
// minWork 0 forces the wasm kernels even for tiny problems.
const both = wasmAgainstReference();

type Case = { name: string; x: number[]; w: number[]; opts: ConvOptions; dtype?: "float32" | "float64" };

const cases: Case[] = [
  { name: "3×3 SAME (the CNN's shape, small)", x: [5, 3, 9, 9], w: [8, 3, 3, 3], opts: { padding: "SAME" } },
  { name: "odd sizes, out-channels not a multiple of 8", x: [3, 5, 7, 11], w: [7, 5, 3, 2], opts: { padding: "SAME" } },
  { name: "stride 2 (kernel stride of the filter gradient)", x: [2, 3, 9, 8], w: [6, 3, 3, 3], opts: { strides: [2, 2], padding: "SAME" } },
  { name: "strides 2×3, VALID", x: [2, 4, 11, 13], w: [9, 4, 3, 2], opts: { strides: [2, 3] } },
  { name: "rhs dilation (kernel dilation of the filter gradient)", x: [2, 3, 10, 9], w: [4, 3, 3, 2], opts: { rhsDilation: [2, 3], padding: "SAME" } },
  { name: "asymmetric padding", x: [2, 2, 6, 7], w: [5, 2, 3, 3], opts: { padding: [[2, 0], [0, 1]] } },
  { name: "NHWC / HWIO", x: [3, 6, 5, 4], w: [3, 3, 4, 10], opts: { padding: "SAME", layout: ["NHWC", "HWIO", "NHWC"] } },
  { name: "feature groups (batch-grouped filter gradient)", x: [3, 4, 7, 7], w: [6, 2, 3, 3], opts: { padding: "SAME", featureGroupCount: 2 } },
  { name: "depthwise", x: [2, 3, 8, 6], w: [6, 1, 3, 3], opts: { padding: "SAME", featureGroupCount: 3 } },
  { name: "large image (banded blocks), 1 channel", x: [2, 1, 30, 40], w: [9, 1, 3, 3], opts: { padding: "SAME" } },
  { name: "many small images (several per block, a short last block)", x: [45, 2, 5, 5], w: [3, 2, 3, 3], opts: { padding: "SAME" } },
  { name: "float64", x: [3, 3, 7, 6], w: [5, 3, 3, 3], opts: { padding: "SAME" }, dtype: "float64" },
  { name: "float64 groups and strides", x: [2, 4, 9, 9], w: [6, 2, 2, 3], opts: { strides: [2, 1], featureGroupCount: 2 }, dtype: "float64" },
];

describe("wasm conv gradients (filter-gradient route)", () => {
  for (const c of cases) {
    it(c.name, () => {
      const dtype = c.dtype ?? "float32";
      const tol = dtype === "float32" ? { rtol: 1e-4, atol: 1e-4 } : { rtol: 1e-11, atol: 1e-11 };
      const x = randomArray(c.x, 1, { dtype });
      const w = randomArray(c.w, 2, { dtype });
      const [got, want] = both(() => {
        const [y, back] = vjp((a: NdArray, b: NdArray) => np.conv(a, b, c.opts), x, w);
        return [y, ...back(randomArray(y.shape, 3, { dtype }))] as NdArray[];
      });
      ["forward", "input gradient", "filter gradient"].forEach((what, i) => assertAllclose(got[i]!, want[i]!, tol, `${c.name}: ${what}`));
    });
  }

  it("runs convs whose output window is smaller than the kernel, and batch-grouped convs, as filter gradients", () => {
    const x = randomArray([4, 3, 6, 6], 4, { dtype: "float32" });
    const w = randomArray([6, 3, 5, 4], 5, { dtype: "float32" });
    const tol = { rtol: 1e-4, atol: 1e-4 };
    const [g1, w1] = both(() => lax.convGeneralDilated(x, w, [1, 1], [[1, 0], [0, 0]]));
    expect(g1.shape).toEqual([4, 6, 3, 3]);
    assertAllclose(g1, w1, tol, "small output window");
    const wb = randomArray([6, 3, 2, 2], 6, { dtype: "float32" });
    const [g2, w2] = both(() => lax.convGeneralDilated(x, wb, [1, 2], [[1, 1], [0, 1]], { batchGroupCount: 2 }));
    expect(g2.shape).toEqual([2, 6, 7, 3]);
    assertAllclose(g2, w2, tol, "batch groups");
    // Batch- and feature-swapped dimension numbers with a non-default output layout, as the rhs transpose of an NHWC conv makes.
    const dn = { lhs: [3, 0, 1, 2], rhs: [3, 0, 1, 2], out: [2, 3, 0, 1] };
    const xs = randomArray([3, 8, 8, 5], 7, { dtype: "float32" });
    const dy = randomArray([3, 8, 8, 4], 8, { dtype: "float32" });
    const [g3, w3] = both(() => lax.convGeneralDilated(xs, dy, [1, 1], [[1, 1], [1, 1]], { dimensionNumbers: dn }));
    expect(g3.shape).toEqual([3, 3, 5, 4]);
    assertAllclose(g3, w3, tol, "swapped dimension numbers");
  });
});
