/** @file The primitive registry: every enum member has impl, jvp and vjp rules and a doc line. */
import { describe, expect, test } from "vitest";
import { NO_PARAMS, Primitive } from "../../../src/core/primitive.js";
import { Rng, Tensor } from "gradlab";
import { primitives } from "../../../src/primitives/index.js";

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

describe("linearize fast paths", () => {
  test("every primitive's linearize agrees with its jvp, direction by direction", () => {
    const rng = new Rng(121);
    const x = new Tensor(
      rng.randn([2, 3]).data.map((v) => Math.abs(v) + 0.5),
      [2, 3],
    );
    let checked = 0;
    for (const p of Object.values(Primitive)) {
      const def = primitives[p];
      if (!def.linearize) continue;
      const y = def.impl([x], NO_PARAMS as never);
      const apply = def.linearize([x], NO_PARAMS as never, y);
      for (const dot of [rng.randn([2, 3]), rng.randn([2, 3])]) {
        expect(apply([dot]), p).toBeAllclose(def.jvp([x], [dot], NO_PARAMS as never, y)!, { rtol: 1e-14, atol: 1e-15 });
      }
      expect(apply([null]), p).toBeNull();
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(11);
  });
});
