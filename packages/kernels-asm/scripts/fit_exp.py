"""Fit the float32 exp polynomial in assembly/math/exp.ts (run: python3 scripts/fit_exp.py).

e^r = 1 + r + r²·P(r) on |r| ≤ ln2/2 (after x = k·ln2 + r). P is near-minimax for the relative
error of e^r, i.e. weighted by r²/e^r: Lawson-reweighted least squares on a dense grid, float64,
then rounded to float32 and re-checked. Degree 4 leaves 0.06 ulp of approximation error (degree 3
would leave 1.8 ulp), so the kernels' error is their float32 rounding.
"""
import numpy as np

half_ln2 = np.log(2) / 2
r = np.linspace(-half_ln2, half_ln2, 20001)
r = r[np.abs(r) > 1e-6]
target = (np.expm1(r) - r) / r**2
weight = r**2 / np.exp(r)


def fit(degree, iters=300):
    """Coefficients (lowest degree first) and the relative error of e^r after rounding them to float32."""
    v = np.vander(r, degree + 1, increasing=True)
    lw = np.ones_like(r)
    for _ in range(iters):
        s = weight * np.sqrt(lw)
        c, *_ = np.linalg.lstsq(v * s[:, None], target * s, rcond=None)
        err = np.abs((v @ c - target) * weight)
        lw = lw * err
        lw /= lw.sum()
    c32 = c.astype(np.float32)
    return c32, np.max(np.abs((v @ c32.astype(np.float64) - target) * weight))


for degree in (3, 4):
    c32, err = fit(degree)
    print(f"degree {degree}: max relative error {err:.3e} = {err / 2**-24:.3f} ulp")
    print("  highest degree first:", ", ".join(f"{x:.8e}" for x in c32[::-1]))
