import { describe, expect, it } from "vitest";
import { grad, jvp, makeJaxpr, np, vmap, hessian, jacfwd, jacrev, vjp, linearize } from "../src/index.js";

describe("smoke", () => {
  it("basics", () => {
    const x = np.array([1, 2, 3]);
    expect(x.add(1).mul(2).toArray()).toEqual([4, 6, 8]);
    const f = (x: any) => np.sum(np.sin(x).mul(x));
    const g = grad(f)(x);
    console.log(g.toString());
    const [y, t] = jvp(f, [x], [np.ones([3])]);
    console.log(y.toString(), t.toString());
    console.log(makeJaxpr(f)(x).toString());
    console.log(vmap((v: any) => np.sum(v.mul(v)))(np.array([[1, 2], [3, 4]])).toString());
    console.log(grad(grad((x: any) => np.sin(x).mul(x).sum()))(np.array(1.0)).toString());
    console.log(hessian((x: any) => np.sum(x.mul(x).mul(x)))(x).toString());
    console.log(jacfwd((x: any) => np.sin(x))(x).toString());
    console.log(jacrev((x: any) => np.sin(x))(x).toString());
    const [o, fl] = linearize((x: any) => np.sin(x), x);
    console.log(o.toString(), fl(np.ones([3])).toString());
    console.log(vmap(grad(f))(np.array([[1, 2, 3], [4, 5, 6]])).toString());
  });
});
