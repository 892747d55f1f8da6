/** @file Widget state in executed notebooks: WidgetStates from comm messages, and `gradlab run` writing it with the real kernel. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Notebook } from "../../../cli/notebook/notebook.js";
import { renderWidget } from "../../../cli/html/widgets.js";
import { WIDGET_STATE_MIME, WidgetStates, type WidgetStateJson } from "../../../cli/client/widget-state.js";
import { gradlab } from "../helpers.js";

describe("WidgetStates", () => {
  it("keeps widget models opened on jupyter.widget, applies updates, drops closed ones and ignores other comms", () => {
    const w = new WidgetStates();
    const open = (id: string, target: string, value: number) =>
      w.add("comm_open", {
        comm_id: id,
        target_name: target,
        data: {
          state: { _model_name: "IntSliderModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0", value },
          buffer_paths: [],
        },
      });
    expect(open("a", "jupyter.widget", 1)).toBe(true);
    expect(open("b", "jupyter.widget", 2)).toBe(true);
    expect(open("c", "other", 3)).toBe(false);
    expect(w.add("comm_msg", { comm_id: "a", data: { method: "update", state: { value: 5 }, buffer_paths: [] } })).toBe(true);
    expect(w.add("comm_msg", { comm_id: "c", data: { method: "update", state: { value: 5 } } })).toBe(false);
    w.add("comm_close", { comm_id: "b", data: {} });
    expect(w.json()).toEqual({
      version_major: 2,
      version_minor: 0,
      state: {
        a: {
          model_name: "IntSliderModel",
          model_module: "@jupyter-widgets/controls",
          model_module_version: "2.0.0",
          state: { _model_name: "IntSliderModel", _model_module: "@jupyter-widgets/controls", _model_module_version: "2.0.0", value: 5 },
        },
      },
    });
  });
});

describe("renderWidget", () => {
  it("writes a slider's readout in its d3 format: .Nf fixed, .Ng significant digits (the format live() and playground use), d integer", () => {
    const slider = (value: number, readout_format: string) => ({
      s: {
        model_name: "FloatSliderModel",
        model_module: "@jupyter-widgets/controls",
        model_module_version: "2.0.0",
        state: { min: 0, max: 1, step: 0.1, value, readout_format },
      },
    });
    const shown = (value: number, format: string) => /<output>(.*)<\/output>/.exec(renderWidget("s", slider(value, format), () => "")!)![1];
    expect(shown(0.0811612498457206, ".3g")).toBe("0.0812");
    expect(shown(-1.5, ".3g")).toBe("-1.50");
    expect(shown(0.5, ".2f")).toBe("0.50");
    expect(shown(3, "d")).toBe("3");
  });
});

const code = (source: string, id: string) => ({ cell_type: "code", id, source, metadata: {}, outputs: [], execution_count: null });

describe("gradlab run keeps the widget state", () => {
  it("writes the last state of every live widget into the notebook metadata, and the page draws it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gradlab-widgets-"));
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: "gradlab", display_name: "TypeScript (gradlab)", language: "typescript" } },
      cells: [
        code(
          'import { slider, checkbox, interact } from "gradlab";\nconst x = slider({ min: 0, max: 2, step: 0.25, value: 1, description: "x" });\nconst view = interact((x: number) => (x * x + 0.125).toFixed(6), { x });\nview',
          "w1",
        ),
        code("x.value = 1.5;\nconst gone = checkbox({ value: true });\ngone.close();", "w2"),
      ],
    };
    writeFileSync(join(dir, "widgets.ipynb"), JSON.stringify(nb));
    const r = await gradlab(["run", join(dir, "widgets.ipynb"), "--out", join(dir, "out"), "--html"]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const out = JSON.parse(readFileSync(join(dir, "out", "widgets.ipynb"), "utf8")) as Notebook;
    const saved = (out.metadata.widgets as Record<string, WidgetStateJson>)[WIDGET_STATE_MIME]!;
    expect(saved).toMatchObject({ version_major: 2, version_minor: 0 });
    const models = Object.entries(saved.state);
    const byName = (name: string) => models.filter(([, m]) => m.model_name === name);
    expect(byName("FloatSliderModel")).toHaveLength(1);
    expect(byName("FloatSliderModel")[0]![1].state).toMatchObject({ value: 1.5, description: "x", _view_name: "FloatSliderView" });
    expect(byName("OutputModel")[0]![1].state.outputs).toEqual([
      { output_type: "display_data", data: { "text/plain": "2.375000" }, metadata: {} },
    ]);
    expect(byName("CheckboxModel")).toEqual([]);
    // Every model a view or a child references is in the state.
    const view = (out.cells[0]!.outputs!.at(-1) as { data: Record<string, { model_id: string }> }).data[
      "application/vnd.jupyter.widget-view+json"
    ]!;
    const vbox = saved.state[view.model_id]!;
    expect(vbox.model_name).toBe("VBoxModel");
    for (const ref of [...(vbox.state.children as string[]), String(vbox.state.layout)])
      expect(saved.state).toHaveProperty(ref.replace("IPY_MODEL_", ""));
    // The HTML page draws the last state: the slider at 1.5 and interact's result for it.
    const page = readFileSync(join(dir, "out", "widgets.html"), "utf8");
    expect(page).toContain(
      '<div class="widget vbox"><div class="widget slider"><label class="widget-label">x</label><input type="range" min="0" max="2" step="0.25" value="1.5" disabled><output>1.50</output></div><div class="widget output">',
    );
    expect(page).toContain("2.375000");
    expect(page).not.toContain("FloatSlider(");

    // nbconvert (Debian's) embeds the saved state in its HTML, for the widget manager to draw.
    const conv = spawnSync(
      "/usr/bin/python3",
      ["-m", "nbconvert", "--to", "html", "--output-dir", join(dir, "nbconvert"), join(dir, "out", "widgets.ipynb")],
      { encoding: "utf8" },
    );
    expect(conv.status, conv.stderr).toBe(0);
    const html = readFileSync(join(dir, "nbconvert", "widgets.html"), "utf8");
    const embedded = /<script type="application\/vnd\.jupyter\.widget-state\+json">\s*([\s\S]*?)<\/script>/.exec(html);
    expect(JSON.parse(embedded![1]!)).toEqual(saved);
    expect(html).toContain(`"model_id": "${view.model_id}"`);
  });
});
