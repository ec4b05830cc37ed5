/** Attribute hyper-parameter errors to the alias the user called, not only to the transform inside it. */

/** Run `build`, prefixing any RangeError/TypeError message with `fn` (e.g. "adam: scaleByAdam: b1 …"). */
export function named<T>(fn: string, build: () => T): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`${fn}: ${e.message}`, { cause: e });
    if (e instanceof TypeError) throw new TypeError(`${fn}: ${e.message}`, { cause: e });
    throw e;
  }
}
