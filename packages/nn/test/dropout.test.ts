/** dropout: inverted scaling, rate, determinism per key, evaluation identity, errors. */
import { describe, expect, test } from "vitest";
import { grad, jit, np, random, vmap } from "@fluxion/core";
import { assertAllclose } from "@fluxion/core/testing";
import { dropout } from "../src/index.js";

describe("dropout", () => {
  const x = np.ones([100, 100]);

  test("evaluation (the default) and rate 0 are the identity", () => {
    expect(dropout(0.5).apply({}, x)).toBe(x);
    expect(dropout(0.5).apply({}, x, { train: false, key: random.key(0) })).toBe(x);
    expect(dropout(0).apply({}, x, { train: true, key: random.key(0) })).toBe(x);
  });

  test("training zeros about `rate` of the elements and scales the rest by 1/(1 − rate) (inverted dropout)", () => {
    const y = dropout(0.3).apply({}, x, { train: true, key: random.key(1) });
    const vals = Array.from(y.toTypedArray());
    const kept = vals.filter((v) => v !== 0);
    expect(new Set(kept.map((v) => Math.fround(v)))).toEqual(new Set([Math.fround(1 / 0.7)]));
    expect(Math.abs(1 - kept.length / vals.length - 0.3)).toBeLessThan(0.02);
    // The mean is preserved in expectation.
    expect(Math.abs((np.mean(y).item() as number) - 1)).toBeLessThan(0.03);
    expect(np.sum(dropout(1).apply({}, x, { train: true, key: random.key(1) })).item()).toBe(0);
  });

  test("deterministic per key, different across keys; the mask is random.bernoulli(key, 1 − rate)", () => {
    const a = dropout(0.5).apply({}, x, { train: true, key: random.key(7) });
    const b = dropout(0.5).apply({}, x, { train: true, key: random.key(7) });
    const c = dropout(0.5).apply({}, x, { train: true, key: random.key(8) });
    assertAllclose(a, b, { rtol: 0, atol: 0 });
    expect(np.sum(np.notEqual(a, c)).item() as number).toBeGreaterThan(1000);
    const mask = random.bernoulli(random.key(7), 0.5, [100, 100]);
    assertAllclose(a, np.where(mask, 2, 0));
  });

  test("gradient is the mask scaled; works under jit and vmap (a key per example)", () => {
    const v = np.full([4, 6], 3, { dtype: "float64" });
    const key = random.key(3);
    const g = grad((z: typeof v) => np.sum(dropout(0.5).apply({}, z, { train: true, key })))(v);
    const y = dropout(0.5).apply({}, v, { train: true, key });
    assertAllclose(g, np.divide(y, 3));
    const jf = jit((z: typeof v, k: typeof key) => dropout(0.5).apply({}, z, { train: true, key: k }));
    assertAllclose(jf(v, key), y);
    const keys = random.split(key, 4);
    const per = vmap((z: typeof v, k: typeof key) => dropout(0.5).apply({}, z, { train: true, key: k }))(v, keys);
    assertAllclose(np.index(per, 2), dropout(0.5).apply({}, np.index(v, 2), { train: true, key: np.index(keys, 2) }));
  });

  test("errors: rate outside [0, 1], training without a key", () => {
    expect(() => dropout(1.5)).toThrow(/rate must be in \[0, 1\]/);
    expect(() => dropout(Number.NaN)).toThrow(RangeError);
    expect(() => dropout(0.5).apply({}, x, { train: true })).toThrow(/needs a PRNG key/);
  });
});
