/** @file gradlab's errors carry the failing op and the detail as fields; the message keeps the form `op: detail`. */
import { describe, expect, test } from "vitest";
import { GradlabError, errorParts, graph, matmul, tensor, traceGraph, type Tensor } from "gradlab";

describe("GradlabError", () => {
  test("library errors name their op in a field, and the message is unchanged", () => {
    let caught: unknown;
    try {
      matmul(tensor([1, 2]), tensor([1, 2, 3]));
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(GradlabError);
    const parts = errorParts(caught)!;
    expect(parts.op).toBe("matmul");
    expect((caught as Error).message).toBe(`matmul: ${parts.detail}`);
    expect((caught as Error).name).toBe("Error");
  });

  test("the recorder's errors are reported as the caller's op; the user's own errors pass unchanged", () => {
    const notAFunction = 3 as never;
    expect(() => traceGraph(notAFunction, tensor(1))).toThrow(/^traceGraph: expected a function/);
    // a function whose result is not computed from its inputs: the recorder's error, reported as graph's
    let parts: ReturnType<typeof errorParts>;
    try {
      graph((w: Tensor) => w, tensor(1));
    } catch (e) {
      parts = errorParts(e);
    }
    expect(parts).toEqual({ op: "graph", detail: "f returns its input w unchanged: there is no operation to draw" });
    const boom = new TypeError("my own bug");
    expect(() =>
      graph(() => {
        throw boom;
      }, tensor(1)),
    ).toThrow(boom);
    expect(errorParts(boom)).toBeUndefined();
  });

  test("a message without an op keeps op empty; any copy of the class is recognised by its mark", () => {
    expect(errorParts(new GradlabError("no op here"))).toEqual({ op: "", detail: "no op here" });
    const foreign = Object.assign(new Error("graph: x"), { op: "graph", detail: "x", [Symbol.for("gradlab.error")]: true });
    expect(errorParts(foreign)).toEqual({ op: "graph", detail: "x" });
    expect(errorParts(new Error("graph: x"))).toBeUndefined();
  });
});
