/**
 * The quick-start demo: fit a line with `grad`, compute per-example gradients with `vmap(grad)`,
 * a Hessian-vector product with `jvp(grad)`, and print the jaxpr of the loss.
 */
import { grad, hessian, jvp, makeJaxpr, np, vmap, type NdArray } from "@fluxion/core";

type Params = { w: NdArray; b: NdArray };

// Data: y = 3x − 1 plus a deterministic wiggle (no Math.random: randomness is explicit in Fluxion).
const xs = np.linspace(-1, 1, 64);
const ys = xs.mul(3).sub(1).add(np.sin(xs.mul(40)).mul(0.05));

const predict = (p: Params, x: NdArray) => p.w.mul(x).add(p.b);
const loss = (p: Params, x: NdArray, y: NdArray) => np.mean(np.square(predict(p, x).sub(y)));

let params: Params = { w: np.array(0), b: np.array(0) };
const lossGrad = grad(loss);
for (let step = 0; step < 200; step++) {
  const g = lossGrad(params, xs, ys) as Params;
  params = { w: params.w.sub(g.w.mul(0.5)), b: params.b.sub(g.b.mul(0.5)) };
}
console.log(`fitted w=${(params.w.item() as number).toFixed(4)} b=${(params.b.item() as number).toFixed(4)} loss=${(loss(params, xs, ys).item() as number).toExponential(3)}`);

// Per-example gradients: vmap over the data axis of grad of the single-example loss.
const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] })(params, xs.reshape([64, 1]), ys.reshape([64, 1])) as Params;
console.log(`per-example dL/dw: shape ${JSON.stringify(perExample.w.shape)}, first three ${Array.from(perExample.w.toTypedArray().slice(0, 3), (v) => v.toFixed(4)).join(", ")}`);

// Hessian-vector product by forward-over-reverse, checked against the full Hessian.
const f = (x: NdArray) => np.sum(np.sin(x).mul(x));
const x0 = np.array([0.5, 1.0, 1.5]);
const v = np.array([1, 0, -1]);
const [, hvp] = jvp(grad(f), [x0], [v]);
console.log(`HVP  ${hvp.toString()}`);
console.log(`H·v  ${np.matmul(hessian(f)(x0), v).toString()}`);

console.log("jaxpr of the loss:");
console.log(makeJaxpr(loss)(params, xs, ys).toString());
