/** Property tests (fast-check) for the shape rules of the np layer and for vmap/grad. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type NdArray, ShapeError, grad, np, vmap } from "../src/index.js";
import { assertAllclose } from "../src/testing/index.js";

const RUNS = { numRuns: 80 };

const sizeOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const stridesOf = (s: readonly number[]) => s.map((_, i) => sizeOf(s.slice(i + 1)));

/** An array of `shape` holding small integers (exact in float32), from a seed. */
function arrayOf(shape: readonly number[], seed: number, dtype: "float32" | "float64" = "float32"): NdArray {
  const n = sizeOf(shape);
  const data = Float64Array.from({ length: n }, (_, i) => ((i * 7919 + seed * 104729) % 23) - 11);
  return np.reshape(np.array(data, { dtype }), shape);
}

const shapeArb = (maxRank = 4, maxDim = 4) => fc.array(fc.integer({ min: 0, max: maxDim }), { minLength: 0, maxLength: maxRank });
const nonEmptyShapeArb = (minRank = 1, maxRank = 4, maxDim = 4) => fc.array(fc.integer({ min: 1, max: maxDim }), { minLength: minRank, maxLength: maxRank });

/** Two shapes that broadcast: start from a common shape, set some dims to 1 in either, drop leading dims. */
const broadcastPairArb = fc
  .tuple(shapeArb(), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }), fc.nat(4), fc.nat(4))
  .map(([base, mask, dropA, dropB]) => {
    const a = base.map((d, i) => (mask[i] === 1 ? 1 : d)).slice(Math.min(dropA, base.length));
    const b = base.map((d, i) => (mask[i] === 2 ? 1 : d)).slice(Math.min(dropB, base.length));
    return [a, b] as const;
  });

/** NumPy broadcasting reference: output shape, and the flat input index for each flat output index. */
function refBroadcast(a: readonly number[], b: readonly number[]): number[] | null {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[i - (rank - a.length)] ?? 1;
    const db = b[i - (rank - b.length)] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return null;
    out.push(da === 1 ? db : da);
  }
  return out;
}
function refIndex(inShape: readonly number[], outShape: readonly number[], flat: number): number {
  const lead = outShape.length - inShape.length;
  const inStrides = stridesOf(inShape);
  let rem = flat;
  let k = 0;
  outShape.forEach((d, i) => {
    const stride = sizeOf(outShape.slice(i + 1));
    const coord = Math.floor(rem / stride);
    rem -= coord * stride;
    if (i >= lead && inShape[i - lead] !== 1) k += coord * inStrides[i - lead]!;
    void d;
  });
  return k;
}

describe("broadcasting agrees with a reference implementation", () => {
  it("add / multiply / where on broadcast-compatible shapes", () => {
    fc.assert(
      fc.property(broadcastPairArb, fc.nat(1000), ([sa, sb], seed) => {
        const out = refBroadcast(sa, sb)!;
        const a = arrayOf(sa, seed);
        const b = arrayOf(sb, seed + 1);
        const da = a.toTypedArray();
        const db = b.toTypedArray();
        const n = sizeOf(out);
        const sumRef = Array.from({ length: n }, (_, i) => da[refIndex(sa, out, i)]! + db[refIndex(sb, out, i)]!);
        const mulRef = Array.from({ length: n }, (_, i) => da[refIndex(sa, out, i)]! * db[refIndex(sb, out, i)]!);
        const maxRef = Array.from({ length: n }, (_, i) => (da[refIndex(sa, out, i)]! > db[refIndex(sb, out, i)]! ? da[refIndex(sa, out, i)]! : db[refIndex(sb, out, i)]!));
        const s = np.add(a, b);
        expect([...s.shape]).toEqual(out);
        expect(Array.from(s.toTypedArray())).toEqual(sumRef);
        expect(Array.from(np.multiply(a, b).toTypedArray())).toEqual(mulRef);
        expect(Array.from(np.where(np.greater(a, b), a, b).toTypedArray())).toEqual(maxRef);
        expect([...np.broadcastTo(a, out).shape]).toEqual(out);
      }),
      RUNS,
    );
  });
  it("incompatible shapes throw a ShapeError naming both operands", () => {
    fc.assert(
      fc.property(nonEmptyShapeArb(1, 3), fc.nat(2), fc.integer({ min: 2, max: 4 }), (s, pos, extra) => {
        const i = pos % s.length;
        const other = [...s];
        other[i] = s[i]! === 1 ? extra : s[i]! + extra; // neither equal nor 1
        if (s[i] === 1) return; // s[i] = 1 broadcasts; skip
        const a = np.zeros(s);
        const b = np.zeros(other);
        expect(() => np.add(a, b)).toThrow(ShapeError);
        expect(() => np.add(a, b)).toThrow(a.aval.str());
      }),
      RUNS,
    );
  });
});

const permutationArb = (n: number) =>
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: n, maxLength: n }).map((keys) => keys.map((k, i) => [k, i] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]).map(([, i]) => i));

describe("round trips", () => {
  it("reshape to any factorisation and back", () => {
    fc.assert(
      fc.property(shapeArb(), fc.nat(), fc.nat(1000), (shape, pick, seed) => {
        const x = arrayOf(shape, seed);
        const n = x.size;
        // a random target shape with the same size (a random split of n's factors), one entry as −1
        const target: number[] = [];
        let rest = n;
        let p = pick;
        while (rest > 1 && target.length < 3) {
          const divs = Array.from({ length: rest }, (_, i) => i + 1).filter((d) => rest % d === 0);
          const d = divs[p % divs.length]!;
          p = Math.floor(p / divs.length) + 1;
          target.push(d);
          rest /= d;
        }
        target.push(rest);
        const y = np.reshape(x, n > 0 ? target.map((d, i) => (i === p % target.length ? -1 : d)) : target);
        expect(y.size).toBe(n);
        expect(Array.from(y.toTypedArray())).toEqual(Array.from(x.toTypedArray()));
        expect(np.reshape(y, shape).toArray()).toEqual(x.toArray());
      }),
      RUNS,
    );
  });
  it("transpose by p then by p⁻¹ is the identity, and moves elements as the reference", () => {
    fc.assert(
      fc.property(
        nonEmptyShapeArb(1, 4).chain((s) => fc.tuple(fc.constant(s), permutationArb(s.length), fc.nat(1000))),
        ([shape, perm, seed]) => {
          const x = arrayOf(shape, seed);
          const t = np.transpose(x, perm);
          expect([...t.shape]).toEqual(perm.map((p) => shape[p]));
          const inv = perm.map((_, i) => perm.indexOf(i));
          expect(np.transpose(t, inv).toArray()).toEqual(x.toArray());
          // element check: t[c] = x[c permuted back]
          const xd = x.toTypedArray();
          const td = t.toTypedArray();
          const xs = stridesOf(shape);
          const ts = stridesOf(t.shape);
          for (let k = 0; k < td.length; k++) {
            let rem = k;
            let src = 0;
            ts.forEach((st, j) => {
              const c = Math.floor(rem / st);
              rem -= c * st;
              src += c * xs[perm[j]!]!;
            });
            expect(td[k]).toBe(xd[src]);
          }
        },
      ),
      RUNS,
    );
  });
  it("moveaxis / swapaxes / flip are invertible", () => {
    fc.assert(
      fc.property(nonEmptyShapeArb(1, 4), fc.integer(), fc.integer(), fc.nat(1000), (shape, s0, d0, seed) => {
        const n = shape.length;
        const s = (((s0 % n) + n) % n) - (s0 % 2 === 0 ? 0 : n); // sometimes negative
        const d = (((d0 % n) + n) % n) - (d0 % 3 === 0 ? n : 0);
        const x = arrayOf(shape, seed);
        expect(np.moveaxis(np.moveaxis(x, s, d), d, s).toArray()).toEqual(x.toArray());
        expect(np.swapaxes(np.swapaxes(x, s, d), s, d).toArray()).toEqual(x.toArray());
        expect(np.flip(np.flip(x, s), s).toArray()).toEqual(x.toArray());
        expect(np.squeeze(np.expandDims(x, s), s).toArray()).toEqual(x.toArray());
      }),
      RUNS,
    );
  });
  it("concatenate ∘ split is the identity (indices and equal sections)", () => {
    fc.assert(
      fc.property(
        nonEmptyShapeArb(1, 3, 6),
        fc.nat(),
        fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 4 }),
        fc.nat(1000),
        (shape, axisPick, cuts, seed) => {
          const axis = axisPick % shape.length;
          const x = arrayOf(shape, seed);
          const sorted = [...cuts].sort((a, b) => a - b);
          const parts = np.split(x, sorted, axis);
          expect(parts.length).toBe(sorted.length + 1);
          expect(parts.reduce((k, p) => k + p.shape[axis]!, 0)).toBe(shape[axis]);
          expect(np.concatenate(parts, axis).toArray()).toEqual(x.toArray());
          const n = shape[axis]!;
          const sections = [1, 2, 3].filter((k) => n % k === 0).at(-1)!;
          expect(np.concatenate(np.split(x, sections, axis), axis - shape.length).toArray()).toEqual(x.toArray());
        },
      ),
      RUNS,
    );
  });
});

describe("slicing agrees with Python's slice semantics", () => {
  /** Python's slice.indices + range. */
  function pySlice(n: number, start: number | null, stop: number | null, step: number): number[] {
    const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
    const norm = (v: number, lo: number, hi: number) => clamp(v < 0 ? v + n : v, lo, hi);
    const [lo, hi] = step > 0 ? [0, n] : [-1, n - 1];
    let s = start === null ? (step > 0 ? lo : hi) : norm(start, lo, hi);
    const e = stop === null ? (step > 0 ? hi : lo) : norm(stop, lo, hi);
    const out: number[] = [];
    for (; step > 0 ? s < e : s > e; s += step) out.push(s);
    return out;
  }
  const bound = fc.option(fc.integer({ min: -9, max: 9 }), { nil: null });
  it("1-D start:stop:step, as a triple and as a string", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 7 }), bound, bound, fc.integer({ min: -4, max: 4 }).filter((s) => s !== 0), (n, start, stop, step) => {
        const x = np.arange(n);
        const want = pySlice(n, start, stop, step);
        expect(np.slice(x, [start, stop, step]).toArray()).toEqual(want);
        const str = `${start ?? ""}:${stop ?? ""}:${step}`;
        expect(np.slice(x, str).toArray()).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });
});

/** Functions to vmap, each with the per-example shape it needs. */
const vmapFns: [string, (x: NdArray) => NdArray, (shape: number[]) => boolean][] = [
  ["sum(axis 0)", (x) => np.sum(x, 0), (s) => s.length >= 1],
  ["logsumexp(last)", (x) => np.logsumexp(x, -1), (s) => s.length >= 1 && s.at(-1)! > 0],
  ["x·xᵀ", (x) => np.matmul(x, np.transpose(x)), (s) => s.length === 2],
  ["softplus(x)·2 + mean", (x) => np.add(np.multiply(np.softplus(x), 2), np.mean(x)), () => true],
  ["transpose ∘ flip", (x) => np.transpose(np.flip(x)), () => true],
  ["cumsum(0)", (x) => np.cumsum(x, 0), (s) => s.length >= 1],
  ["var(last, keepdims)", (x) => np.var(x, -1, { keepdims: true }), (s) => s.length >= 1],
  ["reshape(-1) ∘ square", (x) => np.reshape(np.square(x), [-1]), () => true],
];

describe("vmap(f) equals a loop", () => {
  it("for random shapes, batch sizes and batch axes", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: vmapFns.length - 1 }),
        nonEmptyShapeArb(0, 3, 3),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        fc.nat(1000),
        (fi, shape, batch, axisPick, seed) => {
          const [, f, ok] = vmapFns[fi]!;
          fc.pre(ok(shape));
          const axis = axisPick % (shape.length + 1);
          const examples = Array.from({ length: batch }, (_, k) => arrayOf(shape, seed + k, "float64"));
          const batched = np.moveaxis(np.stack(examples), 0, axis);
          const got = vmap(f, { inAxes: axis })(batched);
          const want = np.stack(examples.map(f));
          expect([...got.shape]).toEqual([...want.shape]);
          assertAllclose(got, want, { rtol: 1e-12, atol: 1e-12 });
        },
      ),
      RUNS,
    );
  });
});

describe("grad", () => {
  it("grad of sum(x·x) is 2x", () => {
    fc.assert(
      fc.property(shapeArb(3, 4), fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 64, maxLength: 64 }), (shape, pool) => {
        const n = sizeOf(shape);
        const x = np.reshape(np.array(Float64Array.from({ length: n }, (_, i) => pool[i % pool.length]!)), shape);
        const g = grad((v: NdArray) => np.sum(np.multiply(v, v)))(x);
        expect([...g.shape]).toEqual(shape);
        expect(Array.from(g.toTypedArray())).toEqual(Array.from(x.toTypedArray(), (v) => 2 * v));
      }),
      RUNS,
    );
  });
});
