/** Status codes returned by the kernels that can fail (mirrored by `Status` in src/abi.ts). */

/** Success. */
export const STATUS_OK: i32 = 0;
/** The arena could not grow to hold a kernel's scratch. */
export const STATUS_OUT_OF_MEMORY: i32 = 1;
/** The operation code is unknown or has no kernel for this element type. */
export const STATUS_UNSUPPORTED: i32 = 2;
/** The geometry is inconsistent (groups not dividing the channels, an output layout the kernel cannot address). */
export const STATUS_BAD_GEOMETRY: i32 = 3;
