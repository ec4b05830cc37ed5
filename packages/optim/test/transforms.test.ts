import { describe, expect, it } from "vitest";
import { type NdArray, type PyTree, np, tree } from "@fluxion/core";
import { assertAllclose } from "@fluxion/core/testing";
import {
  adagrad,
  addDecayedWeights,
  applyUpdates,
  chain,
  clip,
  clipByGlobalNorm,
  globalNorm,
  identity,
  scale,
  scaleByAdagrad,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  sgd,
  trace,
  type GradientTransformation,
} from "../src/index.js";
import { f64 } from "./_util.js";

// Seed 002's suggested gradient sequence (SEEDS T2-19).
const G = [[1, -2], [0.5, 0.5], [-1, 1]];

/** Feed the gradient sequence through `t` and collect the updates. */
function run<S extends PyTree>(t: GradientTransformation<S>, grads: number[][], params = f64([0.5, -1.5])): NdArray[] {
  let s = t.init(params);
  return grads.map((g) => {
    const [u, s2] = t.update(f64(g), s, params);
    s = s2;
    return u;
  });
}

describe("scale and scaleByLearningRate", () => {
  it("scale multiplies; the learning rate negates (or not with flipSign: false)", () => {
    assertAllclose(run(scale(3), [[1, -2]])[0]!, [3, -6]);
    assertAllclose(run(scaleByLearningRate(0.1), [[1, -2]])[0]!, [-0.1, 0.2]);
    assertAllclose(run(scaleByLearningRate(0.1, { flipSign: false }), [[1, -2]])[0]!, [0.1, -0.2]);
  });

  it("a schedule is evaluated at the number of previous updates, counted in an int32 state", () => {
    const t = scaleByLearningRate((count) => np.divide(1, np.add(count, 1)));
    const us = run(t, G);
    assertAllclose(us[0]!, [-1, 2]);
    assertAllclose(us[1]!, [-0.25, -0.25]);
    assertAllclose(us[2]!, [1 / 3, -1 / 3], { rtol: 1e-6 });
    let s = t.init(f64([0, 0]));
    expect((s as { count: NdArray }).count.dtype).toBe("int32");
    for (let i = 0; i < 3; i++) s = t.update(f64([1, 1]), s)[1];
    expect((s as { count: NdArray }).count.item()).toBe(3);
  });
});

describe("trace (momentum)", () => {
  it("v ← βv + g and outputs v; Nesterov outputs g + βv", () => {
    const beta = 0.9;
    let v = [0, 0];
    const plain = run(trace(beta), G);
    const nest = run(trace(beta, { nesterov: true }), G);
    G.forEach((g, k) => {
      v = v.map((vi, i) => beta * vi + g[i]!);
      assertAllclose(plain[k]!, v, { rtol: 1e-12 });
      assertAllclose(nest[k]!, g.map((gi, i) => gi + beta * v[i]!), { rtol: 1e-12 });
    });
  });

  it("reaches every seed's momentum form through options", () => {
    const eta = 0.1;
    const a = 0.5;
    // Seed 000 (6.6): θ_{k+1} = θ_k + α(θ_k − θ_{k−1}) + (1 − α)(−η g_k), α = ½.
    let prev = [0.5, -1.5];
    let cur = [0.5, -1.5];
    let p = f64(cur);
    const opt = sgd(eta, { momentum: a, dampening: a });
    let s = opt.init(p);
    for (const g of G) {
      const next = cur.map((c, i) => c + a * (c - prev[i]!) + (1 - a) * (-eta * g[i]!));
      [prev, cur] = [cur, next];
      const [u, s2] = opt.update(f64(g), s, p);
      s = s2;
      p = applyUpdates(p, u);
      assertAllclose(p, cur, { rtol: 1e-12 });
    }
    // Seed 002 (65–66): v ← αv − εg, θ ← θ + v is the default (undampened) trace.
    let vel = [0, 0];
    const classic = run(sgd(eta, { momentum: 0.9 }), G);
    G.forEach((g, k) => {
      vel = vel.map((vi, i) => 0.9 * vi - eta * g[i]!);
      assertAllclose(classic[k]!, vel, { rtol: 1e-12 });
    });
    // Seed 001 (646): m ← βm + (1 − β)g, θ ← θ − αm (EMA form) is dampening = β.
    let m = [0, 0];
    const ema = run(sgd(eta, { momentum: 0.9, dampening: 0.9 }), G);
    G.forEach((g, k) => {
      m = m.map((mi, i) => 0.9 * mi + 0.1 * g[i]!);
      assertAllclose(ema[k]!, m.map((mi) => -eta * mi), { rtol: 1e-12 });
    });
  });
});

describe("Nesterov's look-ahead forms (seeds 001 and 002) are the Nesterov option in the shifted variable φ", () => {
  // Both seeds evaluate the gradient at a look-ahead point; Optax's form evaluates it at the current
  // parameters φ, which equal the seeds' look-ahead point. Checked on a quadratic with real gradients.
  const gradQ = (t: number[]) => [t[0]! - 1, 10 * (t[1]! + 2)];
  const runOptax = <S extends PyTree>(opt: GradientTransformation<S>, steps: number) => {
    let p = f64([0.5, -1.5]);
    let s = opt.init(p);
    const out: NdArray[] = [];
    for (let k = 0; k < steps; k++) {
      const [u, s2] = opt.update(f64(gradQ(p.toArray() as number[])), s, p);
      [p, s] = [applyUpdates(p, u), s2];
      out.push(p);
    }
    return out;
  };

  it("seed 002 (67–69): v ← αv − ε∇f(θ + αv), θ ← θ + v; φ = θ + αv follows sgd(ε, { momentum: α, nesterov: true })", () => {
    const [a, eps] = [0.9, 0.05];
    let theta = [0.5, -1.5];
    let v = [0, 0];
    const ours = runOptax(sgd(eps, { momentum: a, nesterov: true }), 5);
    for (let k = 0; k < 5; k++) {
      const g = gradQ(theta.map((t, i) => t + a * v[i]!));
      v = v.map((vi, i) => a * vi - eps * g[i]!);
      theta = theta.map((t, i) => t + v[i]!);
      assertAllclose(ours[k]!, theta.map((t, i) => t + a * v[i]!), { rtol: 1e-12 });
    }
  });

  it("seed 001 (658–665): m ← βm + (1 − β)∇f(θ − αβm), θ ← θ − αm; φ = θ − αβm follows the dampened Nesterov option", () => {
    const [b, alpha] = [0.9, 0.05];
    let theta = [0.5, -1.5];
    let m = [0, 0];
    const ours = runOptax(sgd(alpha, { momentum: b, dampening: b, nesterov: true }), 5);
    for (let k = 0; k < 5; k++) {
      const g = gradQ(theta.map((t, i) => t - alpha * b * m[i]!));
      m = m.map((mi, i) => b * mi + (1 - b) * g[i]!);
      theta = theta.map((t, i) => t - alpha * m[i]!);
      assertAllclose(ours[k]!, theta.map((t, i) => t - alpha * b * m[i]!), { rtol: 1e-12 });
    }
  });
});

describe("scaleByRms (RMSProp)", () => {
  it("v ← ρv + (1 − ρ)g², output g / (√v + ε)", () => {
    const us = run(scaleByRms({ decay: 0.9, eps: 1e-8 }), G);
    let v = [0, 0];
    G.forEach((g, k) => {
      v = v.map((vi, i) => 0.9 * vi + 0.1 * g[i]! ** 2);
      assertAllclose(us[k]!, g.map((gi, i) => gi / (Math.sqrt(v[i]!) + 1e-8)), { rtol: 1e-12 });
    });
    // First step by hand: v = 0.1 g², so g/√v = sign(g)·√10.
    assertAllclose(us[0]!, [Math.sqrt(10), -Math.sqrt(10)], { rtol: 1e-7 });
  });

  it("seed 004's ε inside the root: g / √(v + ε), and v after t constant steps is (1 − ρᵗ)g²", () => {
    const eps = 1e-10;
    const us = run(scaleByRms({ decay: 0.9, eps: 0, epsRoot: eps }), G);
    let v = [0, 0];
    G.forEach((g, k) => {
      v = v.map((vi, i) => 0.9 * vi + 0.1 * g[i]! ** 2);
      assertAllclose(us[k]!, g.map((gi, i) => gi / Math.sqrt(v[i]! + eps)), { rtol: 1e-12 });
    });
    const t = scaleByRms();
    let s = t.init(f64([0]));
    for (let i = 0; i < 5; i++) s = t.update(f64([3]), s)[1];
    assertAllclose(s.nu as NdArray, [(1 - 0.9 ** 5) * 9], { rtol: 1e-12 });
  });
});

describe("scaleByAdagrad", () => {
  it("r ← r + g², output g / (√r + ε) with ε = 1e-10 and r₀ = 0 by default", () => {
    const us = run(scaleByAdagrad(), G);
    let r = [0, 0];
    G.forEach((g, k) => {
      r = r.map((ri, i) => ri + g[i]! ** 2);
      assertAllclose(us[k]!, g.map((gi, i) => gi / (Math.sqrt(r[i]!) + 1e-10)), { rtol: 1e-12 });
    });
  });

  it("the adagrad alias defaults to η = 0.01 (seed 000) and ε = 1e-10 (seed 004)", () => {
    assertAllclose(run(adagrad(), [[1, -2]])[0]!, [-0.01 / (1 + 1e-10), 0.01 * 2 / (2 + 1e-10)], { rtol: 1e-12 });
  });

  it("seed 000 (6.16), two steps: θ ← θ − η g / √(Σg² + ε) with η = 0.01", () => {
    const t = chain(scaleByAdagrad({ eps: 0, epsRoot: 1e-10 }), scaleByLearningRate(0.01));
    const us = run(t, G.slice(0, 2));
    // Step 1: √(1) and √(4) → −0.01·[1/1, −2/2]; step 2: √(1.25), √(4.25).
    assertAllclose(us[0]!, [-0.01 / Math.sqrt(1 + 1e-10), 0.01 * 2 / Math.sqrt(4 + 1e-10)], { rtol: 1e-12 });
    assertAllclose(us[1]!, [-0.01 * 0.5 / Math.sqrt(1.25 + 1e-10), -0.01 * 0.5 / Math.sqrt(4.25 + 1e-10)], { rtol: 1e-12 });
  });
});

describe("scaleByAdam", () => {
  it("the first three updates equal the hand computation (bias-corrected m̂, v̂, ε outside the root)", () => {
    const [b1, b2, eps, lr] = [0.9, 0.999, 1e-8, 0.1];
    const us = run(chain(scaleByAdam({ b1, b2, eps }), scaleByLearningRate(lr)), G);
    let m = [0, 0];
    let v = [0, 0];
    G.forEach((g, k) => {
      const t = k + 1;
      m = m.map((mi, i) => b1 * mi + (1 - b1) * g[i]!);
      v = v.map((vi, i) => b2 * vi + (1 - b2) * g[i]! ** 2);
      const want = m.map((mi, i) => (-lr * (mi / (1 - b1 ** t))) / (Math.sqrt(v[i]! / (1 - b2 ** t)) + eps));
      assertAllclose(us[k]!, want, { rtol: 1e-12 });
    });
    // The same numbers written out: step 1 moves each coordinate by ≈ −α·sign(g) (m̂₁ = g, v̂₁ = g²).
    assertAllclose(us[0]!, [-0.1 / (1 + 1e-8), 0.1 * 2 / (2 + 1e-8)], { rtol: 1e-12 });
    // Step 2: m = [0.14, −0.13], v = [0.001249, 0.004246], m̂ = m/0.19, v̂ = v/0.001999.
    assertAllclose(us[1]!, [-0.1 * (0.14 / 0.19) / (Math.sqrt(0.001249 / 0.001999) + 1e-8), -0.1 * (-0.13 / 0.19) / (Math.sqrt(0.004246 / 0.001999) + 1e-8)], { rtol: 1e-12 });
    assertAllclose(us[1]!, [-0.0932183, 0.0469469], { rtol: 1e-5 });
  });

  it("epsRoot goes inside the square root", () => {
    const us = run(scaleByAdam({ eps: 0, epsRoot: 0.5 }), [[1, -2]]);
    assertAllclose(us[0]!, [1 / Math.sqrt(1 + 0.5), -2 / Math.sqrt(4 + 0.5)], { rtol: 1e-12 });
  });

  it("keeps float32 leaves float32 and counts steps in int32", () => {
    const t = scaleByAdam();
    const p = np.array([1, 2]);
    const [u, s] = t.update(np.array([0.1, 0.2]), t.init(p));
    expect(u.dtype).toBe("float32");
    expect((s.mu as NdArray).dtype).toBe("float32");
    expect(s.count.dtype).toBe("int32");
    expect(s.count.item()).toBe(1);
  });
});

describe("clipping", () => {
  it("clip clamps each element", () => {
    assertAllclose(run(clip(1), [[3, -0.5]])[0]!, [1, -0.5]);
  });

  it("clipByGlobalNorm rescales the whole tree to maxNorm, keeping its direction", () => {
    const t = clipByGlobalNorm(1);
    const g = { w: f64([3, 0]), b: f64([4]) };
    const [u] = t.update(g, t.init(g));
    expect(globalNorm(u).item()).toBeCloseTo(1, 12);
    assertAllclose(u.w, [0.6, 0], { rtol: 1e-12 });
    assertAllclose(u.b, [0.8], { rtol: 1e-12 });
    const small = { w: f64([0.3, 0]), b: f64([0.4]) };
    const [v] = t.update(small, t.init(small));
    assertAllclose(v.w, [0.3, 0], { rtol: 1e-12 });
    assertAllclose(v.b, [0.4], { rtol: 1e-12 });
  });
});

describe("addDecayedWeights", () => {
  const params = { w: f64([1, -2]), b: f64([3]) };
  const grads = { w: f64([0.1, 0.1]), b: f64([0.1]) };

  it("adds λθ to every leaf by default", () => {
    const t = addDecayedWeights(0.5);
    const [u] = t.update(grads, t.init(params), params);
    assertAllclose(u.w, [0.6, -0.9], { rtol: 1e-12 });
    assertAllclose(u.b, [1.6], { rtol: 1e-12 });
  });

  it("a mask tree or mask function limits decay to the weights", () => {
    for (const mask of [{ w: true, b: false }, (p: unknown) => tree.map((x) => (x as NdArray).size > 1, p as { w: NdArray; b: NdArray })]) {
      const t = addDecayedWeights(0.5, mask);
      const [u] = t.update(grads, t.init(params), params);
      assertAllclose(u.w, [0.6, -0.9], { rtol: 1e-12 });
      assertAllclose(u.b, [0.1], { rtol: 1e-12 });
    }
  });

  it("an element-wise bool-array mask selects entries", () => {
    const t = addDecayedWeights(0.5, { w: np.array([true, false]), b: true });
    const [u] = t.update(grads, t.init(params), params);
    assertAllclose(u.w, [0.6, 0.1], { rtol: 1e-12 });
    assertAllclose(u.b, [1.6], { rtol: 1e-12 });
  });

  it("before the learning rate, it is SGD on the L2-penalised loss L + (λ/2)‖θ‖² (seed 004, T4-08)", () => {
    const lam = 0.3;
    const [u] = chain(addDecayedWeights(lam), scaleByLearningRate(0.1)).update(grads, [{}, {}], params);
    // ∇(L + (λ/2)‖θ‖²) = g + λθ, so the SGD update is −η(g + λθ).
    assertAllclose(u.w, [-0.1 * (0.1 + lam * 1), -0.1 * (0.1 + lam * -2)], { rtol: 1e-12 });
    assertAllclose(u.b, [-0.1 * (0.1 + lam * 3)], { rtol: 1e-12 });
  });

  it("needs params", () => {
    const t = addDecayedWeights(0.5);
    expect(() => t.update(grads, t.init(params))).toThrow(/addDecayedWeights: update needs the current params/);
  });
});

describe("chain, identity, applyUpdates", () => {
  it("applies links left to right, with one state slot each", () => {
    const g = [[3, -0.5]];
    assertAllclose(run(chain(scale(2), clip(1)), g)[0]!, [1, -1]);
    assertAllclose(run(chain(clip(1), scale(2)), g)[0]!, [2, -1]);
    const t = chain(trace(0.9), scaleByLearningRate(0.1));
    const s = t.init(f64([0, 0]));
    expect(Array.isArray(s) && s.length).toBe(2);
    expect(() => t.update(f64([1, 1]), [] as never)).toThrow(/chain: expected a state tuple of 2 entries/);
  });

  it("identity passes updates through", () => {
    assertAllclose(run(identity(), [[1, 2]])[0]!, [1, 2]);
  });

  it("applyUpdates adds leaf by leaf, keeps each parameter's dtype and None leaves", () => {
    const p = { w: np.array([1, 2]), b: f64([1]), skip: null };
    const out = applyUpdates(p, { w: f64([0.5, 0.5]), b: f64([-1]), skip: null });
    expect(out.w.dtype).toBe("float32");
    assertAllclose(out.w, [1.5, 2.5]);
    assertAllclose(out.b, [0]);
    expect(out.skip).toBeNull();
  });
});
