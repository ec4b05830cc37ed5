/**
 * @fluxion/nn: layers as parameter records plus pure functions, initialisers, losses and metrics.
 * The layer set is built in the nn/optim issue; this module fixes the package's public entry point.
 */
export {};
