/** The rule table: one entry per primitive, typed so that a primitive without rules does not compile. */
import type { PrimName } from "../primitives.js";
import type { RuleSet, RuleTable } from "./types.js";
import { binaryRules, compareRules, convertRules, selectNRules, stopGradientRules, unaryRules } from "./elementwise.js";
import { argRules, chooserRules, cumsumRules, reduceProdRules, reduceSumRules } from "./reductions.js";
import { broadcastInDimRules, concatenateRules, iotaRules, padRules, reshapeRules, revRules, sliceRules, transposeRules } from "./structural.js";
import { gatherRules, scatterAddRules } from "./indexing.js";
import { dotGeneralRules } from "./dot.js";
import { convRules } from "./conv.js";
import { reduceWindowRules, selectAndGatherAddRules, selectAndScatterAddRules } from "./windows.js";
import { customJvpCallRules, customLinRules, customVjpCallRules } from "./custom.js";
import { pjitRules } from "./pjit.js";
import { rematRules } from "./remat.js";
import { condRules, scanRules, whileRules } from "./control-flow/index.js";
import { bitcastConvertTypeRules, shiftLeftRules, shiftRightLogicalRules, threefry2x32Rules } from "./random.js";
import { choleskyRules, eighRules, luRules, qrRules, svdRules, triangularSolveRules } from "./linalg.js";

let table: RuleTable | undefined;

// Built on first use: rule modules import lax, which imports bind, which needs this table, so building
// it at import time would read rule sets before their modules have run.
function buildTable(): RuleTable {
  return {
    neg: unaryRules("neg"), sign: unaryRules("sign"), floor: unaryRules("floor"), ceil: unaryRules("ceil"),
    round: unaryRules("round"), is_finite: unaryRules("is_finite"), not: unaryRules("not"), exp: unaryRules("exp"),
    log: unaryRules("log"), expm1: unaryRules("expm1"), log1p: unaryRules("log1p"), tanh: unaryRules("tanh"),
    logistic: unaryRules("logistic"), sin: unaryRules("sin"), cos: unaryRules("cos"), tan: unaryRules("tan"),
    asin: unaryRules("asin"), acos: unaryRules("acos"), atan: unaryRules("atan"), sinh: unaryRules("sinh"),
    cosh: unaryRules("cosh"), sqrt: unaryRules("sqrt"), rsqrt: unaryRules("rsqrt"), abs: unaryRules("abs"),
    erf: unaryRules("erf"), erf_inv: unaryRules("erf_inv"),
    add: binaryRules("add"), sub: binaryRules("sub"), mul: binaryRules("mul"), div: binaryRules("div"),
    rem: binaryRules("rem"), pow: binaryRules("pow"), max: binaryRules("max"), min: binaryRules("min"),
    atan2: binaryRules("atan2"), and: binaryRules("and"), or: binaryRules("or"), xor: binaryRules("xor"),
    eq: compareRules("eq"), ne: compareRules("ne"), lt: compareRules("lt"), le: compareRules("le"),
    gt: compareRules("gt"), ge: compareRules("ge"),
    select_n: selectNRules,
    convert_element_type: convertRules,
    stop_gradient: stopGradientRules,
    reduce_sum: reduceSumRules, reduce_max: chooserRules("reduce_max"), reduce_min: chooserRules("reduce_min"),
    reduce_prod: reduceProdRules, argmax: argRules("argmax"), argmin: argRules("argmin"), cumsum: cumsumRules,
    iota: iotaRules, broadcast_in_dim: broadcastInDimRules, reshape: reshapeRules, transpose: transposeRules,
    rev: revRules, pad: padRules, concatenate: concatenateRules, slice: sliceRules,
    gather: gatherRules, scatter_add: scatterAddRules,
    dot_general: dotGeneralRules,
    conv_general_dilated: convRules,
    reduce_window: reduceWindowRules,
    select_and_gather_add: selectAndGatherAddRules,
    select_and_scatter_add: selectAndScatterAddRules,
    pjit: pjitRules,
    remat: rematRules,
    scan: scanRules,
    while: whileRules,
    cond: condRules,
    shift_left: shiftLeftRules,
    shift_right_logical: shiftRightLogicalRules,
    bitcast_convert_type: bitcastConvertTypeRules,
    threefry2x32: threefry2x32Rules,
    cholesky: choleskyRules,
    triangular_solve: triangularSolveRules,
    lu: luRules,
    qr: qrRules,
    eigh: eighRules,
    svd: svdRules,
    custom_jvp_call: customJvpCallRules,
    custom_vjp_call: customVjpCallRules,
    custom_lin: customLinRules,
  };
}

/** The rules of primitive `prim`. */
export function rulesFor<K extends PrimName>(prim: K): RuleSet<K> {
  return (table ??= buildTable())[prim] as RuleSet<K>;
}

/** Every primitive name, in table order. */
export function primitiveNames(): PrimName[] {
  return Object.keys((table ??= buildTable())) as PrimName[];
}
