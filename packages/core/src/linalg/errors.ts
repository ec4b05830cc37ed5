/** The error the linear-algebra functions throw for a matrix they cannot handle (NumPy's LinAlgError). */

/** A matrix is singular or not positive definite where the operation needs it to be (eager inputs only). */
export class LinAlgError extends Error {
  override name = "LinAlgError";
}
