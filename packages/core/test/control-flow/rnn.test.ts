/** Backpropagation through time: an RNN written with scan has the gradients of its unrolled JS loop. */
import { describe, expect, it } from "vitest";
import { grad, jit, np, scan, valueAndGrad, type NdArray } from "../../src/index.js";
import { assertAllclose, checkGrads, randomArray } from "../../src/testing/index.js";

type Params = { wh: NdArray; wx: NdArray; b: NdArray; wo: NdArray };
const HIDDEN = 8;
const STEPS = 50;
const INPUT = 3;

const params: Params = {
  wh: randomArray([HIDDEN, HIDDEN], 1, { lo: -0.4, hi: 0.4 }),
  wx: randomArray([HIDDEN, INPUT], 2),
  b: randomArray([HIDDEN], 3, { lo: -0.1, hi: 0.1 }),
  wo: randomArray([HIDDEN], 4),
};
const xs = randomArray([STEPS, INPUT], 5);
const targets = randomArray([STEPS], 6);

/** One tanh cell: h' = tanh(Wh h + Wx x + b). */
const cell = (p: Params, h: NdArray, x: NdArray) => np.tanh(np.matmul(p.wh, h).add(np.matmul(p.wx, x)).add(p.b));

/** Mean squared error of a linear readout at every step, with the recurrence as a scan. */
function lossScan(p: Params, h0: NdArray, xs: NdArray, ts: NdArray): NdArray {
  const [, outs] = scan((h: NdArray, x: NdArray) => {
    const h1 = cell(p, h, x);
    return [h1, np.dot(p.wo, h1)] as const;
  }, h0, xs);
  return outs.sub(ts).square().mean();
}

/** The same network unrolled by a JS loop. */
function lossUnrolled(p: Params, h0: NdArray, xs: NdArray, ts: NdArray): NdArray {
  let h = h0;
  const outs: NdArray[] = [];
  for (let t = 0; t < xs.shape[0]!; t++) {
    h = cell(p, h, np.take(xs, t, 0));
    outs.push(np.dot(p.wo, h));
  }
  return np.stack(outs).sub(ts).square().mean();
}

describe("RNN with scan (hidden 8, 50 steps)", () => {
  const h0 = np.zeros([HIDDEN], { dtype: "float64" });

  it("loss and gradients (parameters, initial state, inputs) equal the unrolled loop's", () => {
    const [l, g] = valueAndGrad(lossScan, { argnums: [0, 1, 2] })(params, h0, xs, targets) as [NdArray, [Params, NdArray, NdArray]];
    const [lu, gu] = valueAndGrad(lossUnrolled, { argnums: [0, 1, 2] })(params, h0, xs, targets) as [NdArray, [Params, NdArray, NdArray]];
    assertAllclose(l, lu, { rtol: 1e-12 });
    for (const k of ["wh", "wx", "b", "wo"] as const) assertAllclose(g[0][k], gu[0][k], { rtol: 1e-9, atol: 1e-12 }, `d loss / d ${k}`);
    assertAllclose(g[1], gu[1], { rtol: 1e-9, atol: 1e-12 }, "d loss / d h0");
    assertAllclose(g[2], gu[2], { rtol: 1e-9, atol: 1e-12 }, "d loss / d xs");
    expect(Math.abs(g[0].wh.toTypedArray()[0]!)).toBeGreaterThan(0);
  });

  it("jit of the gradient agrees, and finite differences confirm it", () => {
    const g = grad(lossScan)(params, h0, xs, targets) as Params;
    const gj = jit(grad(lossScan))(params, h0, xs, targets) as Params;
    for (const k of ["wh", "wx", "b", "wo"] as const) assertAllclose(gj[k], g[k], { rtol: 1e-10, atol: 1e-13 });
    const first10 = np.arange(0, 10, 1, { dtype: "int32" });
    const [xs10, ts10] = [np.take(xs, first10, 0), np.take(targets, first10, 0)];
    checkGrads((wh: NdArray) => lossScan({ ...params, wh }, h0, xs10, ts10), [params.wh], { order: 1, modes: ["rev"] });
  });
});
