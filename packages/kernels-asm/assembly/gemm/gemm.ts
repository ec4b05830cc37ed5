/**
 * Blocked GEMM in the Goto/BLIS arrangement: C = A·B + beta·C for strided A (m×k), B (k×n), C (m×n).
 * B is packed in kc×nc blocks (kept in L2/L3), A in mc×kc blocks (kept in L2), and the micro-kernel
 * streams one A panel against one B panel (kept in L1). Transposes are strides: Aᵀ is A with its row
 * and column strides swapped, so all four transpose combinations and any strided view share one path.
 */
import { arena_alloc, arena_mark, arena_reset } from "../arena";
import { packA, packB } from "./pack";
import { STATUS_OK, STATUS_OUT_OF_MEMORY } from "../status";
import { MR_F32, NR_F32, microF32 } from "./micro-f32";
import { MR_F64, NR_F64, microF64 } from "./micro-f64";

/** Largest depth of a packed block: a kc×NR B panel (8 KiB for f32) stays in L1 across the A panels. */
const KC: i32 = 256;
/** Rows of a packed A block: mc×kc f32 is 128 KiB, well inside L2. */
const MC: i32 = 128;
/** Columns of a packed B block: kc×nc f32 is 4 MiB at most, shared by every A block. */
const NC: i32 = 4096;

/** The blocked driver, specialised at compile time on the element type (used by the conv kernels too). */
export function gemm<T>(
  m: i32, n: i32, k: i32,
  a: usize, rsa: isize, csa: isize,
  b: usize, rsb: isize, csb: isize,
  beta: T, c: usize, rsc: isize, csc: isize,
): i32 {
  if (m <= 0 || n <= 0) return STATUS_OK;
  const sz = <isize>sizeof<T>();
  if (k <= 0) {
    // An empty sum: C = beta·C (overwrite with zeros when beta is 0, never multiply stale memory).
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const at = c + <usize>((<isize>i * rsc + <isize>j * csc) * sz);
        store<T>(at, beta == 0 ? <T>0 : beta * load<T>(at));
      }
    }
    return STATUS_OK;
  }
  const MR = sizeof<T>() == 4 ? MR_F32 : MR_F64;
  const NR = sizeof<T>() == 4 ? NR_F32 : NR_F64;
  const mcMax = min(MC, (m + MR - 1) / MR * MR);
  const ncMax = min(NC, (n + NR - 1) / NR * NR);
  // Equal depth blocks (k = 288 runs as 2×144, not 256 + 32): a thin last block would pay the full
  // cost of loading and storing C for little arithmetic.
  const blocks = (k + KC - 1) / KC;
  const kcStep = (k + blocks - 1) / blocks;
  const mark = arena_mark();
  const ap = arena_alloc(<usize>(<isize>mcMax * kcStep * sz));
  const bp = arena_alloc(<usize>(<isize>ncMax * kcStep * sz));
  const tmp = arena_alloc(<usize>(<isize>MR * NR * sz));
  if (ap == 0 || bp == 0 || tmp == 0) {
    arena_reset(mark);
    return STATUS_OUT_OF_MEMORY;
  }
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += kcStep) {
      const kc = min(kcStep, k - pc);
      // Later depth blocks add onto what the first one wrote.
      const bet: T = pc == 0 ? beta : <T>1;
      packB<T>(b + <usize>((<isize>pc * rsb + <isize>jc * csb) * sz), rsb, csb, kc, nc, NR, bp);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        packA<T>(a + <usize>((<isize>ic * rsa + <isize>pc * csa) * sz), rsa, csa, mc, kc, MR, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bpanel = bp + <usize>(<isize>jr * kc * sz);
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const ct = c + <usize>((<isize>(ic + ir) * rsc + <isize>(jc + jr) * csc) * sz);
            const apanel = ap + <usize>(<isize>ir * kc * sz);
            if (sizeof<T>() == 4) microF32(kc, apanel, bpanel, ct, rsc, csc, mr, nr, <f32>bet, tmp);
            else microF64(kc, apanel, bpanel, ct, rsc, csc, mr, nr, <f64>bet, tmp);
          }
        }
      }
    }
  }
  arena_reset(mark);
  return STATUS_OK;
}

/** Round `n` up to the arena's 64-byte alignment. */
function align64(n: usize): usize {
  return (n + 63) & ~<usize>63;
}

/**
 * Bytes of arena scratch `gemm_f32` (elemBytes 4) or `gemm_f64` (8) takes for an m×n×k product: the
 * packed A and B blocks and the edge tile, exactly as `gemm` allocates them. The worker pool reserves
 * this much per worker, so that workers sharing one memory never allocate over each other.
 */
export function gemm_scratch_bytes(m: i32, n: i32, k: i32, elemBytes: i32): usize {
  if (m <= 0 || n <= 0 || k <= 0) return 0;
  const sz = <isize>(elemBytes == 8 ? 8 : 4);
  const MR = sz == 4 ? MR_F32 : MR_F64;
  const NR = sz == 4 ? NR_F32 : NR_F64;
  const mcMax = min(MC, (m + MR - 1) / MR * MR);
  const ncMax = min(NC, (n + NR - 1) / NR * NR);
  const blocks = (k + KC - 1) / KC;
  const kcStep = (k + blocks - 1) / blocks;
  return align64(<usize>(<isize>mcMax * kcStep * sz)) + align64(<usize>(<isize>ncMax * kcStep * sz)) + align64(<usize>(<isize>MR * NR * sz));
}

/**
 * C = A·B + beta·C in f32. A (m×k) element (i,p) is at a + (i·rsa + p·csa)·4, and likewise B (k×n) and
 * C (m×n); strides are in elements and may be any value (swap them for a transpose). beta = 0
 * overwrites C without reading it. Returns STATUS_OK or STATUS_OUT_OF_MEMORY.
 */
export function gemm_f32(
  m: i32, n: i32, k: i32,
  a: usize, rsa: isize, csa: isize,
  b: usize, rsb: isize, csb: isize,
  beta: f32, c: usize, rsc: isize, csc: isize,
): i32 {
  return gemm<f32>(m, n, k, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
}

/** C = A·B + beta·C in f64, with the same conventions as `gemm_f32`. */
export function gemm_f64(
  m: i32, n: i32, k: i32,
  a: usize, rsa: isize, csa: isize,
  b: usize, rsb: isize, csb: isize,
  beta: f64, c: usize, rsc: isize, csc: isize,
): i32 {
  return gemm<f64>(m, n, k, a, rsa, csa, b, rsb, csb, beta, c, rsc, csc);
}
