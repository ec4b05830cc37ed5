/** Rules of the control-flow primitives, one file each: scan, while and cond. */
export { scanRules } from "./scan.js";
export { whileRules } from "./while.js";
export { condRules } from "./cond.js";
