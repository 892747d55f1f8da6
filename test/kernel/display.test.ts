/** @file Unit tests for the notebook display API (kernel/engine/display.ts) with a recording sink. */
import { describe, expect, it } from "vitest";
import { createDisplay, createTslabShim, toBundle, type DisplaySink } from "../../kernel/engine/display.js";

function recorder() {
  const shown: { data: Record<string, unknown>; displayId?: string; update: boolean }[] = [];
  const clears: boolean[] = [];
  const sink: DisplaySink = {
    display: (data, _m, displayId, update) => shown.push({ data, displayId, update }),
    clear: (w) => clears.push(w),
  };
  return { shown, clears, display: createDisplay(sink) };
}

describe("toBundle", () => {
  it("uses [Symbol.for('Jupyter.display')]() and adds text/plain when missing", () => {
    const v = { [Symbol.for("Jupyter.display")]: () => ({ "text/html": "<b>x</b>" }) };
    expect(toBundle(v)["text/html"]).toBe("<b>x</b>");
    expect(typeof toBundle(v)["text/plain"]).toBe("string");
    expect(toBundle(42)).toEqual({ "text/plain": "42" });
    expect(toBundle("s")).toEqual({ "text/plain": "s" });
    expect(toBundle([1, 2])).toEqual({ "text/plain": "[ 1, 2 ]" });
  });
  it("rejects a display hook that returns no bundle", () => {
    expect(() => toBundle({ [Symbol.for("Jupyter.display")]: () => null })).toThrow(
      'display: expected [Symbol.for("Jupyter.display")]() to return a MIME bundle, got null',
    );
  });
});

describe("createDisplay", () => {
  it("sends each helper's MIME type, base64 for binary images", () => {
    const { shown, display } = recorder();
    display.html("h");
    display.png(new Uint8Array([255, 0]));
    display.raw("application/json", { a: 1 });
    expect(shown.map((s) => s.data)).toEqual([{ "text/html": "h" }, { "image/png": "/wA=" }, { "application/json": { a: 1 } }]);
    expect(() => display.raw("nope", 1)).toThrow('display.raw: expected a MIME type like "text/html", got nope');
  });
  it("newDisplay shows once then updates under one id; explicit ids update on request", () => {
    const { shown, clears, display } = recorder();
    const d = display.newDisplay();
    d.text("a");
    d.text("b");
    display.text("c", { displayId: "k" });
    display.text("d", { displayId: "k", update: true });
    display.clear(true);
    expect(shown.map((s) => [s.data["text/plain"], s.update])).toEqual([
      ["a", false],
      ["b", true],
      ["c", false],
      ["d", true],
    ]);
    expect(shown[0].displayId).toBe(shown[1].displayId);
    expect(shown[3].displayId).toBe("k");
    expect(clears).toEqual([true]);
  });
  it("backs tslab's public API", () => {
    const { shown, display } = recorder();
    const tslab = createTslabShim(display, { node: "v20" }) as { display: typeof display; newDisplay: () => typeof display };
    tslab.display.markdown("# t");
    tslab.newDisplay().svg("<svg/>");
    expect(shown.map((s) => Object.keys(s.data)[0])).toEqual(["text/markdown", "image/svg+xml"]);
  });
});
