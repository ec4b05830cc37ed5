/** Where examples write their plots: `$FLUXION_RESULTS` or `results/` in the working directory. */
import { resolve } from "node:path";

/** The output folder for plots and logs. */
export function resultsDir(): string {
  return resolve(process.env.FLUXION_RESULTS ?? "results");
}
