/** Fluxion's networks for the training workloads, built from @fluxion/nn layers. */
import { conv2d, dense, flatten, maxPool, relu, serial } from "@fluxion/nn";

/** Issue 3's MLP: 784-256-128-10 with ReLU (the same shape as packages/examples' mnistMlp). */
export const mlp = () => serial(dense(256), relu, dense(128), relu, dense(10));

/** Issue 3's small CNN: conv32-relu-pool-conv64-relu-pool-dense10, 3×3 SAME convolutions, NCHW. */
export const smallCnn = () =>
  serial(conv2d(32, 3, { padding: "SAME" }), relu, maxPool(2), conv2d(64, 3, { padding: "SAME" }), relu, maxPool(2), flatten(), dense(10));

/** Mirrors packages/examples' mnistCnn(): conv16-pool-conv32-pool-conv32-pool-dense10, 3×3 SAME, ReLU. */
export const examplesCnn = () =>
  serial(
    conv2d(16, 3, { padding: "SAME" }), relu, maxPool(2),
    conv2d(32, 3, { padding: "SAME" }), relu, maxPool(2),
    conv2d(32, 3, { padding: "SAME" }), relu, maxPool(2),
    flatten(), dense(10),
  );
