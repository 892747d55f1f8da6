/** @file `broadcast_to` primitive: forward, derivatives (sum back over broadcast axes), errors. */
import { describe, expect, test } from "vitest";
import { Rng, broadcastTo, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";

describe("broadcast_to", () => {
  test("forward repeats along new and length-1 axes", () => {
    expect(broadcastTo(tensor([1, 2]), [2, 2]).toArray()).toEqual([
      [1, 2],
      [1, 2],
    ]);
    expect(broadcastTo(tensor([[1], [2]]), [2, 3]).toArray()).toEqual([
      [1, 1, 1],
      [2, 2, 2],
    ]);
    expect(broadcastTo(tensor(7), [2]).toArray()).toEqual([7, 7]);
  });

  test.each([
    [[3], [2, 3]],
    [
      [2, 1],
      [2, 4],
    ],
    [[], [3, 2]],
    [
      [1, 3, 1],
      [2, 3, 4],
    ],
  ])("derivatives %j -> %j", (from, to) => {
    checkDerivatives((t) => broadcastTo(t, to), [new Rng(61).randn(from)]);
  });

  test("an impossible broadcast names the op and both shapes", () => {
    expect(() => broadcastTo(tensor([1, 2, 3]), [2, 2])).toThrow("broadcastTo: shapes cannot be broadcast: [3] and [2,2]");
    expect(() => broadcastTo(tensor([[1, 2]]), [2])).toThrow("broadcastTo: cannot broadcast [1,2] to [2]");
  });
});
