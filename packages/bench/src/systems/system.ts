/** The contract between the worker and one peer library. */
import type { Workload } from "../workloads.js";
import type { Thunk } from "../timing.js";

/** A peer library in one configuration: set up once per process, then build a thunk per workload. */
export type System = {
  name: string;
  /** Load the backend (WASM modules, kernels); returns a one-line description for the report. */
  setup(): Promise<string>;
  /** Build the timed function for `w` (inputs allocated here, outside the timing), or a reason it cannot run. */
  build(w: Workload): Promise<Thunk | string>;
};
