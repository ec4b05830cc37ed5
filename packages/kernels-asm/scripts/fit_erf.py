"""Fit the float32 erf polynomials in assembly/math/erf.ts (run: python3 scripts/fit_erf.py).

erf(x) = x + x·S(x²) on [0, T] (S = erf(x)/x − 1, so the leading term is exact and the polynomial's
rounding is scaled down by |S| < 0.13); erf(x) = 1 − exp(−x²)·Q(1/x) on [T, 4], where
Q = erfc(x)·exp(x²) is smooth; above 4, erf rounds to ±1 in float32.
Coefficients are near-minimax in relative error (Lawson-weighted least squares on Chebyshev nodes,
float64), rounded to float32, and checked by evaluating Horner's rule in float32 against mpmath.
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 40
T = 0.921875


def lawson(xs, target, basis, iters=60):
    """Near-minimax relative fit: least squares with Lawson's reweighting."""
    a = np.array([[float(b) for b in basis(x)] for x in xs])
    f = np.array([float(t) for t in target])
    w = np.ones(len(xs))
    for _ in range(iters):
        sw = np.sqrt(w)
        c, *_ = np.linalg.lstsq(a * sw[:, None] / f[:, None], sw, rcond=None)
        err = np.abs(a @ c / f - 1)
        w = w * err
        w /= w.sum()
    return c, err.max()


def cheb(lo, hi, n):
    k = np.arange(n)
    return 0.5 * (lo + hi) + 0.5 * (hi - lo) * np.cos((2 * k + 1) * np.pi / (2 * n))


def horner32(c, t):
    acc = np.float32(c[-1])
    for ci in c[-2::-1]:
        acc = np.float32(acc * t + np.float32(ci))
    return acc


def main():
    # Small range: erf(x)/x as a polynomial in z = x² (highest degree last in `c`).
    xs = cheb(1e-4, T, 400)
    cp, ep = lawson(xs, [mp.erf(x) / x for x in xs], lambda x: [x ** (2 * i) for i in range(6)])
    cp[0] -= 1
    print("S (erf(x)/x - 1 in x², ascending):", [float(np.float32(v)) for v in cp], "rel err", ep)
    # Large range: Q(x) = erfc(x)·exp(x²) as a polynomial in u = 1/x.
    xs = cheb(T, 4.0, 600)
    cq, eq = lawson(xs, [mp.erfc(x) * mp.exp(x * x) for x in xs], lambda x: [(1 / x) ** i for i in range(10)])
    print("Q (erfc·exp(x²) in 1/x, ascending):", [float(np.float32(v)) for v in cq], "rel err", eq)
    # float32 evaluation check (erf only; exp taken as correctly rounded here).
    worst = 0.0
    for x32 in np.linspace(0, 4, 20001, dtype=np.float32)[1:]:
        x = float(x32)
        if x32 < T:
            y = np.float32(x32 + np.float32(x32 * horner32(cp, np.float32(x32 * x32))))
        else:
            e = np.float32(float(mp.exp(-float(np.float32(x32 * x32)))))
            y = np.float32(np.float32(1) - np.float32(e * horner32(cq, np.float32(np.float32(1) / x32))))
        ref = float(mp.erf(x))
        ulp = float(np.spacing(np.float32(abs(ref))))
        worst = max(worst, abs(float(y) - ref) / ulp)
    print("max ulp (float32 Horner, exact exp):", worst)


main()
