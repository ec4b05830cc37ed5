/**
 * Threefry-2x32 with 20 rounds (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3"), the
 * block function of JAX's PRNG, on four counter pairs at a time in i32x4 lanes.
 */

const TAIL0: usize = memory.data(16, 16);
const TAIL1: usize = memory.data(16, 16);

/** One vector of counter pairs through the cipher; the words live in memory at p0 and p1 (16 bytes each). */
class Fry {
  @inline static rotl(v: v128, r: i32): v128 {
    return v128.or(i32x4.shl(v, r), i32x4.shr_u(v, 32 - r));
  }

  // Four rounds with rotations r0…r3, then key injection number j (adds k_a to word 0, k_b + j to word 1).
  @inline static block(p0: usize, p1: usize, r0: i32, r1: i32, r2: i32, r3: i32, ka: v128, kb: v128, j: i32): void {
    let a = v128.load(p0), b = v128.load(p1);
    a = i32x4.add(a, b); b = v128.xor(Fry.rotl(b, r0), a);
    a = i32x4.add(a, b); b = v128.xor(Fry.rotl(b, r1), a);
    a = i32x4.add(a, b); b = v128.xor(Fry.rotl(b, r2), a);
    a = i32x4.add(a, b); b = v128.xor(Fry.rotl(b, r3), a);
    v128.store(p0, i32x4.add(a, ka));
    v128.store(p1, i32x4.add(i32x4.add(b, kb), i32x4.splat(j)));
  }

  @inline static cipher(p0: usize, p1: usize, k0: v128, k1: v128, k2: v128): void {
    v128.store(p0, i32x4.add(v128.load(p0), k0));
    v128.store(p1, i32x4.add(v128.load(p1), k1));
    Fry.block(p0, p1, 13, 15, 26, 6, k1, k2, 1);
    Fry.block(p0, p1, 17, 29, 16, 24, k2, k0, 2);
    Fry.block(p0, p1, 13, 15, 26, 6, k0, k1, 3);
    Fry.block(p0, p1, 17, 29, 16, 24, k1, k2, 4);
    Fry.block(p0, p1, 13, 15, 26, 6, k2, k0, 5);
  }
}

/** (y0, y1) = threefry2x32((k0, k1), (x0, x1)) element-wise over n u32 pairs (y0/y1 may be x0/x1). */
export function threefry2x32(k0: u32, k1: u32, x0: usize, x1: usize, y0: usize, y1: usize, n: i32): void {
  const ks0 = i32x4.splat(k0), ks1 = i32x4.splat(k1), ks2 = i32x4.splat(k0 ^ k1 ^ 0x1bd11bda);
  const body = <usize>(n & ~3) << 2;
  for (let off: usize = 0; off < body; off += 16) {
    v128.store(y0 + off, v128.load(x0 + off));
    v128.store(y1 + off, v128.load(x1 + off));
    Fry.cipher(y0 + off, y1 + off, ks0, ks1, ks2);
  }
  const rest = (<usize>n << 2) - body;
  if (rest != 0) {
    memory.copy(TAIL0, x0 + body, rest);
    memory.copy(TAIL1, x1 + body, rest);
    Fry.cipher(TAIL0, TAIL1, ks0, ks1, ks2);
    memory.copy(y0 + body, TAIL0, rest);
    memory.copy(y1 + body, TAIL1, rest);
  }
}
