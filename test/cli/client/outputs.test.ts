/** @file OutputCollector: iopub messages -> nbformat outputs, as nbclient builds them. */
import { describe, expect, it } from "vitest";
import { OutputCollector } from "../../../cli/client/outputs.js";

describe("OutputCollector", () => {
  it("coalesces consecutive streams of the same name only", () => {
    const c = new OutputCollector();
    c.add("stream", { name: "stdout", text: "a" });
    c.add("stream", { name: "stdout", text: "b" });
    c.add("stream", { name: "stderr", text: "e" });
    c.add("stream", { name: "stdout", text: "c" });
    expect(c.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "ab" },
      { output_type: "stream", name: "stderr", text: "e" },
      { output_type: "stream", name: "stdout", text: "c" },
    ]);
  });

  it("clears at once, or at the next output with wait", () => {
    const c = new OutputCollector();
    c.add("stream", { name: "stdout", text: "old" });
    expect(c.add("clear_output", { wait: true })).toBe(false);
    expect(c.outputs).toHaveLength(1);
    c.add("display_data", { data: { "text/plain": "new" }, metadata: {} });
    expect(c.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "new" }, metadata: {} }]);
    c.add("clear_output", { wait: false });
    expect(c.outputs).toEqual([]);
  });

  it("updates every output showing a display id, and ignores unknown ids", () => {
    const c = new OutputCollector();
    c.add("display_data", { data: { "text/plain": "1" }, metadata: {}, transient: { display_id: "p" } });
    c.add("stream", { name: "stdout", text: "between" });
    c.add("display_data", { data: { "text/plain": "1" }, metadata: {}, transient: { display_id: "p" } });
    expect(c.add("update_display_data", { data: { "text/plain": "2" }, metadata: { m: 1 }, transient: { display_id: "p" } })).toBe(true);
    expect(c.add("update_display_data", { data: { "text/plain": "9" }, metadata: {}, transient: { display_id: "q" } })).toBe(false);
    expect(c.outputs.map((o) => ("data" in o ? o.data["text/plain"] : o.output_type))).toEqual(["2", "stream", "2"]);
  });

  it("records execute_result with its count, errors, and ignores status and unknown messages", () => {
    const c = new OutputCollector();
    c.add("execute_input", { code: "x", execution_count: 4 });
    c.add("status", { execution_state: "busy" });
    c.add("comm_open", { comm_id: "1" });
    c.add("execute_result", { execution_count: 4, data: { "text/plain": "x" }, metadata: {} });
    c.add("error", { ename: "E", evalue: "v", traceback: ["t1", "t2"] });
    expect(c.executionCount).toBe(4);
    expect(c.error).toEqual({ ename: "E", evalue: "v", traceback: ["t1", "t2"] });
    expect(c.outputs.map((o) => o.output_type)).toEqual(["execute_result", "error"]);
  });
});

describe("OutputCollector across cells", () => {
  it("updates a display shown by an earlier collector sharing the registry, but not one cleared since", () => {
    const displays = new Map();
    const first = new OutputCollector(displays);
    first.add("display_data", { data: { "text/plain": "old" }, metadata: {}, transient: { display_id: "a" } });
    const second = new OutputCollector(displays);
    expect(second.add("update_display_data", { data: { "text/plain": "new" }, metadata: {}, transient: { display_id: "a" } })).toBe(true);
    expect(first.outputs).toEqual([{ output_type: "display_data", data: { "text/plain": "new" }, metadata: {} }]);
    expect(second.outputs).toEqual([]);
    first.add("clear_output", { wait: false });
    expect(displays.get("a")).toEqual([]);
  });
});
