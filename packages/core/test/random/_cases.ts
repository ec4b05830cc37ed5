/**
 * Known-answer cases (fixtures/random/*.json): run one through Fluxion's `random` in the scheme it was
 * produced with, and compare as the case says (see the files' "about").
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type NdArray, np, random } from "../../src/index.js";
import { randomBits64 } from "../../src/random/bits.js";
import { ORIGINAL, PARTITIONABLE } from "../../src/random/impl.js";

/** One case of jax_vectors.json or numpy_vectors.json. */
export type RandomCase = {
  name: string;
  op: string;
  scheme: "original" | "partitionable" | "both";
  compare: "exact" | "repr" | "rounded" | "close" | "ulps";
  seed?: number;
  shape?: number[];
  num?: number;
  splitShape?: number[];
  data?: number;
  key?: number[];
  count?: number[];
  params?: Record<string, unknown>;
  expected?: unknown;
  expected_uint64?: string[];
  decimals?: number;
  tol?: number;
  ulps?: number;
  source?: string;
};

/** The cases of a fixture file. */
export function loadCases(file: string): RandomCase[] {
  const path = fileURLToPath(new URL(`../fixtures/random/${file}`, import.meta.url));
  return (JSON.parse(readFileSync(path, "utf8")) as { cases: RandomCase[] }).cases;
}

/** The schemes a case applies to. */
export const schemesOf = (c: RandomCase): ("original" | "partitionable")[] => (c.scheme === "both" ? ["original", "partitionable"] : [c.scheme]);

const f32 = (x: unknown) => np.array(x as number[], { dtype: "float32" });

/** Fluxion's answer to a case (an array, or uint64 values as decimal strings for the 64-bit draws). */
export function runCase(c: RandomCase, scheme: "original" | "partitionable"): NdArray | string[] {
  const r = scheme === "partitionable" ? random : random.legacy;
  const p = c.params ?? {};
  const key = r.key(c.seed ?? 0);
  const shape = c.shape ?? [];
  switch (c.op) {
    case "threefry2x32":
      return r.threefry2x32(np.array(c.key!, { dtype: "uint32" }), np.array(c.count!, { dtype: "uint32" }));
    case "key":
      return key;
    case "split":
      return r.split(key, c.splitShape ?? c.num ?? 2);
    case "foldIn":
      return r.foldIn(key, c.data!);
    case "bits":
      return r.bits(key, shape);
    case "bits64lo":
      return randomBits64(scheme === "partitionable" ? PARTITIONABLE : ORIGINAL, key, shape)[1];
    case "bits64": {
      // JAX's 64-bit draws (x64 on), which float64 uniforms are built from, as decimal uint64 strings.
      const [hi, lo] = randomBits64(scheme === "partitionable" ? PARTITIONABLE : ORIGINAL, key, shape).map((w) => Array.from(w.toTypedArray(), Number));
      return hi!.map((h, i) => String((BigInt(h) << 32n) | BigInt(lo![i]!)));
    }
    case "uniform": {
      const u = r.uniform(key, shape, { dtype: p.dtype as "float32" | "float64" | undefined, minval: p.minval as number | undefined, maxval: p.maxval as number | undefined });
      return p.scale === undefined ? u : np.multiply(u, np.array(p.scale as number, { dtype: "float32" }));
    }
    case "uniformSplit1":
      return r.uniform(np.index(r.split(key), 1), shape);
    case "normal":
      return r.normal(key, shape);
    case "truncatedNormal":
      return r.truncatedNormal(key, p.lower as number, p.upper as number, shape);
    case "exponential":
      return r.exponential(key, shape);
    case "gumbel":
      return r.gumbel(key, shape);
    case "randint":
      return r.randint(key, shape, p.minval as number, p.maxval as number, { dtype: p.dtype as "int32" | "uint32" | undefined });
    case "bernoulli":
      return r.bernoulli(key, typeof p.p === "number" ? p.p : f32(p.p), shape);
    case "categorical":
      return r.categorical(key, f32(p.logits), { axis: p.axis as number | undefined, shape });
    case "permutation":
      return r.permutation(key, p.n as number);
    case "choice":
      return r.choice(key, p.a as number, { shape, replace: p.replace as boolean | undefined, p: p.p === undefined ? undefined : f32(p.p) });
    case "gamma":
      return r.gamma(key, typeof p.a === "number" ? p.a : f32(p.a), shape);
    case "loggamma":
      return r.loggamma(key, typeof p.a === "number" ? p.a : f32(p.a), shape);
    case "beta":
      return r.beta(key, p.a as number, p.b as number, shape);
    case "dirichlet":
      return r.dirichlet(key, f32(p.alpha), shape);
    case "multivariateNormal":
      return r.multivariateNormal(key, f32(p.mean), f32(p.cov), { shape });
    default:
      throw new Error(`unknown op ${c.op}`);
  }
}

const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [typeof x === "boolean" ? Number(x) : (x as number)]);
const shapeOf = (x: unknown): number[] => (Array.isArray(x) ? [x.length, ...shapeOf(x[0])] : []);

/** One float32 ulp at |x|. */
function ulp(x: number): number {
  const a = Math.abs(Math.fround(x));
  if (a < 2 ** -126) return 2 ** -149;
  return 2 ** (Math.floor(Math.log2(a)) - 23);
}

/** Why Fluxion's answer disagrees with the case (null when it agrees). */
export function disagreement(c: RandomCase, got: NdArray | string[]): string | null {
  if (Array.isArray(got)) {
    const want = c.expected_uint64 ?? (c.expected as string[]);
    return got.join(",") === want.join(",") ? null : `got ${got.join(",")}, want ${want.join(",")}`;
  }
  const want = flat(c.expected);
  const wantShape = shapeOf(c.expected);
  if (got.shape.join(",") !== wantShape.join(",")) return `shape [${got.shape}] vs expected [${wantShape}]`;
  const values = Array.from(got.toTypedArray(), Number);
  for (let i = 0; i < want.length; i++) {
    const g = values[i]!;
    const w = want[i]!;
    let ok: boolean;
    switch (c.compare) {
      case "exact":
        ok = g === w;
        break;
      case "repr":
        ok = g === Math.fround(w);
        break;
      case "rounded":
        ok = Math.abs(g - w) <= 0.5 * 10 ** -c.decimals! * (1 + 1e-9);
        break;
      case "ulps":
        ok = Math.abs(g - w) <= c.ulps! * ulp(w);
        break;
      case "close": {
        const tol = c.tol ?? 1e-6;
        ok = Math.abs(g - w) <= tol + tol * Math.abs(w);
        break;
      }
    }
    if (!ok) return `element ${i}: ${g} vs expected ${w} (${c.compare})`;
  }
  return null;
}
