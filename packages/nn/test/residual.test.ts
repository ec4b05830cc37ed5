/** residual: identity and projection shortcuts, stateful blocks, gradients. */
import { describe, expect, test } from "vitest";
import { np, random } from "@fluxion/core";
import { assertAllclose, checkGrads, randomArray } from "@fluxion/core/testing";
import { batchNorm, conv2d, dense, flatten, fnLayer, relu, residual, serial } from "../src/index.js";

describe("residual", () => {
  test("y = block(x) + x; with a projection shortcut y = block(x) + shortcut(x)", () => {
    const block = serial(dense(4), relu, dense(4));
    const res = residual(block);
    const x = randomArray([3, 4], 1, { dtype: "float32" });
    const p = res.init(random.key(0), x.shape);
    assertAllclose(res.apply(p, x), np.add(block.apply(p.block, x), x), { rtol: 1e-6 });
    const proj = residual(dense(6), dense(6, { useBias: false }));
    const pp = proj.init(random.key(1), x.shape);
    assertAllclose(proj.apply(pp, x), np.add(dense(6).apply(pp.block, x), np.matmul(x, pp.shortcut.w)), { rtol: 1e-6 });
    expect(proj.outputShape([3, 4])).toEqual([3, 6]);
    expect(() => residual(dense(6)).outputShape([3, 4])).toThrow(/give a projection shortcut/);
  });

  test("a conv residual block (pre-activation order) inside a stack, and a stateful block", () => {
    const pre = residual(serial(batchNorm(), relu, conv2d(3, 3, { padding: "SAME" })));
    expect(pre.stateful).toBe(true);
    const x = randomArray([2, 3, 5, 5], 2, { dtype: "float32" });
    const p = pre.init(random.key(0), x.shape);
    const s = pre.initState(x.shape);
    const [y, s1] = pre.apply(p, s, x, { train: true });
    expect(y.shape).toEqual([2, 3, 5, 5]);
    expect(s1.block[0]!.mean.shape).toEqual([3]);
    expect(s1.shortcut).toBeNull();
    const net = serial(conv2d(3, 1), pre, flatten(), dense(2));
    const np_ = net.init(random.key(1), x.shape);
    const [out] = net.apply(np_, net.initState(x.shape), x);
    expect(out.shape).toEqual([2, 2]);
  });

  test("checkGrads on a residual block", () => {
    const res = residual(fnLayer((v) => np.tanh(v), "tanh"));
    const x = randomArray([2, 3], 1);
    checkGrads((v: typeof x) => res.apply({ block: {}, shortcut: {} }, v), [x], { order: 2 });
  });
});
