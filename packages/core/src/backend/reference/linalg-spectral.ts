/** Reference spectral decompositions in float64: symmetric eigendecomposition (Jacobi) and SVD (one-sided Jacobi). */

const EPS = 2 ** -52;

/**
 * Fix the sign of column `col` of the rows×cols matrix `x` (and of row `col` of `partner`, if given):
 * its largest-magnitude entry becomes positive. Entries within a relative 1e-9 of the largest count as
 * tied and the first of them decides, so symmetric structure (e.g. [1, 1]/√2) does not flip on rounding.
 */
function fixSign(x: Float64Array, rows: number, cols: number, col: number, partner?: { v: Float64Array; cols: number }): void {
  let big = 0;
  for (let i = 0; i < rows; i++) big = Math.max(big, Math.abs(x[i * cols + col]!));
  let lead = 0;
  for (let i = 0; i < rows; i++) {
    if (Math.abs(x[i * cols + col]!) >= big * (1 - 1e-9)) {
      lead = x[i * cols + col]!;
      break;
    }
  }
  if (lead >= 0) return;
  for (let i = 0; i < rows; i++) x[i * cols + col] = -x[i * cols + col]!;
  if (partner) for (let c = 0; c < partner.cols; c++) partner.v[col * partner.cols + c] = -partner.v[col * partner.cols + c]!;
}

/**
 * Eigen-decomposition of the symmetric part (A + Aᵀ)/2 by cyclic Jacobi: eigenvalues ascending, the
 * eigenvectors as the columns of v, each with its largest-magnitude component positive.
 */
export function eighMatrix(a0: Float64Array, n: number): { v: Float64Array; w: Float64Array } {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = 0.5 * (a0[i * n + j]! + a0[j * n + i]!);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) continue;
        const app = a[p * n + p]!;
        const aqq = a[q * n + q]!;
        // Negligible next to both diagonal entries (relative-accuracy test of Demmel–Veselić): drop it.
        if (Math.abs(apq) <= EPS * Math.sqrt(Math.abs(app)) * Math.sqrt(Math.abs(aqq))) {
          a[p * n + q] = a[q * n + p] = 0;
          continue;
        }
        rotated = true;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.abs(theta) > 1e150 ? 1 / (2 * theta) : Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        a[p * n + p] = app - t * apq;
        a[q * n + q] = aqq + t * apq;
        a[p * n + q] = a[q * n + p] = 0;
        for (let r = 0; r < n; r++) {
          if (r !== p && r !== q) {
            const arp = a[r * n + p]!;
            const arq = a[r * n + q]!;
            a[r * n + p] = a[p * n + r] = c * arp - s * arq;
            a[r * n + q] = a[q * n + r] = s * arp + c * arq;
          }
          const vrp = v[r * n + p]!;
          const vrq = v[r * n + q]!;
          v[r * n + p] = c * vrp - s * vrq;
          v[r * n + q] = s * vrp + c * vrq;
        }
      }
    }
    if (!rotated) break;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i]! - a[j * n + j]!);
  const w = Float64Array.from(order, (i) => a[i * n + i]!);
  const vs = new Float64Array(n * n);
  order.forEach((src, dst) => {
    for (let r = 0; r < n; r++) vs[r * n + dst] = v[r * n + src]!;
  });
  for (let c = 0; c < n; c++) fixSign(vs, n, n, c);
  return { v: vs, w };
}

/**
 * Complete the orthonormal columns `known` (of the rows×cols matrix u, the others zero) to an
 * orthonormal set, using the standard basis vector with the largest residual each time.
 */
function completeBasis(u: Float64Array, rows: number, cols: number, known: boolean[]): void {
  const col = (j: number) => Float64Array.from({ length: rows }, (_, i) => u[i * cols + j]!);
  for (let j = 0; j < cols; j++) {
    if (known[j]) continue;
    let best: Float64Array | null = null;
    let bestNorm = -1;
    for (let e = 0; e < rows; e++) {
      const x = new Float64Array(rows);
      x[e] = 1;
      // Two passes of Gram–Schmidt ("twice is enough") against the columns found so far.
      for (let pass = 0; pass < 2; pass++) {
        for (let k = 0; k < cols; k++) {
          if (!known[k]) continue;
          const uk = col(k);
          let d = 0;
          for (let i = 0; i < rows; i++) d += uk[i]! * x[i]!;
          for (let i = 0; i < rows; i++) x[i]! -= d * uk[i]!;
        }
      }
      let nrm = 0;
      for (let i = 0; i < rows; i++) nrm = Math.hypot(nrm, x[i]!);
      if (nrm > bestNorm) [best, bestNorm] = [x, nrm];
    }
    for (let i = 0; i < rows; i++) u[i * cols + j] = best![i]! / bestNorm;
    known[j] = true;
  }
}

/** One-sided Jacobi SVD of a tall m×n matrix (m ≥ n): U (m×ucols), s descending, V (n×n, columns). */
function svdTall(a: Float64Array, m: number, n: number, ucols: number): { u: Float64Array; s: Float64Array; v: Float64Array } {
  const g = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  const tol = EPS * m;
  for (let sweep = 0; sweep < 100; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const gp = g[i * n + p]!;
          const gq = g[i * n + q]!;
          alpha += gp * gp;
          beta += gq * gq;
          gamma += gp * gq;
        }
        // Columns already orthogonal to working precision relative to their lengths: leave them.
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha) * Math.sqrt(beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.abs(zeta) > 1e150 ? 1 / (2 * zeta) : Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(zeta * zeta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const gp = g[i * n + p]!;
          const gq = g[i * n + q]!;
          g[i * n + p] = c * gp - s * gq;
          g[i * n + q] = s * gp + c * gq;
        }
        for (let i = 0; i < n; i++) {
          const vp = v[i * n + p]!;
          const vq = v[i * n + q]!;
          v[i * n + p] = c * vp - s * vq;
          v[i * n + q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Float64Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < m; i++) s = Math.hypot(s, g[i * n + j]!);
    return s;
  });
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => norms[j]! - norms[i]!);
  const s = Float64Array.from(order, (j) => norms[j]!);
  const u = new Float64Array(m * ucols);
  const vs = new Float64Array(n * n);
  const known = new Array<boolean>(ucols).fill(false);
  order.forEach((src, dst) => {
    for (let i = 0; i < n; i++) vs[i * n + dst] = v[i * n + src]!;
    const sj = norms[src]!;
    // A zero column has no direction of its own: completeBasis gives it one orthogonal to the rest.
    if (!(sj > 0) || !Number.isFinite(1 / sj)) return;
    for (let i = 0; i < m; i++) u[i * ucols + dst] = g[i * n + src]! / sj;
    known[dst] = true;
  });
  completeBasis(u, m, ucols, known);
  return { u, s, v: vs };
}

/**
 * SVD of an m×n matrix: U (m×m if `full`, else m×k), s (k = min(m, n), descending), Vᵀ (n×n or k×n).
 * Sign convention: the largest-magnitude entry of each column of U is positive (Vᵀ's row flips with it).
 */
export function svdMatrix(a: Float64Array, m: number, n: number, full: boolean): { u: Float64Array; s: Float64Array; vt: Float64Array } {
  const k = Math.min(m, n);
  if (m >= n) {
    const { u, s, v } = svdTall(a, m, n, full ? m : n);
    const ucols = full ? m : n;
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[i * n + j] = v[j * n + i]!;
    for (let c = 0; c < ucols; c++) fixSign(u, m, ucols, c, c < k ? { v: vt, cols: n } : undefined);
    return { u, s, vt };
  }
  // Wide: Aᵀ = U' S V'ᵀ gives A = V' S U'ᵀ, so U = V' and Vᵀ = U'ᵀ.
  const at = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
  const vtRows = full ? n : m;
  const { u: u2, s, v: v2 } = svdTall(at, n, m, vtRows);
  const u = v2; // m×m
  const vt = new Float64Array(vtRows * n);
  for (let i = 0; i < vtRows; i++) for (let j = 0; j < n; j++) vt[i * n + j] = u2[j * vtRows + i]!;
  for (let c = 0; c < m; c++) fixSign(u, m, m, c, { v: vt, cols: n });
  // Rows of Vᵀ beyond k have no partner in U: give them the same convention on their own.
  const vtT = new Float64Array(n * vtRows);
  for (let i = 0; i < vtRows; i++) for (let j = 0; j < n; j++) vtT[j * vtRows + i] = vt[i * n + j]!;
  for (let r = m; r < vtRows; r++) {
    fixSign(vtT, n, vtRows, r);
    for (let j = 0; j < n; j++) vt[r * n + j] = vtT[j * vtRows + r]!;
  }
  return { u, s, vt };
}

