import { flow, pipe } from "fp-ts/function";
import { describe, expect, it } from "vitest";
import { grad, jit, makeJaxpr, np, vmap, type NdArray } from "../../src/index.js";
import { assertAllclose } from "../../src/testing/index.js";

describe("makeJaxpr", () => {
  it("prints JAX-style text with inlined scalar literals", () => {
    const txt = makeJaxpr((x: NdArray) => np.sum(np.sin(x).mul(2)))(np.zeros([3])).toString();
    expect(txt).toBe(
      [
        "{ lambda ; a:f32[3]. let",
        "    b:f32[3] = sin a",
        "    c:f32[3] = broadcast_in_dim[shape=(3,) broadcastDimensions=()] 2.0",
        "    d:f32[3] = mul b c",
        "    e:f32[] = reduce_sum[axes=(0,)] d",
        "  in (e) }",
      ].join("\n"),
    );
  });

  it("stages the derivative program and reports avals", () => {
    const traced = makeJaxpr(grad((x: NdArray) => np.sum(x.mul(x))))(np.zeros([2, 2]));
    expect(traced.outAvals.map((a) => a.str())).toEqual(["f32[2,2]"]);
    expect(traced.inAvals.map((a) => a.str())).toEqual(["f32[2,2]"]);
    expect(traced.toString()).toContain("mul");
  });

  it("closed-over arrays become constants", () => {
    const w = np.array([[1, 2], [3, 4]]);
    const traced = makeJaxpr((x: NdArray) => np.matmul(w, x))(np.zeros([2]));
    expect(traced.consts).toHaveLength(1);
    expect(traced.toString()).toMatch(/^\{ lambda a:f32\[2,2\]; b:f32\[2\]\. let/);
  });
});

describe("transformations are plain functions and compose with fp-ts", () => {
  it("pipe(f, grad, vmap, jit)", () => {
    const f = (x: NdArray) => np.sum(np.tanh(x).mul(x));
    const perRow = pipe(f, grad, vmap, jit);
    const xs = np.array([[0.5, -1], [2, 0.25]], { dtype: "float64" });
    const rows = [0, 1].map((i) => grad(f)(np.slice(xs, i)) as NdArray);
    assertAllclose(perRow(xs), np.stack(rows), { rtol: 1e-12 });
    const second = flow(grad, grad)((t: NdArray) => np.sin(t));
    expect(second(np.array(0.3, { dtype: "float64" })).item()).toBeCloseTo(-Math.sin(0.3), 12);
  });
});
