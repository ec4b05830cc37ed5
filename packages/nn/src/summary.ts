/** Parameter counting and a Keras-style table of a model's layers, output shapes and parameter counts. */
import { type PyTree, random, tree } from "@fluxion/core";
import type { Key } from "./rng.js";
import type { SerialInfo } from "./serial.js";
import type { AnyLayer, Shape } from "./types.js";

/** Total number of scalars in a parameter pytree. */
export function paramCount(params: PyTree): number {
  return tree.leaves(params).reduce<number>((n, l) => n + (typeof l === "object" ? l.size : 1), 0);
}

/** One row of a summary. */
export type SummaryRow = { name: string; outputShape: number[]; params: number; depth: number };

/** A model summary: rows (stacks expanded), the total count, and the formatted table. */
export type Summary = { rows: SummaryRow[]; totalParams: number; text: string };

/** Options of `summary`. */
export type SummaryOptions = {
  /** Parameters to count (default: `model.init(key, inputShape)`). */
  params?: PyTree;
  /** Key for that init (default `random.key(0)`). */
  key?: Key;
  /** Also print the table with console.log (default false). */
  print?: boolean;
};

const isSerial = (l: AnyLayer): l is AnyLayer & SerialInfo => Array.isArray((l as Partial<SerialInfo>).layers);

function rowsOf(layer: AnyLayer, params: PyTree, inputShape: Shape, depth: number, rows: SummaryRow[]): number[] {
  if (isSerial(layer)) {
    const ps = params as PyTree[];
    let shape = [...inputShape];
    layer.layers.forEach((l, i) => (shape = rowsOf(l, ps[i]!, shape, depth + 1, rows)));
    return shape;
  }
  const outputShape = layer.outputShape(inputShape);
  rows.push({ name: layer.name, outputShape, params: paramCount(params), depth });
  return outputShape;
}

/** The layers of `model` (stacks expanded, nested ones indented) with output shapes and parameter counts for `inputShape`. */
export function summary(model: AnyLayer, inputShape: Shape, opts: SummaryOptions = {}): Summary {
  const params = opts.params ?? model.init(opts.key ?? random.key(0), inputShape);
  const rows: SummaryRow[] = [];
  rowsOf(model, params, inputShape, 0, rows);
  const totalParams = paramCount(params);
  const fmt = (s: readonly number[]) => `[${s.join(", ")}]`;
  const names = rows.map((r) => "  ".repeat(Math.max(0, r.depth - 1)) + r.name);
  const header = ["layer", "output shape", "params"];
  const w0 = Math.max(header[0]!.length, "total".length, ...names.map((n) => n.length));
  const w1 = Math.max(header[1]!.length, fmt(inputShape).length, ...rows.map((r) => fmt(r.outputShape).length));
  const w2 = Math.max(header[2]!.length, String(totalParams).length);
  const line = (a: string, b: string, c: string) => `${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c.padStart(w2)}`.trimEnd();
  const rule = "-".repeat(w0 + w1 + w2 + 4);
  const text = [
    line(...(header as [string, string, string])),
    rule,
    line("input", fmt(inputShape), ""),
    ...rows.map((r, i) => line(names[i]!, fmt(r.outputShape), String(r.params))),
    rule,
    line("total", "", String(totalParams)),
  ].join("\n");
  if (opts.print) console.log(text);
  return { rows, totalParams, text };
}
