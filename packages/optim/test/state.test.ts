import { describe, expect, it } from "vitest";
import { type NdArray, type PyTree, grad, jit, np, tree } from "@fluxion/core";
import { checkJit } from "@fluxion/core/testing";
import {
  adagrad,
  adam,
  adamw,
  addDecayedWeights,
  applyUpdates,
  chain,
  clip,
  clipByGlobalNorm,
  identity,
  momentum,
  nesterov,
  rmsprop,
  scale,
  sgd,
  warmupCosineDecay,
  type GradientTransformation,
} from "../src/index.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOpt = GradientTransformation<any>;

const cases: [string, AnyOpt][] = [
  ["sgd", sgd(0.1)],
  ["sgd + momentum + schedule", sgd(warmupCosineDecay(0, 0.1, 3, 10), { momentum: 0.9 })],
  ["momentum", momentum(0.1)],
  ["nesterov", nesterov(0.1)],
  ["adagrad", adagrad()],
  ["rmsprop", rmsprop(0.01, { momentum: 0.9 })],
  ["adam", adam()],
  ["adamw (masked)", adamw(1e-3, { mask: (p) => tree.map((x) => (x as NdArray).ndim > 1, p) })],
  ["clipByGlobalNorm → adam", chain(clipByGlobalNorm(1), adam())],
  ["clip, scale, decay, identity", chain(clip(0.5), scale(-0.1), addDecayedWeights(0.01), identity())],
];

// A two-layer parameter record with a float32 matrix, a float32 bias and a float64 scalar.
const params = () => ({ w: np.reshape(np.arange(6), [2, 3]).mul(0.1), b: np.array([0.1, -0.2, 0.3]), s: np.array(0.5, { dtype: "float64" }) });
type P = ReturnType<typeof params>;
const loss = (p: P) => np.add(np.sum(np.square(np.add(p.w, p.b))), np.square(p.s).astype("float32"));
const g = grad(loss) as (p: P) => P;

/** Structure and avals of a pytree, e.g. `{b: *, …} f32[3] …`. */
const signature = (t: PyTree) => `${tree.treedefToString(tree.structure(t))} ${tree.leaves(t).map((l) => (l as NdArray).aval.str()).join(" ")}`;

describe("optimiser state stays the same pytree", () => {
  for (const [name, opt] of cases) {
    it(`${name}: structure, shapes and dtypes are stable across updates`, () => {
      let p = params();
      let s = opt.init(p);
      const before = signature(s);
      for (let i = 0; i < 3; i++) {
        const [u, s2] = opt.update(g(p), s, p);
        expect(signature(u)).toBe(signature(p));
        expect(signature(s2)).toBe(before);
        s = s2;
        p = applyUpdates(p, u);
      }
      expect(tree.treedefEquals(tree.structure(s), tree.structure(opt.init(p)))).toBe(true);
    });
  }
});

describe("updates under jit", () => {
  for (const [name, opt] of cases) {
    it(`${name}: checkJit on an update step from a non-initial state`, () => {
      let p = params();
      let s = opt.init(p);
      for (let i = 0; i < 2; i++) {
        const [u, s2] = opt.update(g(p), s, p);
        [p, s] = [applyUpdates(p, u), s2];
      }
      // checkJit takes flat arrays: pass params and state leaves, rebuild the trees inside.
      const [pl, pdef] = tree.flatten(p);
      const [sl, sdef] = tree.flatten(s);
      const step = (...xs: NdArray[]) => {
        const pp = tree.unflatten<P>(pdef, xs.slice(0, pl.length));
        const ss = tree.unflatten(sdef, xs.slice(pl.length));
        const [u, s2] = opt.update(g(pp), ss, pp);
        return [applyUpdates(pp, u), s2];
      };
      checkJit(step, [...(pl as NdArray[]), ...(sl as NdArray[])], { rtol: 1e-6, atol: 1e-7 });
    });
  }

  it("a jitted training step compiles once: the state keeps its signature", () => {
    const opt = adam(1e-2);
    type S = ReturnType<typeof opt.init>;
    const step = jit((p: P, s: S): [P, S] => {
      const [u, s2] = opt.update(g(p), s, p);
      return [applyUpdates(p, u), s2];
    });
    let p = params();
    let s = opt.init(p);
    for (let i = 0; i < 5; i++) [p, s] = step(p, s);
    expect(step.cacheInfo()).toEqual({ hits: 4, misses: 1, size: 1 });
  });
});
