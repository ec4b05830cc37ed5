/**
 * Training curves as SVG (vega-lite, rendered headless by vega) and PNG (the SVG rasterised by
 * resvg compiled to WebAssembly): no browser and no node-canvas.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** One point of a curve. */
export type CurvePoint = { epoch: number; value: number; series: string };

const require = createRequire(import.meta.url);
let wasmReady: Promise<void> | undefined;

/** A vega-lite line chart of `points`, one line per series, one panel per metric. */
export function curveSpec(title: string, panels: { metric: string; points: CurvePoint[] }[]): TopLevelSpec {
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v5.json",
    title,
    hconcat: panels.map(({ metric, points }) => ({
      width: 320,
      height: 220,
      data: { values: points },
      mark: { type: "line", point: true },
      encoding: {
        x: { field: "epoch", type: "quantitative", title: "epoch", axis: { tickMinStep: 1, format: "d" } },
        y: { field: "value", type: "quantitative", title: metric, scale: { zero: false } },
        color: { field: "series", type: "nominal", title: null },
      },
    })),
    resolve: { scale: { color: "shared" } },
    config: { font: "DejaVu Sans", background: "white" },
  } as TopLevelSpec;
}

/** Render a vega-lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
  return view.toSVG();
}

/** Rasterise SVG text to PNG bytes. */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  wasmReady ??= initWasm(readFileSync(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
  await wasmReady;
  // The wasm rasteriser sees no system fonts; DejaVu Sans from npm makes the labels render everywhere.
  const fonts = ["DejaVuSans.ttf", "DejaVuSans-Bold.ttf"].map((f) => readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${f}`)));
  return new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: 2 },
    font: { fontBuffers: fonts, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  }).render().asPng();
}

/** Write `<base>.svg` and `<base>.png` for the spec; returns the two paths. */
export async function writeChart(base: string, spec: TopLevelSpec): Promise<[string, string]> {
  const svg = await renderSvg(spec);
  writeFileSync(`${base}.svg`, svg);
  writeFileSync(`${base}.png`, await svgToPng(svg));
  return [`${base}.svg`, `${base}.png`];
}
