import { describe, expect, it } from "vitest";
import { ShapeError, grad, jit, jvp, linearize, makeJaxpr, np, scan, vjp, vmap, type NdArray } from "../../src/index.js";
import { assertAllclose, checkGrads, checkJit, checkVmap, randomArray } from "../../src/testing/index.js";

/** Every aval an equation of `jaxpr` (or of a jaxpr nested in its params) produces. */
function producedAvals(jaxpr: { eqns: readonly { params: unknown; outBinders: readonly { aval: { str(): string } }[] }[] }): string[] {
  return jaxpr.eqns.flatMap((e) => {
    const inner = (e.params as { jaxpr?: typeof jaxpr }).jaxpr;
    return [...e.outBinders.map((v) => v.aval.str()), ...(inner ? producedAvals(inner) : [])];
  });
}

const f64 = (x: Parameters<typeof np.array>[0]) => np.array(x, { dtype: "float64" });

/** A scan exercising consts (w), carry (c) and xs (x), with a per-step output. */
const affine = (w: NdArray, c0: NdArray, xs: NdArray) =>
  scan((c: NdArray, x: NdArray) => [np.sin(c.mul(w)).add(x), c.mul(x)] as const, c0, xs);

/** The same loop written out in JS. */
function affineLoop(w: NdArray, c0: NdArray, xs: NdArray, reverse = false): [NdArray, NdArray] {
  const n = xs.shape[0]!;
  let c = c0;
  const ys: NdArray[] = new Array<NdArray>(n);
  for (let k = 0; k < n; k++) {
    const i = reverse ? n - 1 - k : k;
    const xi = np.take(xs, i, 0);
    ys[i] = c.mul(xi);
    c = np.sin(c.mul(w)).add(xi);
  }
  return [c, np.stack(ys)];
}

describe("scan: evaluation", () => {
  it("threads the carry and stacks the ys", () => {
    const [c, ys] = scan((c: NdArray, x: NdArray) => [c.mul(1.5).add(x), c.mul(x)] as const, f64(0.5), f64([1, 2, 3, 4]));
    assertAllclose(c, [18.90625]);
    assertAllclose(ys, [0.5, 3.5, 13.875, 39.75]);
  });

  it("matches the JS loop, forwards and in reverse", () => {
    const [w, c0, xs] = [randomArray([3], 1), randomArray([3], 2), randomArray([6, 3], 3)];
    for (const reverse of [false, true]) {
      const [c, ys] = scan((c: NdArray, x: NdArray) => [np.sin(c.mul(w)).add(x), c.mul(x)] as const, c0, xs, { reverse });
      const [cw, ysw] = affineLoop(w, c0, xs, reverse);
      assertAllclose(c, cw, { rtol: 1e-12 });
      assertAllclose(ys, ysw, { rtol: 1e-12 });
    }
  });

  it("takes pytrees, xs null with a length, y null, and length 0", () => {
    const [carry, ys] = scan(
      (c: { a: NdArray; n: NdArray }, x: [NdArray, NdArray]) => [{ a: c.a.add(x[0].mul(x[1])), n: c.n.add(1) }, { p: x[0].mul(2) }] as const,
      { a: f64([0, 0]), n: f64(0) },
      [f64([[1, 2], [3, 4], [5, 6]]), f64([[1, 1], [2, 2], [3, 3]])],
    );
    assertAllclose(carry.a, [22, 28]);
    assertAllclose(carry.n, [3]);
    assertAllclose(ys.p, [2, 4, 6, 8, 10, 12]);
    expect(ys.p.shape).toEqual([3, 2]);
    const [count, none] = scan((c: NdArray) => [c.add(2), null] as const, f64(1), null, { length: 5 });
    assertAllclose(count, [11]);
    expect(none).toBe(null);
    const [c0, empty] = scan((c: NdArray, x: NdArray) => [c.add(x), x] as const, f64(7), np.zeros([0, 2]).astype("float64").sum(1));
    assertAllclose(c0, [7]);
    expect(empty.shape).toEqual([0]);
  });

  it("promotes a JS-number init to the carry's dtype (JAX's weak typing)", () => {
    const [c] = scan((c: NdArray, x: NdArray) => [c.add(x), null] as const, 0 as unknown as NdArray, f64([1, 2, 3]));
    expect(c.dtype).toBe("float64");
    assertAllclose(c, [6]);
  });

  it("explains bad carries, lengths and returns", () => {
    const bad = () => scan((c: NdArray, x: NdArray) => [np.stack([c, x]), null] as const, f64(0), f64([1, 2]));
    expect(bad).toThrow(ShapeError);
    expect(bad).toThrow(/scan: the body's carry output 0 is f64\[2\] but its carry input is f64\[\]/);
    expect(() => scan((c: NdArray) => [c, null] as const, f64(0), null)).toThrow(/pass the number of steps as \{ length \}/);
    expect(() => scan((c: NdArray) => [c, null] as const, f64(0), f64([1, 2]), { length: 3 })).toThrow(ShapeError);
    expect(() => scan((c: NdArray) => [c, null] as const, f64(0), [f64([1, 2]), f64([1, 2, 3])])).toThrow(/different leading sizes/);
    expect(() => scan((c: NdArray) => c as never, f64(0), f64([1]))).toThrow(/\[newCarry, y\]/);
    expect(() => scan((c: NdArray) => [[c], null] as never, f64(0), f64([1]))).toThrow(/structure/);
  });

  it("shows up as one scan equation in jaxprs", () => {
    const txt = makeJaxpr((w: NdArray, xs: NdArray) => affine(w, w, xs))(randomArray([3], 1), randomArray([4, 3], 2)).toString();
    expect(txt.match(/= scan\[/g)).toHaveLength(1);
  });
});

describe("scan: transformations", () => {
  const [w, c0, xs] = [randomArray([3], 11), randomArray([3], 12), randomArray([5, 3], 13)];

  it("checkGrads to second order, forward and reverse, through consts, carry and xs", () => {
    checkGrads(affine, [w, c0, xs], { order: 2 });
  });

  it("checkGrads of a reverse scan", () => {
    checkGrads((w: NdArray, xs: NdArray) => scan((c: NdArray, x: NdArray) => [np.tanh(c.mul(w).add(x)), c.sum()] as const, w, xs, { reverse: true }), [w, xs], { order: 2 });
  });

  it("gradients equal those of the unrolled loop (BPTT), and linearize agrees with jvp", () => {
    const loss = (w: NdArray, c0: NdArray, xs: NdArray) => {
      const [c, ys] = affine(w, c0, xs);
      return c.sum().add(ys.square().sum());
    };
    const lossLoop = (w: NdArray, c0: NdArray, xs: NdArray) => {
      const [c, ys] = affineLoop(w, c0, xs);
      return c.sum().add(ys.square().sum());
    };
    const g = grad(loss, { argnums: [0, 1, 2] })(w, c0, xs) as NdArray[];
    const gw = grad(lossLoop, { argnums: [0, 1, 2] })(w, c0, xs) as NdArray[];
    g.forEach((gi, i) => assertAllclose(gi, gw[i]!, { rtol: 1e-10, atol: 1e-12 }));
    const [, lin] = linearize(loss, w, c0, xs);
    const [, t] = jvp(loss, [w, c0, xs], [c0, w, xs]);
    assertAllclose(lin(c0, w, xs), t, { rtol: 1e-10 });
  });

  it("gradients only flow where they should (closed-over constants, integer carries)", () => {
    const k = randomArray([3], 14);
    const f = (x: NdArray) => scan((c: readonly [NdArray, NdArray], xi: NdArray) => [[c[0].add(1), c[1].mul(k).add(xi.mul(c[0].astype("float64")))], null] as const, [np.array(0, { dtype: "int32" }), x], xs)[0][1].sum();
    checkGrads(f, [c0], { order: 2 });
    const [, pull] = vjp((x: NdArray) => f(x), c0);
    expect((pull(f64(1)) as NdArray[])[0]!.shape).toEqual([3]);
  });

  it("checkVmap: batched consts, carry and xs in every position", () => {
    checkVmap(affine, [w, c0, xs]);
  });

  it("vmap batches a carry the body batches (fixed point) and keeps unbatched ys unbatched", () => {
    // Only w is batched, but it reaches the carry through the body.
    const f = (w: NdArray) => scan((c: NdArray, x: NdArray) => [c.mul(w).add(x), x.mul(2)] as const, np.zeros([3]).astype("float64"), xs);
    checkVmap(f, [w]);
    const [c, ys] = vmap(f)(np.stack([w, w.mul(2)]));
    expect(c.shape).toEqual([2, 3]);
    expect(ys.shape).toEqual([2, 5, 3]);
  });

  it("checkJit, and jit/grad/vmap compose with scan", () => {
    checkJit((w: NdArray, c0: NdArray, xs: NdArray) => affine(w, c0, xs), [w, c0, xs]);
    const loss = (w: NdArray) => affine(w, c0, xs)[1].sum();
    assertAllclose(jit(grad(loss))(w), grad(loss)(w), { rtol: 1e-12 });
    assertAllclose(grad(jit(loss))(w), grad(loss)(w), { rtol: 1e-12 });
    checkVmap(jit(grad(loss)), [w]);
  });
});

describe("scan: partial evaluation and edge cases", () => {
  const xs = randomArray([4, 2], 21);
  const c0 = f64([1, 2]);

  it("identity carries, constant carries, and integer carries and ys differentiate and batch", () => {
    const identity = (c0: NdArray, xs: NdArray) => {
      const [c, ys] = scan((c: NdArray, x: NdArray) => [c, x.mul(2)] as const, c0, xs);
      return c.sum().add(ys.sum());
    };
    const constant = (c0: NdArray, xs: NdArray) => {
      const [c, ys] = scan((c: NdArray, x: NdArray) => [f64([1, 1]), c.mul(x)] as const, c0, xs);
      return c.sum().add(ys.sum());
    };
    const counted = (c0: NdArray, xs: NdArray) => {
      const [[, c], [i, s]] = scan((c: [NdArray, NdArray], x: NdArray) => [[c[0].add(1), c[1].mul(x)], [c[0], c[1].sum()]] as const, [np.array(0, { dtype: "int32" }), c0], xs);
      return [c, s, i];
    };
    checkGrads(identity, [c0, xs], { order: 2 });
    checkGrads(constant, [c0, xs], { order: 2 });
    checkGrads((c0: NdArray, xs: NdArray) => counted(c0, xs).slice(0, 2), [c0, xs], { order: 2 });
    checkVmap(counted, [c0, xs]);
    expect(counted(c0, xs)[2]!.toArray()).toEqual([0, 1, 2, 3]);
  });

  it("length 0 returns the init under grad and vmap", () => {
    const f = (c0: NdArray, xs: NdArray) => {
      const [c, ys] = scan((c: NdArray, x: NdArray) => [c.mul(x), c.mul(x)] as const, c0, xs);
      return c.sum().add(ys.sum());
    };
    const empty = np.zeros([0, 2], { dtype: "float64" });
    assertAllclose(grad(f)(c0, empty), [1, 1]);
    checkVmap(f, [c0, empty]);
  });

  it("residuals computed from constants only are hoisted out of the loop, not stacked per step", () => {
    // The body uses w.T: its transposition needs w.T, which must not become a [50, 4, 4] residual.
    const loss = (w: NdArray, xs: NdArray) => scan((h: NdArray, x: NdArray) => [np.tanh(np.matmul(h, w.T).add(x)), null] as const, np.zeros([4], { dtype: "float64" }), xs)[0].sum();
    const loop = (w: NdArray, xs: NdArray) => {
      let h = np.zeros([4], { dtype: "float64" });
      for (let t = 0; t < 50; t++) h = np.tanh(np.matmul(h, w.T).add(np.take(xs, t, 0)));
      return h.sum();
    };
    const [w, xs50] = [randomArray([4, 4], 22), randomArray([50, 4], 23)];
    for (const g of [grad(loss), grad(jit(loss))]) {
      expect(producedAvals(makeJaxpr(g)(w, xs50).jaxpr)).not.toContain("f64[50,4,4]");
      assertAllclose(g(w, xs50), grad(loop)(w, xs50), { rtol: 1e-10, atol: 1e-13 });
    }
  });

  it("a jitted function with a closed-over constant inside the body", () => {
    const w = randomArray([3], 24);
    const f = (w: NdArray, xs: NdArray) =>
      scan((c: NdArray, x: NdArray) => [jit((c: NdArray, x: NdArray) => np.sin(c).mul(w).add(x.mul(w.sum())))(c, x), np.exp(w).mul(c)] as const, w, xs);
    const xs3 = randomArray([4, 3], 25);
    checkGrads(f, [w, xs3], { order: 2 });
    checkVmap(grad((w: NdArray, xs: NdArray) => f(w, xs)[1].sum()), [w, xs3]);
  });
});
