import { jit, np, setBackend, wasmBackend } from "@fluxion/core";
import { floats } from "./src/data.js";
const n = Number(process.env.N ?? 256), kind = process.env.K ?? "gemm";
const be = await wasmBackend({ threads: Number(process.env.T ?? 1) }); setBackend(be!);
const arr = (len: number, s: number) => np.array(floats(len, s));
const a = kind === "gemm" ? np.reshape(arr(n * n, 1), [n, n]) : arr(n, 5), b = kind === "gemm" ? np.reshape(arr(n * n, 2), [n, n]) : arr(n, 6);
const f = kind === "gemm" ? jit((p: any, q: any) => np.matmul(p, q)) : jit((p: any, q: any) => np.tanh(np.add(np.multiply(p, q), 1)));
const rows: string[] = []; const ts: number[] = [];
let last = process.resourceUsage().minorPageFault;
for (let i = 0; i < Number(process.env.CALLS ?? 200); i++) {
  const t = performance.now(); f(a, b);
  const dt = performance.now() - t; const mf = process.resourceUsage().minorPageFault;
  rows.push(`${i}:${dt.toFixed(2)}/${mf - last}`); last = mf; ts.push(dt);
  await new Promise((r) => setImmediate(r));
}
if (process.env.V) console.log(rows.join(" "));
const med = (x: number[]) => x.slice().sort((p, q) => p - q)[x.length >> 1];
console.log(kind, n, "T", process.env.T ?? 1, "median calls 10-35:", med(ts.slice(10, 35)).toFixed(3), "last 50:", med(ts.slice(-50)).toFixed(3));
