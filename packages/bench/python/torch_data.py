"""Deterministic inputs identical to src/data.ts, so PyTorch multiplies, convolves and trains on the same numbers."""
import numpy as np

_A, _C = np.uint32(1664525), np.uint32(1013904223)


def floats(n, seed, scale=1.0):
    """`n` float32 values in [-scale, scale) from data.ts's seeded 32-bit LCG, vectorised.

    A Python loop over 1e7 elements would take seconds, so the sequence is unrolled in closed form:
    s_i = a^i·s_0 + c·(a^0 + … + a^(i-1)) mod 2^32, with numpy's uint32 wrap-around doing the modulo.
    """
    s0 = np.uint32((seed * 2654435761) % 2**32 or 1)
    with np.errstate(over="ignore"):
        powers = np.cumprod(np.full(n, _A, dtype=np.uint32), dtype=np.uint32)  # a^1 … a^n
        geo = np.cumsum(np.concatenate(([np.uint32(1)], powers[:-1])), dtype=np.uint32)  # a^0 + … + a^(i-1), i = 1 … n
        s = powers * s0 + _C * geo
    # data.ts computes (s / 2^31 - 1) * scale in doubles and then stores it in a Float32Array.
    return ((s.astype(np.float64) / 2**31 - 1) * scale).astype(np.float32)


def labels(n, classes, seed):
    """`n` integer class labels in [0, classes), as data.ts's labels()."""
    v = floats(n, seed).astype(np.float64)
    return np.minimum(classes - 1, np.floor((v + 1) / 2 * classes)).astype(np.int64)
