/** fnLayer: functions as parameter-free layers. */
import { describe, expect, test } from "vitest";
import { np } from "@fluxion/core";
import { assertAllclose } from "@fluxion/core/testing";
import { fnLayer, relu } from "../src/index.js";

describe("fnLayer", () => {
  test("wraps a function; its output shape is found by abstract tracing", () => {
    const l = fnLayer((x) => np.sum(x, -1), "rowSum");
    expect(l.name).toBe("rowSum");
    expect(l.outputShape([4, 7])).toEqual([4]);
    expect(fnLayer(relu).name).toBe("relu");
    assertAllclose(l.apply({}, np.ones([2, 3])), [3, 3]);
  });
});
