/** @file Shared test suite for binary broadcasting primitives (add, sub, mul, div, pow, max, min). */
import { describe, expect, test } from "vitest";
import { Rng, Tensor, grad, sum, tensor } from "gradlab";
import { checkDerivatives } from "./check.js";

type Binary = (a: Tensor, b: Tensor) => Tensor;
type Scalar2 = (a: number, b: number) => number;

/** What the suite needs to know about one binary primitive. */
export interface BinarySpec {
  /** Name of the describe block (the primitive's name, e.g. "max"). */
  name: string;
  /** Name the op uses in its error messages (e.g. "maximum"); defaults to `name`. */
  opName?: string;
  /** The user function that binds the primitive. */
  op: Binary;
  /** Independent scalar reference, e.g. `Math.max` or `(a, b) => a / b`. */
  reference: Scalar2;
  /** Closed-form partials [d/da, d/db] at a point of the domain (no ties for max/min). */
  partials: (a: number, b: number) => [number, number];
  /** Maps a sample into the domain of the first argument (identity by default). */
  domainA?: (a: number) => number;
  /** Maps a sample into the domain of the second argument (identity by default). */
  domainB?: (b: number) => number;
}

/** Shape pairs covering equal shapes, scalars on either side, trailing and middle broadcasts. */
const PAIRS: [number[], number[], number[]][] = [
  [
    [3, 4],
    [3, 4],
    [3, 4],
  ],
  [[3, 4], [], [3, 4]],
  [[], [2, 3], [2, 3]],
  [[3, 4], [4], [3, 4]],
  [
    [3, 1],
    [1, 4],
    [3, 4],
  ],
  [
    [2, 1, 3],
    [4, 1],
    [2, 4, 3],
  ],
];

const identity = (v: number): number => v;
const mapped = (t: Tensor, f: (v: number) => number): Tensor => new Tensor(t.data.map(f), t.shape);

/**
 * Registers the shared checks of a binary primitive: forward against the scalar reference with
 * numpy broadcasting, jvp against central differences, vjp against jvp and second order (all via
 * `checkDerivatives`) for every broadcast pattern, gradients against the closed-form partials,
 * gradient shapes under broadcasting, and the error for incompatible shapes. Call it at the top
 * level of a test file; `more` registers the primitive's own tests inside the same describe block.
 * @example
 * binarySuite({ name: "mul", op: mul, reference: (a, b) => a * b, partials: (a, b) => [b, a] });
 * binarySuite({ name: "div", op: div, ... }, () => test("division by zero ...", () => {}));
 */
export function binarySuite(spec: BinarySpec, more: () => void = () => {}): void {
  const { name, op, reference, partials } = spec;
  const opName = spec.opName ?? name;
  const domainA = (t: Tensor): Tensor => mapped(t, spec.domainA ?? identity);
  const domainB = (t: Tensor): Tensor => mapped(t, spec.domainB ?? identity);
  const rng = new Rng(21);

  describe(name, () => {
    test("forward matches the reference with numpy broadcasting", () => {
      const a = domainA(
        tensor([
          [1.5, -2],
          [0.25, 3],
        ]),
      );
      const b = domainB(tensor([0.5, -1.25]));
      const y = op(a, b);
      expect(y.shape).toEqual([2, 2]);
      const expected = [0, 1].map((i) => [0, 1].map((j) => reference(a.data[2 * i + j], b.data[j])));
      expect(y).toBeAllclose(expected, { rtol: 1e-15, atol: 0 });
    });

    test.each(PAIRS)("derivatives for %j with %j (output %j)", (sa, sb, out) => {
      const a = domainA(rng.randn(sa));
      const b = domainB(rng.randn(sb));
      expect(op(a, b).shape).toEqual(out);
      checkDerivatives((x, y) => op(x, y), [a, b]);
    });

    test("each gradient has its input's shape (sums over broadcast axes)", () => {
      const a = domainA(rng.randn([3, 1]));
      const b = domainB(rng.randn([4]));
      const [ga, gb] = grad((x, y) => sum(op(x, y)), { argnums: [0, 1] })(a, b);
      expect(ga.shape).toEqual([3, 1]);
      expect(gb.shape).toEqual([4]);
    });

    test("incompatible shapes raise an error naming the op and both shapes", () => {
      expect(() => op(tensor([1, 2, 3]), tensor([1, 2]))).toThrow(`${opName}: shapes cannot be broadcast: [3] and [2]`);
    });

    test("gradients match the closed-form partial derivatives", () => {
      const a = domainA(rng.randn([3, 4]));
      const b = domainB(rng.randn([3, 4]));
      const [ga, gb] = grad((x, y) => sum(op(x, y)), { argnums: [0, 1] })(a, b);
      const want = Array.from(a.data, (ai, i) => partials(ai, b.data[i]));
      expect(ga).toBeAllclose(
        want.map((p) => p[0]),
        { rtol: 1e-12, atol: 0 },
      );
      expect(gb).toBeAllclose(
        want.map((p) => p[1]),
        { rtol: 1e-12, atol: 0 },
      );
    });

    more();
  });
}
