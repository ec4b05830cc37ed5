/**
 * Packing for the blocked GEMM: copy a block of A (or B) out of its strided source into micro-panels
 * laid out in exactly the order the micro-kernel reads them, zero-padded to whole panels. Strides
 * are in elements, so row-major, column-major (transposed) and any strided view pack the same way.
 */

/**
 * Pack the mc×kc block of A at `a` (element (i,p) at a + i·rs + p·cs) into ⌈mc/MR⌉ panels of
 * kc×MR, where panel r holds rows r·MR … r·MR+MR−1 interleaved by p: dst[r·kc·MR + p·MR + i].
 */
export function packA<T>(a: usize, rs: isize, cs: isize, mc: i32, kc: i32, MR: i32, dst: usize): void {
  const sz = <isize>sizeof<T>();
  for (let r = 0; r < mc; r += MR) {
    const rows = min(MR, mc - r);
    const panel = dst + <usize>(<isize>r * kc * sz);
    const src = a + <usize>(<isize>r * rs * sz);
    for (let i = 0; i < rows; i++) {
      // Walk one source row along p: contiguous when A is row-major (cs = 1).
      let s = src + <usize>(<isize>i * rs * sz);
      let d = panel + <usize>(<isize>i * sz);
      const step = cs * sz;
      const dstep = <isize>MR * sz;
      for (let p = 0; p < kc; p++) {
        store<T>(d, load<T>(s));
        s += step;
        d += dstep;
      }
    }
    // Zero the missing rows of a partial panel so the micro-kernel can always compute whole tiles.
    for (let i = rows; i < MR; i++) {
      let d = panel + <usize>(<isize>i * sz);
      for (let p = 0; p < kc; p++) {
        store<T>(d, <T>0);
        d += <isize>MR * sz;
      }
    }
  }
}

/**
 * Pack the kc×nc block of B at `b` (element (p,j) at b + p·rs + j·cs) into ⌈nc/NR⌉ panels of kc×NR:
 * dst[s·kc·NR + p·NR + j] = B[p, s·NR + j], zero past nc.
 */
export function packB<T>(b: usize, rs: isize, cs: isize, kc: i32, nc: i32, NR: i32, dst: usize): void {
  const sz = <isize>sizeof<T>();
  const rowBytes = <isize>NR * sz;
  for (let s = 0; s < nc; s += NR) {
    const cols = min(NR, nc - s);
    const panel = dst + <usize>(<isize>s * kc * sz);
    const src = b + <usize>(<isize>s * cs * sz);
    if (cols == NR && cs == 1) {
      // Row-major B: each panel row is NR contiguous elements, copied as whole vectors.
      for (let p = 0; p < kc; p++) {
        const from = src + <usize>(<isize>p * rs * sz);
        const to = panel + <usize>(<isize>p * rowBytes);
        for (let off: isize = 0; off < rowBytes; off += 16) v128.store(to + <usize>off, v128.load(from + <usize>off));
      }
      continue;
    }
    for (let p = 0; p < kc; p++) {
      const from = src + <usize>(<isize>p * rs * sz);
      const to = panel + <usize>(<isize>p * rowBytes);
      for (let j = 0; j < cols; j++) store<T>(to + <usize>(<isize>j * sz), load<T>(from + <usize>(<isize>j * cs * sz)));
      for (let j = cols; j < NR; j++) store<T>(to + <usize>(<isize>j * sz), <T>0);
    }
  }
}
