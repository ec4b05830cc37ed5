/** Bad inputs to the linalg primitives and functions: the error class and a message naming the op and the shapes. */
import { describe, expect, it } from "vitest";
import { DTypeError, type NdArray, ShapeError, lax, linalg, makeJaxpr, np } from "../../src/index.js";

const f = (...shape: number[]) => np.ones(shape);
const i32 = (...shape: number[]) => np.zeros(shape, { dtype: "int32" });
const tri = { leftSide: true, lower: true, transposeA: false, unitDiagonal: false };

type ErrorClass = new (...args: never[]) => Error;
/** [description, wrong call, error class, exact message or patterns]. */
const table: [string, () => unknown, ErrorClass, string | RegExp[]][] = [
  // --- primitives (abstractEval): eager and traced alike
  ["cholesky: non-square", () => lax.bind("cholesky", [f(3, 4)], {}), ShapeError, "cholesky: expects a square matrix in the last two axes, got f32[3,4]"],
  ["cholesky: rank 1", () => lax.bind("cholesky", [f(3)], {}), ShapeError, [/^cholesky: expects a matrix/, /f32\[3\]/]],
  ["cholesky: int dtype", () => lax.bind("cholesky", [i32(3, 3)], {}), DTypeError, [/^cholesky: expects a float32 or float64 matrix, got i32\[3,3\]/]],
  ["eigh: non-square batch", () => lax.bind("eigh", [f(2, 3, 4)], {}), ShapeError, [/^eigh: expects a square matrix/, /f32\[2,3,4\]/]],
  ["lu: rank 0", () => lax.bind("lu", [np.array(1)], {}), ShapeError, [/^lu: expects a matrix/, /f32\[\]/]],
  ["qr: bool", () => lax.bind("qr", [np.zeros([2, 2], { dtype: "bool" })], { fullMatrices: false }), DTypeError, [/^qr: /, /bool\[2,2\]/]],
  ["svd: int", () => lax.bind("svd", [i32(2, 3)], { fullMatrices: false, computeUv: true }), DTypeError, [/^svd: /, /i32\[2,3\]/]],
  ["triangular_solve: a not square", () => lax.bind("triangular_solve", [f(3, 4), f(3, 2)], tri), ShapeError, [/^triangular_solve: expects a square matrix/, /f32\[3,4\]/]],
  ["triangular_solve: rows differ", () => lax.bind("triangular_solve", [f(3, 3), f(4, 2)], tri), ShapeError, [/^triangular_solve: rows of b/, /f32\[3,3\]/, /f32\[4,2\]/]],
  ["triangular_solve: columns differ (right side)", () => lax.bind("triangular_solve", [f(3, 3), f(3, 2)], { ...tri, leftSide: false }), ShapeError, [/^triangular_solve: columns of b/]],
  ["triangular_solve: batch dims differ", () => lax.bind("triangular_solve", [f(2, 3, 3), f(3, 3, 1)], tri), ShapeError, [/^triangular_solve: .*same batch dimensions/, /f32\[2,3,3\]/, /f32\[3,3,1\]/]],
  ["triangular_solve: dtypes differ", () => lax.bind("triangular_solve", [f(3, 3), np.ones([3, 1], { dtype: "float64" })], tri), DTypeError, [/^triangular_solve: .*same dtype/, /f32\[3,3\]/, /f64\[3,1\]/]],
  ["traced: shape errors while tracing too", () => makeJaxpr((x: NdArray) => linalg.cholesky(x))(f(2, 3)), ShapeError, [/^cholesky: expects a square matrix/, /f32\[2,3\]/]],
  // --- public functions
  ["linalg.inv: non-square", () => linalg.inv(f(2, 3)), ShapeError, "inv: expects a square matrix in the last two axes, got f32[2,3]"],
  ["linalg.det: vector", () => linalg.det(f(3)), ShapeError, [/^det: expects a matrix/, /f32\[3\]/]],
  ["linalg.solve: rows differ", () => linalg.solve(f(3, 3), f(4)), ShapeError, [/^solve: a is f32\[3,3\] but b f32\[4\] has 4 rows/]],
  ["linalg.solve: batches do not broadcast", () => linalg.solve(f(2, 3, 3), f(4, 3, 1)), ShapeError, [/^solve: batch dimensions of f32\[2,3,3\] and f32\[4,3,1\] do not broadcast/]],
  ["linalg.triangularSolve: columns differ", () => linalg.triangularSolve(f(3, 3), f(2, 2), { leftSide: false }), ShapeError, [/^triangularSolve: a is f32\[3,3\] but b f32\[2,2\] has 2 columns/]],
  ["linalg.lstsq: 3-D a", () => linalg.lstsq(f(2, 3, 3), f(3)), ShapeError, [/^lstsq: a must be a 2-D matrix, got f32\[2,3,3\]/]],
  ["linalg.lstsq: rows differ", () => linalg.lstsq(f(4, 3), f(3)), ShapeError, [/^lstsq: a is f32\[4,3\] but b f32\[3\] has 3 rows/]],
  ["linalg.qr: bad mode", () => linalg.qr(f(3, 3), "r" as never), TypeError, [/^qr: mode must be "reduced" or "complete", got "r"/]],
  ["linalg.norm: axis out of range", () => linalg.norm(f(3, 3), null, { axis: 2 }), RangeError, [/^norm: axis 2 is out of bounds/, /f32\[3,3\]/]],
  ["linalg.norm: bad vector order", () => linalg.norm(f(3), "nuc"), TypeError, [/^norm: order "nuc" is a matrix norm/]],
  ["linalg.matrixRank: tol and rtol", () => linalg.matrixRank(f(3, 3), { tol: 1, rtol: 1 }), TypeError, [/^matrixRank: pass tol or rtol/]],
  ["linalg.cholesky: not positive definite", () => linalg.cholesky(np.array([[1, 0], [0, -2]])), linalg.LinAlgError, "cholesky: matrix is not positive definite (pivot 1 is -2); check symmetry and eigenvalues, or add a small multiple of the identity"],
  ["linalg.solve: singular", () => linalg.solve(np.zeros([2, 2]), f(2)), linalg.LinAlgError, [/^solve: matrix is singular \(U\[0,0\] is 0\); use linalg.lstsq or linalg.pinv/]],
];

describe("linalg errors", () => {
  it.each(table)("%s", (_name, call, cls, message) => {
    let err: unknown;
    try {
      call();
    } catch (e) {
      err = e;
    }
    expect(err, "expected an error").toBeInstanceOf(cls);
    const msg = (err as Error).message;
    if (typeof message === "string") expect(msg).toBe(message);
    else for (const p of message) expect(msg).toMatch(p);
  });
});
