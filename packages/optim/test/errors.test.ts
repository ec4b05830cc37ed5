import { describe, expect, it } from "vitest";
import { np } from "@fluxion/core";
import * as optim from "../src/index.js";

// [call, message fragment naming the function and the bad value]
const cases: [string, () => unknown, RegExp][] = [
  ["sgd negative learning rate", () => optim.sgd(-0.1), /^sgd: scaleByLearningRate: learning rate must be a finite number ≥ 0, got -0\.1$/],
  ["sgd NaN learning rate", () => optim.sgd(NaN), /^sgd: .*learning rate.*got NaN/],
  ["adam infinite learning rate", () => optim.adam(Infinity), /^adam: .*learning rate.*got Infinity/],
  ["adam β₁ = 1", () => optim.adam(1e-3, { b1: 1 }), /^adam: scaleByAdam: b1 must be in \[0, 1\), got 1$/],
  ["adam β₂ < 0", () => optim.adam(1e-3, { b2: -0.1 }), /^adam: scaleByAdam: b2 must be in \[0, 1\), got -0\.1/],
  ["adam eps = 0", () => optim.adam(1e-3, { eps: 0 }), /^adam: scaleByAdam: eps must be a finite number > 0, got 0/],
  ["adam negative epsRoot", () => optim.adam(1e-3, { epsRoot: -1 }), /^adam: scaleByAdam: epsRoot .*got -1/],
  ["adamw negative weight decay", () => optim.adamw(1e-3, { weightDecay: -1 }), /^adamw: addDecayedWeights: weightDecay .*got -1/],
  ["momentum β = 1.5", () => optim.momentum(0.1, 1.5), /^momentum: trace: decay must be in \[0, 1\), got 1\.5/],
  ["nesterov NaN β", () => optim.nesterov(0.1, NaN), /^nesterov: trace: decay .*got NaN/],
  ["sgd nesterov without momentum", () => optim.sgd(0.1, { nesterov: true }), /^sgd: nesterov needs a momentum value/],
  ["sgd dampening 2", () => optim.sgd(0.1, { momentum: 0.9, dampening: 2 }), /^sgd: trace: dampening must be in \[0, 1\], got 2/],
  ["rmsprop decay 1", () => optim.rmsprop(0.01, { decay: 1 }), /^rmsprop: scaleByRms: decay .*got 1/],
  ["rmsprop eps < 0", () => optim.rmsprop(0.01, { eps: -1e-8 }), /^rmsprop: scaleByRms: eps .*got -1e-8/],
  ["adagrad negative learning rate", () => optim.adagrad(-0.01), /^adagrad: .*learning rate.*got -0\.01/],
  ["adagrad eps = 0 without epsRoot", () => optim.adagrad(0.01, { eps: 0 }), /^adagrad: scaleByAdagrad: eps .*got 0/],
  ["trace β = 1", () => optim.trace(1), /^trace: decay must be in \[0, 1\), got 1/],
  ["scale NaN", () => optim.scale(NaN), /^scale: stepSize .*got NaN/],
  ["clipByGlobalNorm 0", () => optim.clipByGlobalNorm(0), /^clipByGlobalNorm: maxNorm .*got 0/],
  ["clip negative", () => optim.clip(-1), /^clip: maxDelta .*got -1/],
  ["exponentialDecay non-integer steps", () => optim.exponentialDecay(0.1, 2.5, 0.9), /^exponentialDecay: transitionSteps must be an integer ≥ 1, got 2\.5/],
  ["exponentialDecay zero rate", () => optim.exponentialDecay(0.1, 10, 0), /^exponentialDecay: decayRate .*got 0/],
  ["cosineDecay zero steps", () => optim.cosineDecay(0.1, 0), /^cosineDecay: decaySteps must be an integer ≥ 1, got 0/],
  ["cosineDecay alpha > 1", () => optim.cosineDecay(0.1, 10, { alpha: 2 }), /^cosineDecay: alpha must be in \[0, 1\], got 2/],
  ["piecewiseConstant fractional boundary", () => optim.piecewiseConstant(0.1, { 2.5: 0.1 }), /^piecewiseConstant: boundary must be an integer ≥ 0, got 2\.5/],
  ["piecewiseConstant negative scale", () => optim.piecewiseConstant(0.1, { 10: -1 }), /^piecewiseConstant: scale at boundary 10 .*got -1/],
  ["linearSchedule NaN end", () => optim.linearSchedule(1, NaN, 10), /^linearSchedule: endValue .*got NaN/],
  ["warmupCosineDecay decay before warm-up ends", () => optim.warmupCosineDecay(0, 1, 10, 10), /^warmupCosineDecay: decaySteps must be an integer ≥ 11, got 10/],
  ["joinSchedules count mismatch", () => optim.joinSchedules([optim.constant(1)], [5]), /^joinSchedules: need one more schedule than boundaries/],
  ["joinSchedules decreasing boundaries", () => optim.joinSchedules([optim.constant(1), optim.constant(2), optim.constant(3)], [5, 2]), /^joinSchedules: boundaries must be non-decreasing/],
  ["earlyStopping patience 0", () => optim.earlyStopping({ patience: 0 }), /^earlyStopping: patience must be an integer ≥ 1, got 0/],
  ["earlyStopping negative minDelta", () => optim.earlyStopping({ patience: 2, minDelta: -1 }), /^earlyStopping: minDelta .*got -1/],
  ["earlyStopping bad mode", () => optim.earlyStopping({ patience: 2, mode: "up" as never }), /^earlyStopping: mode must be "min" or "max", got "up"/],
  ["newton fractional maxIter", () => optim.newton((x) => np.sum(x), np.array([1]), { maxIter: 1.5 }), /^newton: maxIter must be an integer ≥ 0, got 1\.5/],
  ["newtonCg negative tol", () => optim.newtonCg((x) => np.sum(x), np.array([1]), { tol: -1 }), /^newtonCg: tol .*got -1/],
  ["backtracking c1 ≥ 1", () => optim.backtrackingLineSearch((e) => e, 0, -1, { c1: 1 }), /^backtrackingLineSearch: c1 must be in \(0, 1\), got 1/],
];

describe("invalid hyper-parameters throw a RangeError naming the function and the value", () => {
  for (const [name, call, message] of cases) {
    it(name, () => {
      let err: unknown;
      try {
        call();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RangeError);
      expect((err as Error).message).toMatch(message);
    });
  }

  it("valid edge values are accepted: η = 0, β = 0, ε = 0 with ε_root > 0", () => {
    expect(() => optim.sgd(0, { momentum: 0 })).not.toThrow();
    expect(() => optim.adam(0, { b1: 0, b2: 0, eps: 0, epsRoot: 1e-8 })).not.toThrow();
    expect(() => optim.adagrad(0.01, { eps: 0, epsRoot: 1e-10 })).not.toThrow();
  });

  it("a non-function schedule is a TypeError", () => {
    expect(() => optim.scaleBySchedule(0.1 as never)).toThrow(TypeError);
  });
});
