/**
 * @file gradlab against PyTorch (float64) at special points: 0, -0, ±Infinity, NaN, ties and the
 * boundary of each op's domain. Values, first and second derivatives (and the Taylor
 * coefficients of powers at 0), each computed by gradlab in reverse mode, forward mode and both
 * nestings, and compared entry by entry with torch's answer from special_points_ref.py (one python
 * call for every case). Where gradlab deliberately differs, the case lists the difference: the
 * entries it covers must hold gradlab's own answer, and torch's answer must still be the one the
 * note describes (see docs/special-points.md). Skipped when torch is missing, except under
 * CI=true, where a missing torch fails the suite.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { grad, hessian, jvp, ones, sum, tensor } from "gradlab";
import type { Tensor } from "gradlab";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./special_points_ref.py", import.meta.url));
import {
  RTOL,
  ATOL,
  SPECIAL,
  decode,
  toTensor,
  numbers,
  show,
  isNaN,
  CASES,
  type Fn,
  type Json,
  type Difference,
  type Case,
  type TorchResult,
} from "./special-points-cases.js";

/** One number per entry of a quantity, by every mode gradlab computes it in. */
interface Computed {
  quantity: string;
  torch: number[];
  shape: number[];
  modes: Record<string, () => Tensor>;
}

const NAMES = ["x", "y", "z"];
const onesLike = (t: Tensor) => ones(t.shape);

/** f with input k replaced by z. */
function at(f: Fn, args: Tensor[], k: number): (z: Tensor) => Tensor {
  return (z) => f(...args.map((a, i) => (i === k ? z : a)));
}

/** The forward-mode derivative of elementwise f in input k, along ones: ∂f/∂x_k entry by entry. */
function jvpIn(f: Fn, k: number): Fn {
  return (...args) => jvp(at(f, args, k), [args[k]], [onesLike(args[k])])[1];
}

/** The reverse-mode gradient of sum(f) in input k. */
function gradIn(f: Fn, k: number): Fn {
  return (...args) => grad(at((...a) => sum(f(...a)), args, k))(args[k]);
}

/** What to compare for an elementwise case: value, first and second partials in every mode. */
function elementwise(c: Case, want: TorchResult, args: Tensor[]): Computed[] {
  const f = SPECIAL[c.fn];
  const out: Computed[] = [{ quantity: "value", torch: numbers(want.value!), shape: want.value!.shape, modes: { eval: () => f(...args) } }];
  c.argnums.forEach((k, a) => {
    out.push({
      quantity: `d/d${NAMES[k]}`,
      torch: numbers(want.grads![a]),
      shape: want.grads![a].shape,
      modes: { grad: () => gradIn(f, k)(...args), jvp: () => jvpIn(f, k)(...args) },
    });
    c.argnums.forEach((j, b) => {
      const w = want.second![a][b];
      out.push({
        quantity: k === j ? `d2/d${NAMES[k]}2` : `d2/d${NAMES[k]}d${NAMES[j]}`,
        torch: numbers(w),
        shape: w.shape,
        modes: {
          "grad of grad": () => gradIn(gradIn(f, k), j)(...args),
          "jvp of grad": () => jvpIn(gradIn(f, k), j)(...args),
          "jvp of jvp": () => jvpIn(jvpIn(f, k), j)(...args),
          "grad of jvp": () => gradIn(jvpIn(f, k), j)(...args),
        },
      });
    });
  });
  if (args.length === 1) {
    // The Hessian of sum(f) is diagonal, f'' on the diagonal. Off it, forward mode's basis
    // directions meet infinite entries as 0 · ∞ = NaN, where torch's reverse-over-reverse has its
    // own NaNs: only the diagonal is compared.
    out.find((q) => q.quantity === "d2/dx2")!.modes["diagonal of hessian"] = () => diagonal(hessian((x) => sum(f(x)))(args[0]));
  }
  return out;
}

/** What to compare for a Taylor case: the k-th derivatives, by k nested grads and k nested jvps. */
function taylorQuantities(c: Case, want: TorchResult, args: Tensor[]): Computed[] {
  const f = SPECIAL[c.fn];
  return want.derivatives!.map((w, i) => {
    const k = i + 1;
    let byGrad: Fn = f;
    let byJvp: Fn = f;
    let mixed: Fn = f;
    for (let m = 0; m < k; m++) {
      byGrad = gradIn(byGrad, 0);
      byJvp = jvpIn(byJvp, 0);
      mixed = m % 2 === 0 ? jvpIn(mixed, 0) : gradIn(mixed, 0);
    }
    const modes: Record<string, () => Tensor> = {
      [`grad^${k}`]: () => byGrad(...args),
      [`jvp^${k}`]: () => byJvp(...args),
      "alternating jvp/grad": () => mixed(...args),
    };
    if (k === 2) modes["diagonal of hessian"] = () => diagonal(hessian((x) => sum(f(x)))(args[0]));
    return { quantity: `d${k}/dx${k}`, torch: numbers(w), shape: w.shape, modes };
  });
}

/** What to compare for a scalar case: value, gradients, Hessian blocks. */
function scalarQuantities(c: Case, want: TorchResult, args: Tensor[]): Computed[] {
  const f = SPECIAL[c.fn];
  const out: Computed[] = [{ quantity: "value", torch: numbers(want.value!), shape: want.value!.shape, modes: { eval: () => f(...args) } }];
  // Forward mode's gradient pushes the basis directions e_i, whose zero entries meet an infinite
  // or NaN entry elsewhere as 0 · ∞ = NaN (in any forward mode: JAX's jvp, torch's forward AD):
  // with such an entry only reverse mode is compared.
  const finite = args.every((t) => t.toFloat64Array().every(Number.isFinite));
  c.argnums.forEach((k, a) => {
    const modes: Record<string, () => Tensor> = { grad: () => grad(at(f, args, k))(args[k]) };
    if (finite) modes.jvp = () => jvpGradient(at(f, args, k), args[k]);
    out.push({ quantity: `d/d${NAMES[k]}`, torch: numbers(want.grads![a]), shape: want.grads![a].shape, modes });
  });
  const h = want.hessian as Json[][] | { error: string };
  if ("error" in h) throw new Error(`torch's Hessian raised: ${h.error}`);
  c.argnums.forEach((k, a) =>
    c.argnums.forEach((j, b) => {
      const w = h[a][b];
      out.push({
        quantity: `d2/d${NAMES[k]}d${NAMES[j]}`,
        torch: numbers(w),
        shape: w.shape,
        modes: { hessian: () => (hessian(f, { argnums: c.argnums })(...args) as Tensor[][])[a][b] },
      });
    }),
  );
  return out;
}

/** The diagonal of an n x n matrix as a vector of n. */
function diagonal(h: Tensor): Tensor {
  const n = Math.round(Math.sqrt(h.size));
  const d = h.toFloat64Array();
  return tensor(
    Float64Array.from({ length: n }, (_, i) => d[i * n + i]),
    [n],
  );
}

/** The gradient of a scalar f by forward mode: one jvp per basis direction. */
function jvpGradient(f: (z: Tensor) => Tensor, x: Tensor): Tensor {
  const g = new Float64Array(x.size);
  for (let i = 0; i < x.size; i++) {
    const e = new Float64Array(x.size);
    e[i] = 1;
    g[i] = jvp(f, [x], [tensor(e, x.shape)])[1].item();
  }
  return tensor(g, x.shape);
}

/** Entries agree: both NaN, equal (±0 alike, infinities by sign), or finite and within atol + RTOL |b|. */
function same(a: number, b: number, atol = ATOL): boolean {
  if (isNaN(a) || isNaN(b)) return isNaN(a) && isNaN(b);
  if (a === b) return true;
  return Number.isFinite(a) && Number.isFinite(b) && Math.abs(a - b) <= atol + RTOL * Math.abs(b);
}

/** A difference's answer at an entry. */
const answer = (v: Difference["gradlab"], p: number[], i: number): number => (typeof v === "number" ? v : v(p, i));

/** The inputs at flat entry i of an elementwise result (all inputs share its shape). */
function pointAt(c: Case, i: number): number[] {
  return c.inputs.map((j) => decode(j.data[i]));
}

function torchAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

const required = process.env.CI === "true";
const available = torchAvailable();

describe.skipIf(!available && !required)("gradlab vs torch at special points (float64)", () => {
  let torch: Record<string, TorchResult>;

  beforeAll(() => {
    if (!available) throw new Error(`torch: expected ${PYTHON} with python3-torch (CI=true requires it), got no importable torch`);
    const request = JSON.stringify({ cases: CASES.map(({ differs: _, error: __, atol: ___, ...c }) => c) });
    const r = spawnSync(PYTHON, [SCRIPT], { input: request, encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`special_points_ref.py failed (exit ${r.status}): ${r.stderr}`);
    torch = (JSON.parse(r.stdout) as { results: Record<string, TorchResult> }).results;
  });

  it("ran every case, and every function has its torch twin", () => {
    expect(Object.keys(torch).sort()).toEqual(CASES.map((c) => c.id).sort());
    for (const c of CASES) expect(SPECIAL[c.fn], c.fn).toBeTypeOf("function");
  });

  describe.each(CASES.filter((c) => c.error === true))("$id", (c) => {
    it("is an error in both", () => {
      expect(torch[c.id].error).toBeTypeOf("string");
      expect(() => SPECIAL[c.fn](...c.inputs.map(toTensor))).toThrow();
    });
  });

  describe.each(CASES.filter((c) => typeof c.error === "object"))("$id", (c) => {
    it("is an error in gradlab, a number in torch, as documented", () => {
      const { torch: value } = c.error as { torch: number };
      expect(same(numbers(torch[c.id].value!)[0], value), `torch's value ${torch[c.id].value!.data[0]}`).toBe(true);
      expect(() => SPECIAL[c.fn](...c.inputs.map(toTensor))).toThrow(`${c.fn}: matrix is not positive definite`);
    });
  });

  describe.each(CASES.filter((c) => c.error === undefined))("$id", (c) => {
    it("agrees with torch in every mode, or differs as documented", () => {
      const want = torch[c.id];
      expect(want.error, `torch raised: ${want.error}`).toBeUndefined();
      const args = c.inputs.map(toTensor);
      const quantities =
        c.kind === "elementwise"
          ? elementwise(c, want, args)
          : c.kind === "taylor"
            ? taylorQuantities(c, want, args)
            : scalarQuantities(c, want, args);
      const failures: string[] = [];
      const used = new Set<Difference>();
      for (const q of quantities) {
        for (const [mode, compute] of Object.entries(q.modes)) {
          let got: number[];
          try {
            got = Array.from(compute().toFloat64Array());
          } catch (e) {
            failures.push(`${q.quantity} by ${mode}: threw ${(e as Error).message}`);
            continue;
          }
          if (got.length !== q.torch.length) {
            failures.push(`${q.quantity} by ${mode}: ${got.length} entries, torch has ${q.torch.length}`);
            continue;
          }
          got.forEach((g, i) => {
            const p = c.kind === "scalar" ? [] : pointAt(c, i);
            const d = c.differs?.find((x) => x.quantity === q.quantity && x.where(p, i));
            const label = `${q.quantity} by ${mode} at ${c.kind === "scalar" ? `entry ${i}` : `(${p.map(show).join(", ")})`}`;
            if (d) {
              used.add(d);
              const [mine, theirs] = [answer(d.gradlab, p, i), answer(d.torch, p, i)];
              if (!same(g, mine, c.atol)) failures.push(`${label}: gradlab ${g}, its documented answer is ${mine}`);
              if (!same(q.torch[i], theirs, c.atol)) failures.push(`${label}: torch ${q.torch[i]}, the difference's note says ${theirs}`);
            } else if (!same(g, q.torch[i], c.atol)) {
              failures.push(`${label}: gradlab ${g}, torch ${q.torch[i]}`);
            }
          });
        }
      }
      for (const d of c.differs ?? []) if (!used.has(d)) failures.push(`documented difference on ${d.quantity} selects no entry`);
      expect(failures).toEqual([]);
    });
  });
});
