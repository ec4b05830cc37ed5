/** The reference backend's kernel table: every kernel primitive in plain TypeScript. */
import type { KernelTable } from "../backend.js";
import { binaryKernel, compareKernel, convertKernel, identityKernel, selectNKernel, unaryKernel } from "./elementwise.js";
import { argKernel, cumsumKernel, reduceKernel } from "./reductions.js";
import {
  broadcastInDimKernel,
  concatenateKernel,
  iotaKernel,
  padKernel,
  reshapeKernel,
  revKernel,
  sliceKernel,
  transposeKernel,
} from "./structural.js";
import { gatherKernel, scatterAddKernel } from "./indexing.js";
import { dotGeneralKernel } from "./dot.js";
import { convGeneralDilatedKernel } from "./conv.js";
import { reduceWindowKernel, selectAndGatherAddKernel, selectAndScatterAddKernel } from "./windows.js";
import { bitcastConvertTypeKernel, shiftLeftKernel, shiftRightLogicalKernel } from "./random.js";

let table: KernelTable | undefined;

/** The table, built on first use (no work at import time). */
export function referenceKernels(): KernelTable {
  return (table ??= {
    neg: unaryKernel("neg"), sign: unaryKernel("sign"), floor: unaryKernel("floor"), ceil: unaryKernel("ceil"),
    round: unaryKernel("round"), is_finite: unaryKernel("is_finite"), not: unaryKernel("not"), exp: unaryKernel("exp"),
    log: unaryKernel("log"), expm1: unaryKernel("expm1"), log1p: unaryKernel("log1p"), tanh: unaryKernel("tanh"),
    logistic: unaryKernel("logistic"), sin: unaryKernel("sin"), cos: unaryKernel("cos"), tan: unaryKernel("tan"),
    asin: unaryKernel("asin"), acos: unaryKernel("acos"), atan: unaryKernel("atan"), sinh: unaryKernel("sinh"),
    cosh: unaryKernel("cosh"), sqrt: unaryKernel("sqrt"), rsqrt: unaryKernel("rsqrt"), abs: unaryKernel("abs"),
    erf: unaryKernel("erf"), erf_inv: unaryKernel("erf_inv"),
    add: binaryKernel("add"), sub: binaryKernel("sub"), mul: binaryKernel("mul"), div: binaryKernel("div"),
    rem: binaryKernel("rem"), pow: binaryKernel("pow"), max: binaryKernel("max"), min: binaryKernel("min"),
    atan2: binaryKernel("atan2"), and: binaryKernel("and"), or: binaryKernel("or"), xor: binaryKernel("xor"),
    eq: compareKernel("eq"), ne: compareKernel("ne"), lt: compareKernel("lt"), le: compareKernel("le"),
    gt: compareKernel("gt"), ge: compareKernel("ge"),
    select_n: selectNKernel,
    convert_element_type: convertKernel,
    stop_gradient: identityKernel,
    reduce_sum: reduceKernel("reduce_sum"), reduce_max: reduceKernel("reduce_max"),
    reduce_min: reduceKernel("reduce_min"), reduce_prod: reduceKernel("reduce_prod"),
    argmax: argKernel(true), argmin: argKernel(false), cumsum: cumsumKernel,
    iota: iotaKernel, broadcast_in_dim: broadcastInDimKernel, reshape: reshapeKernel, transpose: transposeKernel,
    rev: revKernel, pad: padKernel, concatenate: concatenateKernel, slice: sliceKernel,
    gather: gatherKernel, scatter_add: scatterAddKernel,
    dot_general: dotGeneralKernel,
    conv_general_dilated: convGeneralDilatedKernel,
    reduce_window: reduceWindowKernel,
    select_and_gather_add: selectAndGatherAddKernel,
    select_and_scatter_add: selectAndScatterAddKernel,
    shift_left: shiftLeftKernel,
    shift_right_logical: shiftRightLogicalKernel,
    bitcast_convert_type: bitcastConvertTypeKernel,
  });
}
