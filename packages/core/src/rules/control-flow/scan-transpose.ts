/**
 * Transposition of a linear scan (JAX's `_scan_transpose`): a scan in the opposite direction whose
 * carry is (cotangents of the linear consts, accumulated; cotangents of the carry) and whose xs are
 * the output cotangents and the per-step residuals; the cotangents of linear xs come out as ys.
 */
import type { NdArray } from "../../array.js";
import { backwardPass } from "../../interpreters/transpose.js";
import * as lax from "../../lax/index.js";
import { bind } from "../../trace.js";
import { UndefPrimal } from "../types.js";
import { traceJaxpr } from "./closed.js";
import { merge, pick, splitList } from "./lists.js";
import { type ScanParams, scanGroups } from "./scan-common.js";

/** Cotangents of the linear (`UndefPrimal`) operands of a scan; known operands are residuals. */
export function scanTranspose(cts: NdArray[], args: (NdArray | UndefPrimal)[], p: ScanParams): (NdArray | null)[] {
  const { jaxpr, numCarry: nK } = p;
  const [c, k, x] = scanGroups(args, p);
  const [ctCarry, ctYs] = splitList(cts, [nK]);
  const constLin = c.map((a) => a instanceof UndefPrimal);
  const xsLin = x.map((a) => a instanceof UndefPrimal);
  const resC = pick(c, constLin, false) as NdArray[];
  const resX = pick(x, xsLin, false) as NdArray[];
  const [cB, kB, xB] = scanGroups(jaxpr.inBinders.map((v) => v.aval), p);
  const linCAvals = pick(cB, constLin);
  const nLinC = linCAvals.length;
  const yAvals = jaxpr.outs.slice(nK).map((o) => o.aval);
  const body = traceJaxpr(
    (...a) => {
      const [rc, acc, ctk, cty, rx] = splitList(a, [resC.length, nLinC, nK, yAvals.length]);
      let ri = 0;
      let xi = 0;
      // The carry is linear even where its init is a known value (e.g. instantiated zeros), as in JAX.
      const bodyArgs = [
        ...cB.map((aval, i) => (constLin[i] ? new UndefPrimal(aval) : rc![ri++]!)),
        ...kB.map((aval) => new UndefPrimal(aval)),
        ...xB.map((aval, i) => (xsLin[i] ? new UndefPrimal(aval) : rx![xi++]!)),
      ];
      const [ctC, ctK, ctX] = splitList(backwardPass(jaxpr, bodyArgs, [...ctk!, ...cty!]), [nLinC, nK]);
      return [...acc!.map((s, i) => lax.add(s, ctC![i]!)), ...ctK!, ...ctX!];
    },
    [...resC.map((r) => r.aval), ...linCAvals, ...kB, ...yAvals, ...pick(xB, xsLin, false)],
  );
  const zeros = linCAvals.map((a) => lax.full(a.shape, 0, a.dtype));
  const outs = bind("scan", [...body.consts, ...resC, ...zeros, ...ctCarry!, ...ctYs!, ...resX], {
    jaxpr: body.jaxpr,
    numConsts: body.consts.length + resC.length,
    numCarry: nLinC + nK,
    length: p.length,
    reverse: !p.reverse,
  });
  const [ctConsts, ctInit, ctXs] = splitList(outs, [nLinC, nK]);
  const none = (n: number) => new Array<NdArray | null>(n).fill(null);
  return [
    ...merge<NdArray | null>(constLin, none(resC.length), ctConsts!),
    ...k.map((a, i) => (a instanceof UndefPrimal ? ctInit![i]! : null)),
    ...merge<NdArray | null>(xsLin, none(resX.length), ctXs!),
  ];
}
