import { test } from "vitest";
import { lax, np, vjp } from "../src/index.js";
import { randomArray } from "../src/testing/index.js";
import type { NdArray } from "../src/index.js";
test("perf", () => {
  const x = randomArray([32, 1, 28, 28], 1, { dtype: "float32" });
  const w = randomArray([32, 1, 3, 3], 2, { dtype: "float32" });
  const w2 = randomArray([64, 32, 3, 3], 3, { dtype: "float32" });
  const f = (a: NdArray, b: NdArray) => lax.convGeneralDilated(a, b, [1, 1], [[0, 0], [0, 0]]);
  for (let r = 0; r < 3; r++) {
    let t = performance.now();
    const y = f(x, w);
    const t1 = performance.now() - t;
    t = performance.now();
    const [, pull] = vjp(f, x, w);
    const ct = np.onesLike(y);
    t = performance.now();
    const [gx, gw] = pull(ct) as NdArray[];
    const t2 = performance.now() - t;
    t = performance.now();
    const y2 = f(y, w2);
    const t3 = performance.now() - t;
    const [, pull2] = vjp(f, y, w2);
    t = performance.now();
    pull2(np.onesLike(y2));
    const t4 = performance.now() - t;
    t = performance.now();
    const p = lax.reduceWindow(y2, "max", [1,1,2,2],[1,1,2,2],[[0,0],[0,0],[0,0],[0,0]]);
    const t5 = performance.now() - t;
    const [, pull3] = vjp((a: NdArray) => lax.reduceWindow(a, "max", [1,1,2,2],[1,1,2,2],[[0,0],[0,0],[0,0],[0,0]]), y2);
    t = performance.now();
    pull3(np.onesLike(p));
    const t6 = performance.now() - t;
    console.log(`conv1 fwd ${t1.toFixed(1)}ms bwd(both) ${t2.toFixed(1)}ms | conv2 32->64 fwd ${t3.toFixed(1)}ms bwd ${t4.toFixed(1)}ms | maxpool fwd ${t5.toFixed(1)} bwd ${t6.toFixed(1)}`, gx!.shape, gw!.shape);
  }
});
