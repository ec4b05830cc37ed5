/**
 * @fluxion/optim: Optax-style gradient transformations, schedules and second-order methods.
 * The optimisers are built in the nn/optim issue; this module fixes the package's public entry point.
 */
export {};
