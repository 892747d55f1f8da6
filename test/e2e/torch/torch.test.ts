/**
 * @file gradlab against PyTorch (Debian's python3-torch, float64): values, gradients, Hessians and
 * Hessian-vector products of the functions in functions.ts, computed independently by torch_ref.py.
 * Skipped when torch is missing, except under CI=true, where a missing torch fails the suite.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng, grad, hessian, hvp, tensor, valueAndGrad } from "gradlab";
import type { Tensor } from "gradlab";
import { normals, spd } from "../../support/rng.js";
import { FUNCTIONS } from "./functions.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./torch_ref.py", import.meta.url));
/** Two float64 implementations by different algorithms agree to about this. */
const RTOL = 1e-8;
const ATOL = 1e-10;

interface Json {
  data: number[];
  shape: number[];
}
interface Case {
  id: string;
  fn: string;
  inputs: Json[];
  argnums: number[];
  hessian?: number;
  hvp?: { argnum: number; v: Json };
  /** Compare only the symmetric part of gradient k: f is defined on symmetric matrices only. */
  symmetric?: number[];
}
interface TorchResult {
  value: number;
  grads: Json[];
  hessian?: Json;
  hvp?: Json;
}

const rng = new Rng(2024);
const rand = (shape: number[], scale = 1): Json => ({
  data: Array.from(
    normals(
      rng,
      shape.reduce((a, b) => a * b, 1),
      scale,
    ),
  ),
  shape,
});
const spdJson = (n: number): Json => ({ data: Array.from(spd(rng, n)), shape: [n, n] });
function wellConditioned(n: number): Json {
  const a = rand([n, n], 0.3);
  for (let i = 0; i < n; i++) a.data[i * n + i] += 2;
  return a;
}
function symmetricDirection(n: number): Json {
  const v = rand([n, n]);
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) v.data[j * n + i] = v.data[i * n + j];
  return v;
}
/** |t| up to 1e3, plus 0 (the kink of max(t, 0) in a stable softplus). */
const extremes: Json = { data: [-1000, -700, -50, -1, 0, 1e-8, 1, 50, 700, 1000], shape: [10] };

const CASES: Case[] = [
  { id: "logistic", fn: "logistic", inputs: [rand([6, 4]), rand([4])], argnums: [0, 1], hessian: 1, hvp: { argnum: 1, v: rand([4]) } },
  { id: "logdet", fn: "logdet", inputs: [spdJson(5)], argnums: [0], hvp: { argnum: 0, v: symmetricDirection(5) } },
  {
    id: "seminar",
    fn: "seminar",
    inputs: [rand([5]), rand([5]), rand([])],
    argnums: [0, 1, 2],
    hessian: 1,
    hvp: { argnum: 0, v: rand([5]) },
  },
  {
    id: "mlp",
    fn: "mlp",
    inputs: [rand([4, 3]), rand([4]), rand([2, 4]), rand([2]), rand([3]), rand([2])],
    argnums: [0, 1, 2, 3],
    hessian: 1,
    hvp: { argnum: 0, v: rand([4, 3]) },
  },
  { id: "softplus", fn: "softplus", inputs: [extremes, rand([10])], argnums: [0, 1], hessian: 0 },
  { id: "sigmoid", fn: "sigmoid", inputs: [extremes, rand([10])], argnums: [0, 1], hessian: 0 },
  { id: "inv", fn: "inv", inputs: [wellConditioned(4), rand([4, 4])], argnums: [0, 1], hvp: { argnum: 0, v: rand([4, 4]) } },
  {
    id: "solve",
    fn: "solve",
    inputs: [wellConditioned(4), rand([4, 2]), rand([4, 2])],
    argnums: [0, 1, 2],
    hvp: { argnum: 0, v: rand([4, 4]) },
  },
  { id: "cholesky", fn: "cholesky", inputs: [spdJson(4), rand([4, 4])], argnums: [0, 1], symmetric: [0] },
  { id: "det", fn: "det", inputs: [wellConditioned(3)], argnums: [0], hessian: 0 },
  {
    id: "matmulChain",
    fn: "matmulChain",
    inputs: [rand([3, 4], 0.5), rand([4, 5], 0.5), rand([5, 2], 0.5), rand([2, 3], 0.5)],
    argnums: [0, 1, 2, 3],
    hvp: { argnum: 1, v: rand([4, 5]) },
  },
  // Sizes past the SIMD kernels' thresholds, with odd remainders of their unrolling.
  { id: "logistic 131x45", fn: "logistic", inputs: [rand([131, 45], 0.2), rand([45])], argnums: [0, 1], hvp: { argnum: 1, v: rand([45]) } },
  { id: "logdet 37", fn: "logdet", inputs: [spdJson(37)], argnums: [0], hvp: { argnum: 0, v: symmetricDirection(37) } },
  { id: "cholesky 19", fn: "cholesky", inputs: [spdJson(19), rand([19, 19])], argnums: [0, 1], symmetric: [0] },
  {
    id: "matmulChain 17x19x23x5x17",
    fn: "matmulChain",
    inputs: [rand([17, 19], 0.3), rand([19, 23], 0.3), rand([23, 5], 0.3), rand([5, 17], 0.3)],
    argnums: [0, 1, 2, 3],
    hvp: { argnum: 1, v: rand([19, 23]) },
  },
];

const toTensor = (j: Json): Tensor => tensor(Float64Array.from(j.data), j.shape);

/** (G + Gᵀ) / 2 of a square matrix: the part of a gradient that symmetric directions see. */
function symPart(data: ArrayLike<number>, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push((data[i * n + j] + data[j * n + i]) / 2);
  return out;
}

/** f with every argument but number k held at the case's inputs. */
function partial(c: Case, k: number): (z: Tensor) => Tensor {
  const args = c.inputs.map(toTensor);
  return (z) => FUNCTIONS[c.fn](...args.map((a, i) => (i === k ? z : a)));
}

function torchAvailable(): boolean {
  return spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;
}

const required = process.env.CI === "true";
const available = torchAvailable();

describe.skipIf(!available && !required)("gradlab vs torch (float64)", () => {
  let torch: Record<string, TorchResult>;

  beforeAll(() => {
    if (!available) throw new Error(`torch: expected ${PYTHON} with python3-torch (CI=true requires it), got no importable torch`);
    const request = JSON.stringify({ cases: CASES.map(({ symmetric: _, ...c }) => c) });
    const r = spawnSync(PYTHON, [SCRIPT], { input: request, encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`torch_ref.py failed (exit ${r.status}): ${r.stderr}`);
    torch = (JSON.parse(r.stdout) as { results: Record<string, TorchResult> }).results;
  });

  it("ran every case", () => {
    expect(Object.keys(torch).sort()).toEqual(CASES.map((c) => c.id).sort());
  });

  describe.each(CASES)("$id", (c) => {
    it("value and gradients", () => {
      const want = torch[c.id];
      const [value, grads] = valueAndGrad(FUNCTIONS[c.fn], { argnums: c.argnums })(...c.inputs.map(toTensor));
      expect(value.item()).toBeAllclose(want.value, { rtol: RTOL, atol: ATOL });
      c.argnums.forEach((k, i) => {
        expect(grads[i].shape).toEqual(c.inputs[k].shape);
        if (c.symmetric?.includes(k)) {
          const n = c.inputs[k].shape[0];
          expect(symPart(grads[i].toFloat64Array(), n)).toBeAllclose(symPart(want.grads[i].data, n), { rtol: RTOL, atol: ATOL });
        } else {
          expect(grads[i].toFloat64Array()).toBeAllclose(want.grads[i].data, { rtol: RTOL, atol: ATOL });
        }
      });
    });
  });

  describe.each(CASES.filter((c) => c.hessian !== undefined))("$id", (c) => {
    it("Hessian", () => {
      const k = c.hessian as number;
      const h = hessian(partial(c, k))(toTensor(c.inputs[k]));
      const want = torch[c.id].hessian as Json;
      expect(h.shape).toEqual(want.shape);
      expect(h.toFloat64Array()).toBeAllclose(want.data, { rtol: RTOL, atol: ATOL });
    });
  });

  describe.each(CASES.filter((c) => c.hvp !== undefined))("$id", (c) => {
    it("Hessian-vector product", () => {
      const { argnum, v } = c.hvp as { argnum: number; v: Json };
      const hv = hvp(partial(c, argnum), toTensor(c.inputs[argnum]), toTensor(v));
      const want = torch[c.id].hvp as Json;
      expect(hv.shape).toEqual(want.shape);
      expect(hv.toFloat64Array()).toBeAllclose(want.data, { rtol: RTOL, atol: ATOL });
    });
  });

  it("grad (one argument, no argnums) agrees too", () => {
    const c = CASES[0];
    const g = grad(partial(c, 1))(toTensor(c.inputs[1]));
    expect(g.toFloat64Array()).toBeAllclose(torch.logistic.grads[1].data, { rtol: RTOL, atol: ATOL });
  });
});
