import { describe, expect, it } from "vitest";
import { getBackend, grad, jit, lax, makeJaxpr, np, type NdArray } from "../../src/index.js";
import { checkJit, randomArray, seededUniform } from "../../src/testing/index.js";

/** jit over an untyped program (the tests build them from arrays of arguments). */
const jitAny = jit as unknown as (f: unknown) => ((...a: NdArray[]) => unknown) & { lower(...a: NdArray[]): { plan: string; jaxpr: string } };

type Op = (x: NdArray, y: NdArray) => NdArray;

// Elementwise steps that keep values finite and bounded, so long chains stay meaningful.
const OPS: Op[] = [
  (x, y) => x.add(y),
  (x, y) => x.mul(y),
  (x, y) => x.sub(y.mul(0.5)),
  (x) => np.tanh(x),
  (x) => np.sin(x),
  (x) => np.exp(np.negative(np.abs(x))),
  (x, y) => np.maximum(x, y),
  (x, y) => np.where(x.gt(y), x, y.mul(-1)),
  (x) => np.sigmoid(x.mul(3)),
  (x) => np.astype(np.astype(x, "float64").mul(1.5), "float32"),
  (x) => np.clip(x, -0.7, 0.9),
  (x, y) => np.divide(x, np.abs(y).add(1)),
];

/** A deterministic chain of `n` elementwise ops over two inputs. */
function chain(n: number, seed: number): (x: NdArray, y: NdArray) => NdArray {
  const next = seededUniform(seed);
  const picks = Array.from({ length: n }, () => Math.floor(next() * OPS.length));
  return (x, y) => {
    let a = x;
    for (const p of picks) a = OPS[p]!(a, y);
    return a;
  };
}

describe("jit fusion", () => {
  it("a 400-op elementwise chain is bit-identical to eager and runs as one fused loop", () => {
    const f = chain(400, 1);
    const x = randomArray([64, 33], 2, { dtype: "float32" });
    const y = randomArray([64, 33], 3, { dtype: "float32" });
    checkJit(f, [x, y], { rtol: 0, atol: 0 });
    const { plan } = jit(f).lower(x, y);
    // On the reference backend everything fuses; with SIMD kernels the transcendentals stay kernel calls.
    if (getBackend().name === "reference") expect(plan).toMatch(/^plan: 1 steps/);
    expect(plan).toMatch(/fused\[\w+\]\{/);
  });

  it("integer and bool chains fuse exactly (wrapping, truncating division, comparisons)", () => {
    const f = (a: NdArray, b: NdArray) => {
      const s = lax.add(lax.mul(a, b), lax.full(a.shape, 2147483000, "int32"));
      const q = lax.div(s, lax.add(lax.abs(b), lax.full(b.shape, 1, "int32")));
      const m = lax.and(lax.gt(q, a), lax.not(lax.eq(b, a)));
      return lax.selectN(m, lax.rem(q, lax.full(q.shape, 7, "int32")), q);
    };
    const a = np.arange(-20, 20).astype("int32").mul(123457).astype("int32");
    const b = np.arange(40).astype("int32").sub(17).astype("int32");
    checkJit(f, [a, b], { rtol: 0, atol: 0 });
  });

  it("fusion respects values used by non-elementwise ops and several outputs", () => {
    const f = (x: NdArray) => {
      const h = np.tanh(x.mul(2));
      const s = np.sum(h, 1, { keepdims: true });
      return [h.add(s).mul(h), np.exp(h)];
    };
    checkJit(f as never, [randomArray([5, 7], 4, { dtype: "float32" })], { rtol: 0, atol: 0 });
    checkJit(grad((x: NdArray) => np.sum(np.sin(x).mul(np.tanh(x)))), [randomArray([9], 5)], { rtol: 0, atol: 0 });
  });

  it("a transpose of a plain matrix product folds into the product; weight gradients need none", () => {
    const args: [NdArray, NdArray] = [randomArray([5, 3], 11, { dtype: "float32" }), randomArray([4, 5], 12, { dtype: "float32" })];
    const product = (w: NdArray, x: NdArray) => np.tanh(np.transpose(np.matmul(x, w)));
    expect(makeJaxpr(product)(...args).toString()).toContain("transpose");
    expect(jit(product).lower(...args).jaxpr).not.toContain("transpose");
    checkJit(product, args, { rtol: 1e-6, atol: 1e-6 });
    // Reverse mode swaps the operands of xᵀ·g rather than transposing gᵀ·x, so even eagerly there is no copy.
    const loss = (w: NdArray, x: NdArray) => np.sum(np.tanh(np.matmul(x, w)));
    expect(makeJaxpr(grad(loss))(...args).toString()).not.toContain("transpose");
    checkJit(grad(loss), args, { rtol: 1e-6, atol: 1e-6 });
    // A product with another reader keeps its transpose (folding would compute it twice).
    const shared = (a: NdArray, b: NdArray) => [np.matmul(a, b), np.transpose(np.matmul(a, b))];
    expect(jitAny(shared).lower(args[1]!, args[0]!).jaxpr).toContain("transpose");
  });

  it("simplification removes duplicates, no-ops and dead code", () => {
    const f = (x: NdArray) => {
      np.exp(x); // dead
      const a = np.sin(x);
      const b = np.sin(x); // duplicate of a
      return a.add(b).reshape([3]).transpose();
    };
    const { jaxpr } = jit(f).lower(np.zeros([3]));
    expect(jaxpr.match(/ sin /g)).toHaveLength(1);
    expect(jaxpr).not.toContain("exp");
    expect(jaxpr).not.toContain("reshape");
    expect(jaxpr).not.toContain("transpose");
  });

  it("fuses the epilogue of a matmul (bias broadcast, add, relu) and per-row broadcasts into one pass", () => {
    const layer = (x: NdArray, w: NdArray, b: NdArray) => np.maximum(np.matmul(x, w).add(b), 0);
    const args = [randomArray([5, 4], 6, { dtype: "float32" }), randomArray([4, 3], 7, { dtype: "float32" }), randomArray([3], 8, { dtype: "float32" })];
    checkJit(layer, args, { rtol: 0, atol: 0 });
    const { plan } = jit(layer).lower(...(args as [NdArray, NdArray, NdArray]));
    expect(plan).toMatch(/^plan: 2 steps/);
    expect(plan).toMatch(/dot_general[\s\S]*fused\[\w+\]\{broadcast_in_dim,add,max\}|dot_general[\s\S]*fused\[\w+\]\{[^}]*broadcast_in_dim[^}]*add[^}]*max/);
    const centre = (x: NdArray) => x.sub(np.max(x, 1, { keepdims: true })).mul(2);
    checkJit(centre, [randomArray([4, 6], 9, { dtype: "float32" })], { rtol: 0, atol: 0 });
    expect(jit(centre).lower(randomArray([4, 6], 9, { dtype: "float32" })).plan).toMatch(/^plan: 2 steps[\s\S]*reduce_max[\s\S]*fused\[\w+\]\{broadcast_in_dim,sub/);
  });
});
