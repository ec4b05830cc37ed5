/**
 * Operation codes of the elementwise and reduction kernels. They are exported as globals
 * ("UnaryOp.EXP", …) so the host's copy in src/abi.ts is checked against them by a test.
 */

/** Unary operations (each named after the core primitive it implements). */
export enum UnaryOp {
  NEG = 0, ABS = 1, SIGN = 2, FLOOR = 3, CEIL = 4, ROUND = 5, SQRT = 6, RSQRT = 7,
  EXP = 8, EXPM1 = 9, LOG = 10, LOG1P = 11, TANH = 12, LOGISTIC = 13, ERF = 14,
  SIN = 15, COS = 16, TAN = 17, ASIN = 18, ACOS = 19, ATAN = 20, SINH = 21, COSH = 22,
}

/** Binary operations; max/min propagate NaN, pow follows C (pow(1, NaN) = 1). */
export enum BinaryOp {
  ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAX = 4, MIN = 5, POW = 6, REM = 7, ATAN2 = 8,
}

/** Reductions along an axis; max/min propagate NaN. */
export enum ReduceOp {
  SUM = 0, PROD = 1, MAX = 2, MIN = 3,
}
