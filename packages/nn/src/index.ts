/**
 * @fluxion/nn: layers as parameter records plus pure functions (`{ init, apply }`), activations,
 * initialisers, losses, metrics and model summaries. Depends only on @fluxion/core.
 */
export type { Shape, ApplyOptions, Layer, StatefulLayer, AnyLayer, ParamsOf, StateOf, NoParams } from "./types.js";
export type { Key } from "./rng.js";
export type { PaddingOption } from "./args.js";
export { relu, type ReluOptions, leakyRelu, prelu, elu, selu, SELU_ALPHA, SELU_SCALE, softplus, sigmoid, tanh, identity, softmax, logSoftmax, gelu, type GeluOptions } from "./activations.js";
export * as initializers from "./initializers.js";
export type { Initializer, InitOptions, FanMode, Distribution } from "./initializers.js";
export { dense, type DenseParams, type DenseOptions } from "./dense.js";
export { conv1d, conv2d, type ConvParams, type ConvLayerOptions } from "./conv.js";
export { convTranspose1d, convTranspose2d, type ConvTransposeParams, type ConvTransposeOptions, type TransposePadding } from "./conv-transpose.js";
export { maxPool, avgPool, type PoolOptions, type AvgPoolOptions } from "./pooling.js";
export { upsample, type UpsampleOptions } from "./upsample.js";
export { flatten, type FlattenOptions } from "./flatten.js";
export { dropout } from "./dropout.js";
export { batchNorm, type BatchNormParams, type BatchNormState, type BatchNormOptions } from "./batch-norm.js";
export { layerNorm, type LayerNormParams, type LayerNormOptions } from "./layer-norm.js";
export { embedding, type EmbeddingParams, type EmbeddingOptions } from "./embedding.js";
export { preluLayer, type PreluParams, type PreluOptions } from "./prelu-layer.js";
export { fnLayer } from "./fn-layer.js";
export { serial, type SerialParams, type SerialState, type SerialInfo } from "./serial.js";
export { residual, type ResidualParams, type ResidualState, type ResidualInfo } from "./residual.js";
export type { LayerLike } from "./lift.js";
export { type Reduction, type LossOptions } from "./reduction.js";
export { mse, gaussianNll, heteroscedasticGaussianNll, type GaussianNllOptions } from "./regression-losses.js";
export { binaryCrossEntropy, softmaxCrossEntropy, type BceOptions, type SoftmaxCeOptions } from "./classification-losses.js";
export { klGaussian, elbo, type KlOptions, type ElboOptions } from "./variational.js";
export { accuracy, rmse, r2, type AccuracyOptions } from "./metrics.js";
export { l2Penalty, isWeight, type WeightPredicate, type L2Options } from "./penalty.js";
export { leavesWithPaths, type PathLeaf } from "./tree-paths.js";
export { paramCount, summary, type Summary, type SummaryRow, type SummaryOptions } from "./summary.js";
