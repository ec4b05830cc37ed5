"""PyTorch CPU as a native reference system for `pnpm bench`, run by main.ts in place of the tsx worker.

Usage: python3 torch_bench.py <system> <threads> <out.jsonl> '<workloads as JSON>'
Writes the same JSON lines as src/worker.ts (setup, then one result or skip per workload), one line
per write so a run the parent stops at its time limit keeps what it finished, and times like
src/timing.ts: warm-up runs, then up to `reps` timed runs (at least `minReps`, until `maxMs` is spent).
"""
import json
import os
import platform
import re
import sys
import time

# Importing torch_workloads would otherwise leave a __pycache__ folder in the checkout.
sys.dont_write_bytecode = True


def main(system, threads, out, workloads):
    """Set the thread count, load torch, then measure each workload into `out`."""
    # The thread pools read these when torch loads, so they must be set before the import.
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)
    if threads > 1:
        # GNU OpenMP's idle threads spin; on a 2-core machine any other process then stalls every
        # parallel op at its barrier (measured: a CNN epoch went from 1.7 s to 28 s), so they sleep.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

    def emit(line):
        with open(out, "a") as f:
            f.write(json.dumps(line, separators=(",", ":")) + "\n")

    open(out, "w").close()
    try:
        import torch
        from torch_workloads import build
    except ModuleNotFoundError as e:
        if e.name not in ("torch", "numpy"):
            raise
        # Optional system: say which Debian package is missing and skip everything rather than fail the run.
        reason = f"not installed (python3-{e.name})"
        emit({"type": "setup", "system": system, "description": reason})
        for w in workloads:
            emit({"type": "skip", "system": system, "id": w["id"], "reason": reason})
        return
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)  # eager CPU ops never run in parallel with each other here
    emit({"type": "setup", "system": system, "description": describe(torch, threads)})
    for w in workloads:
        try:
            thunk = build(w)
            if isinstance(thunk, str):
                emit({"type": "skip", "system": system, "id": w["id"], "reason": thunk})
                continue
            t = measure(thunk, w)
            emit({"type": "result", "system": system, "id": w["id"], **t})
            sys.stderr.write(f"  {system} {w['id']}: {t['medianMs']:.3f} ms (n={len(t['samplesMs'])})\n")
        except Exception as e:  # a missing kernel is a result to report, as in worker.ts
            msg = (str(e).split("\n")[0] or type(e).__name__)[:160]
            emit({"type": "skip", "system": system, "id": w["id"], "reason": f"error: {msg}"})
            sys.stderr.write(f"  {system} {w['id']}: {msg}\n")


def describe(torch, threads):
    """One line for the report: version, threads, and the BLAS, oneDNN and OpenMP wait policy in use."""
    libs = [f"BLAS: {blas_name(torch)}", "oneDNN" if torch.backends.mkldnn.is_available() else None]
    if threads > 1 and "OMP_WAIT_POLICY" in os.environ:
        libs.append(f"OpenMP wait {os.environ['OMP_WAIT_POLICY'].lower()}")
    return (f"PyTorch {torch.__version__} CPU eager, {threads} thread{'s' if threads > 1 else ''}"
            f" (native reference, Python {platform.python_version()}, {', '.join(l for l in libs if l)})")


def blas_name(torch):
    """The BLAS behind GEMM and dense layers. Debian's torch links whatever libblas.so.3 the system
    alternative points at (the netlib reference one unless e.g. libopenblas0 is installed), which
    changes GEMM speed many times over, so name the library actually loaded, not the build's "generic"."""
    try:
        with open("/proc/self/maps") as f:
            paths = {os.path.realpath(l.split()[-1]) for l in f if "blas" in l or "mkl" in l}
    except OSError:  # not Linux
        paths = set()
    for key, name in (("openblas", "OpenBLAS"), ("mkl", "MKL"), ("blis", "BLIS"), ("atlas", "ATLAS"), ("/blas/libblas", "netlib reference")):
        if any(key in p for p in paths):
            return name
    info = re.search(r"BLAS_INFO=(\w+)", torch.__config__.show())
    return info.group(1) if info else "unknown"


def median(xs):
    """Median of a non-empty list, as timing.ts computes it."""
    s = sorted(xs)
    m = len(s) >> 1
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def measure(fn, w):
    """timing.ts's measure(): `warmup` untimed runs, then timed runs within the workload's budget, in ms."""
    for _ in range(w["warmup"]):
        fn()
    samples = []
    start = time.perf_counter()
    while len(samples) < w["reps"] and (len(samples) < w["minReps"] or (time.perf_counter() - start) * 1e3 < w["maxMs"]):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1e3)
    return {"samplesMs": samples, "medianMs": median(samples), "minMs": min(samples)}


if __name__ == "__main__":
    if len(sys.argv) != 5:
        sys.exit("usage: torch_bench.py <system> <threads> <out.jsonl> '<workloads JSON>'")
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4]))
