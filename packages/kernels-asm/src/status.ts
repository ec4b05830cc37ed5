/** Turning a kernel's status code into a thrown error. */
import { Status, type StatusCode } from "./abi.js";

const MESSAGES: Record<number, string> = {
  [Status.outOfMemory]: "the kernel arena cannot grow (WebAssembly memory is limited to 4 GiB)",
  [Status.unsupported]: "unknown operation code, or no kernel for this element type",
  [Status.badGeometry]: "inconsistent geometry (groups must divide the channels; output positions must be one stride apart)",
};

/** Throw a RangeError naming `kernel` unless `status` is Status.ok. */
export function checkStatus(kernel: string, status: StatusCode): void {
  if (status === Status.ok) return;
  throw new RangeError(`${kernel}: ${MESSAGES[status] ?? `status ${status}`}`);
}
