/** Shared test helpers: PyTorch fixtures as arrays, and a naive convolution oracle. */
import { forEachIndex } from "@fluxion/core/testing";
import { readFileSync } from "node:fs";
import { type DType, type NdArray, np } from "@fluxion/core";

/** A fixture array as stored by make_torch_fixtures.py. */
export type Fx = { shape: number[]; data: number[] };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const torchCases: any = JSON.parse(readFileSync(new URL("./fixtures/torch.json", import.meta.url), "utf8")).cases;

/** A fixture as an NdArray (float64 unless told). */
export function fx(a: Fx, dtype: DType = "float64"): NdArray {
  return np.reshape(np.array(a.data, { dtype }), a.shape);
}


/**
 * Textbook 2-D cross-correlation, NCHW/OIHW, one output element at a time:
 * y[n,o,i,j] = b[o] + Σ_c,p,q x[n, g·Cg + c, i·s − pad + p·d, j·s − pad + q·d] · w[o, c, p, q].
 */
export function naiveConv2d(x: NdArray, w: NdArray, b: NdArray | null, o: { stride: [number, number]; pad: [[number, number], [number, number]]; dil: [number, number]; groups: number }): NdArray {
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cg, KH, KW] = w.shape as [number, number, number, number];
  const xd = x.toTypedArray();
  const wd = w.toTypedArray();
  const bd = b?.toTypedArray();
  const OH = Math.floor((H + o.pad[0][0] + o.pad[0][1] - ((KH - 1) * o.dil[0] + 1)) / o.stride[0]) + 1;
  const OW = Math.floor((W + o.pad[1][0] + o.pad[1][1] - ((KW - 1) * o.dil[1] + 1)) / o.stride[1]) + 1;
  const Og = O / o.groups;
  const out = new Float64Array(N * O * OH * OW);
  forEachIndex([N, O, OH, OW], ([n, oc, i, j]) => {
    const g = Math.floor(oc! / Og);
    let s = bd ? Number(bd[oc!]) : 0;
    for (let c = 0; c < Cg; c++) {
      for (let p = 0; p < KH; p++) {
        for (let q = 0; q < KW; q++) {
          const r = i! * o.stride[0] - o.pad[0][0] + p * o.dil[0];
          const t = j! * o.stride[1] - o.pad[1][0] + q * o.dil[1];
          if (r < 0 || r >= H || t < 0 || t >= W) continue;
          s += Number(xd[((n! * C + g * Cg + c) * H + r) * W + t]) * Number(wd[((oc! * Cg + c) * KH + p) * KW + q]);
        }
      }
    }
    out[((n! * O + oc!) * OH + i!) * OW + j!] = s;
  });
  return np.reshape(np.array(out, { dtype: "float64" }), [N, O, OH, OW]);
}

/** Fixture cases as `[name, case]` rows for `test.each`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function named(cases: any[]): [string, any][] {
  return cases.map((c) => [c.name as string, c]);
}

export { forEachIndex };
