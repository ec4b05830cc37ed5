/**
 * The optional ONNX Runtime reference: the hand-written ONNX encoding read back field by field, the
 * launch choice, and (only where onnxruntime-node is installed) the graphs' numbers against plain JS.
 */
import { describe, expect, it } from "vitest";
import { launch } from "../src/launch.js";
import { floats } from "../src/data.js";
import { type Graph, onnxModel } from "../src/systems/onnx-model.js";
import { findOnnxRuntime, onnxruntime, ortNotInstalled } from "../src/systems/onnxruntime.js";
import { skippedAll } from "../src/worker-line.js";
import { type Workload, workloads } from "../src/workloads.js";

/** A protobuf field as read back: number, wire type, and its varint, bytes or 32-bit payload. */
type Field = { n: number; wire: number; int?: number; bytes?: Uint8Array };

/** Every top-level field of one protobuf message (an independent reader, so the encoder is checked against the wire format, not itself). */
function readFields(b: Uint8Array): Field[] {
  let i = 0;
  const varint = () => {
    let v = 0, scale = 1;
    for (;;) {
      const x = b[i++]!;
      v += (x & 0x7f) * scale;
      scale *= 128;
      if (x < 0x80) return v;
    }
  };
  const out: Field[] = [];
  while (i < b.length) {
    const key = varint();
    const [n, wire] = [Math.floor(key / 8), key % 8];
    if (wire === 0) out.push({ n, wire, int: varint() });
    else if (wire === 2) {
      const len = varint();
      out.push({ n, wire, bytes: b.subarray(i, i + len) });
      i += len;
    } else if (wire === 5) {
      out.push({ n, wire, bytes: b.subarray(i, i + 4) });
      i += 4;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}
const text = (f: Field) => new TextDecoder().decode(f.bytes);
const sub = (fs: Field[], n: number) => fs.filter((f) => f.n === n).map((f) => readFields(f.bytes!));
const strings = (fs: Field[], n: number) => fs.filter((f) => f.n === n).map(text);

describe("ONNX model encoding", () => {
  const graph: Graph = {
    inputs: [{ name: "x", shape: [2, 300] }],
    constants: [{ name: "c", value: 1.5 }],
    nodes: Array.from({ length: 40 }, (_, i) => ({ op: i % 2 ? "Mul" : "Add", inputs: [i ? `t${i - 1}` : "x", "c"], output: `t${i}` })).concat([
      { op: "ReduceSum", inputs: ["t39"], output: "y", attributes: [{ name: "keepdims", int: 0 }] } as never,
      { op: "Conv", inputs: ["y", "c"], output: "z", attributes: [{ name: "pads", ints: [1, 2, 1, 2] }] } as never,
    ]),
    output: "z",
  };
  const model = readFields(onnxModel(graph));

  it("has IR version 7, opset 13 of the default domain, and the graph", () => {
    expect(model.find((f) => f.n === 1)?.int).toBe(7);
    const [opset] = sub(model, 8);
    expect(strings(opset!, 1)).toEqual([""]);
    expect(opset!.find((f) => f.n === 2)?.int).toBe(13);
    expect(sub(model, 7)).toHaveLength(1);
  });

  it("writes nodes in order with inputs, output and op type (multi-byte lengths included)", () => {
    const [g] = sub(model, 7);
    const nodes = sub(g!, 1);
    expect(nodes).toHaveLength(42);
    expect(nodes.map((n) => strings(n, 4)[0])).toEqual([...Array.from({ length: 40 }, (_, i) => (i % 2 ? "Mul" : "Add")), "ReduceSum", "Conv"]);
    expect(strings(nodes[1]!, 1)).toEqual(["t0", "c"]);
    expect(strings(nodes[41]!, 2)).toEqual(["z"]);
  });

  it("writes int and ints attributes with their AttributeProto type (field 20, a two-byte key)", () => {
    const nodes = sub(sub(model, 7)[0]!, 1);
    const [keep] = sub(nodes[40]!, 5);
    expect(strings(keep!, 1)).toEqual(["keepdims"]);
    expect(keep!.find((f) => f.n === 3)?.int).toBe(0);
    expect(keep!.find((f) => f.n === 20)?.int).toBe(2);
    const [pads] = sub(nodes[41]!, 5);
    expect(pads!.filter((f) => f.n === 8).map((f) => f.int)).toEqual([1, 2, 1, 2]);
    expect(pads!.find((f) => f.n === 20)?.int).toBe(7);
  });

  it("writes inputs with float type and static shape, constants as scalar float tensors, the output", () => {
    const g = sub(model, 7)[0]!;
    const [input] = sub(g, 11);
    expect(strings(input!, 1)).toEqual(["x"]);
    const tensorType = sub(sub(input!, 2)[0]!, 1)[0]!;
    expect(tensorType.find((f) => f.n === 1)?.int).toBe(1);
    const dims = sub(sub(tensorType, 2)[0]!, 1).map((d) => d.find((f) => f.n === 1)?.int);
    expect(dims).toEqual([2, 300]);
    const [c] = sub(g, 5);
    expect(c!.find((f) => f.n === 2)?.int).toBe(1);
    expect(strings(c!, 8)).toEqual(["c"]);
    const data = c!.find((f) => f.n === 4)!.bytes!;
    expect(new Float32Array(data.slice().buffer)).toEqual(Float32Array.of(1.5));
    expect(strings(sub(g, 12)[0]!, 1)).toEqual(["z"]);
  });
});

const installed = findOnnxRuntime() !== undefined;

describe("onnxruntime reference system", () => {
  it("launches in the tsx worker when installed, else skips every workload as not installed", () => {
    const how = launch("onnxruntime-1t", "/o.jsonl", workloads, []);
    if (installed) expect(how).toMatchObject({ command: process.execPath, args: ["--import", "tsx", expect.stringMatching(/worker\.ts$/), "onnxruntime-1t", "/o.jsonl"] });
    else expect(how).toEqual({ lines: skippedAll("onnxruntime-1t", ortNotInstalled, workloads.map((w) => w.id)) });
  });

  // Semantics of the graphs: only checkable where the runtime is installed (packages/bench/native).
  it.skipIf(!installed)("computes each inference workload's numbers (small sizes) and skips training", async () => {
    const sys = onnxruntime(1);
    await sys.setup();
    const run = async (w: Workload) => (await ((await sys.build(w)) as () => Promise<Float32Array>)());
    const [a, b] = [floats(12 * 12, 1), floats(12 * 12, 2)];
    const gemm = await run({ ...workloads[0]!, size: { n: 12 } });
    expect(gemm[5 * 12 + 7]).toBeCloseTo(Array.from({ length: 12 }, (_, k) => a[5 * 12 + k]! * b[k * 12 + 7]!).reduce((p, q) => p + q), 5);
    const x = floats(2 * 3 * 5 * 5, 3), k = floats(4 * 3 * 3 * 3, 4, 0.1);
    const conv = await run({ ...workloads.find((w) => w.kind === "conv")!, size: { batch: 2, cin: 3, hw: 5, cout: 4, k: 3 } });
    // Output (n=1, o=2, h=0, w=4): SAME padding drops the row above and the column to the right.
    let ref = 0;
    for (let c = 0; c < 3; c++) for (let kh = 1; kh < 3; kh++) for (let kw = 0; kw < 2; kw++) ref += x[((1 * 3 + c) * 5 + kh - 1) * 5 + 3 + kw]! * k[((2 * 3 + c) * 3 + kh) * 3 + kw]!;
    expect(conv).toHaveLength(2 * 4 * 5 * 5);
    expect(conv[((1 * 4 + 2) * 5 + 0) * 5 + 4]).toBeCloseTo(ref, 5);
    const [p, q] = [floats(9, 5), floats(9, 6)];
    expect(Array.from(await run({ ...workloads.find((w) => w.kind === "tanh")!, size: { n: 9 } }))).toEqual(Array.from(p, (v, i) => expect.closeTo(Math.tanh(v * q[i]! + 1), 6)));
    const s = floats(1000, 7);
    expect((await run({ ...workloads.find((w) => w.kind === "sum")!, size: { n: 1000 } }))[0]).toBeCloseTo(s.reduce((u, v) => u + v), 3);
    const chain = await run({ ...workloads.find((w) => w.kind === "chain")!, size: { n: 4, rounds: 300 } });
    const y0 = Array.from(floats(4, 5), (v) => { for (let r = 0; r < 300; r++) v = Math.min(Math.max(v * 1.01 + 0.01, -3), 3); return v; });
    expect(Array.from(chain)).toEqual(y0.map((v) => expect.closeTo(v, 4)));
    expect(await sys.build(workloads.find((w) => w.kind === "mlpStep")!)).toMatch(/inference only/);
  });
});
