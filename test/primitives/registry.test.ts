/** @file The primitive registry: every enum member has impl, jvp and vjp rules and a doc line. */
import { describe, expect, test } from "vitest";
import { Primitive } from "../../src/core/primitive.js";
import { primitives } from "../../src/primitives/index.js";

describe("primitive registry", () => {
  test("every Primitive has a complete definition (and nothing else is registered)", () => {
    const names = Object.values(Primitive);
    expect(Object.keys(primitives).sort()).toEqual([...names].sort());
    for (const p of names) {
      const def = primitives[p];
      expect(typeof def.impl, p).toBe("function");
      expect(typeof def.jvp, p).toBe("function");
      expect(typeof def.vjp, p).toBe("function");
      expect(def.doc.length, p).toBeGreaterThan(0);
    }
  });
});
