/**
 * @file The hand-written benchmark baselines (bench/baselines.ts) against python3-torch float64:
 * the benchmark's ratios mean something only if its baselines compute the right thing.
 * Skipped when torch is missing, except under CI=true, where a missing torch fails the suite.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { Rng } from "gradlab";
import {
  logdetAndInverse,
  logisticHvp,
  logisticValue,
  logisticValueAndGrad,
  scalarChainValueAndGrad,
  tanhJacobian,
} from "../../../bench/baselines.js";
import { normals, spd } from "../../support/rng.js";

const PYTHON = "/usr/bin/python3";
const SCRIPT = fileURLToPath(new URL("./torch_ref.py", import.meta.url));
const RTOL = 1e-10;
const ATOL = 1e-12;
/** The length of the chain torch_ref.py's `chain` runs. */
const CHAIN_OPS = 30;

const rng = new Rng(7);
const [m, n] = [7, 5];
const a = normals(rng, m * n);
const x = normals(rng, n);
const v = normals(rng, n);
const xSpd = spd(rng, 6);
const w = normals(rng, m * n);
const json = (data: Float64Array, shape: number[]) => ({ data: Array.from(data), shape });

const CASES = [
  { id: "logistic", fn: "logistic", inputs: [json(a, [m, n]), json(x, [n])], argnums: [1], hvp: { argnum: 1, v: json(v, [n]) } },
  { id: "logdet", fn: "logdet", inputs: [json(xSpd, [6, 6])], argnums: [0] },
  { id: "chain", fn: "chain", inputs: [json(Float64Array.of(0.5), [])], argnums: [0] },
  { id: "tanhLayer", fn: "tanhLayer", inputs: [json(w, [m, n]), json(x, [n])], argnums: [1], jacobian: 1 },
];

interface Result {
  value: number;
  grads: { data: number[] }[];
  hvp?: { data: number[] };
  jacobian?: { data: number[]; shape: number[] };
}

const required = process.env.CI === "true";
const available = spawnSync(PYTHON, ["-c", "import torch"], { stdio: "ignore" }).status === 0;

describe.skipIf(!available && !required)("bench baselines vs torch (float64)", () => {
  let torch: Record<string, Result>;

  beforeAll(() => {
    if (!available) throw new Error(`torch: expected ${PYTHON} with python3-torch (CI=true requires it), got no importable torch`);
    const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify({ cases: CASES }), encoding: "utf8" });
    if (r.status !== 0) throw new Error(`torch_ref.py failed (exit ${r.status}): ${r.stderr}`);
    torch = (JSON.parse(r.stdout) as { results: Record<string, Result> }).results;
  });

  it("W1: value, gradient and forward of sum(softplus(A x))", () => {
    const [value, g] = logisticValueAndGrad(a, x, m, n);
    expect(value).toBeAllclose(torch.logistic.value, { rtol: RTOL, atol: ATOL });
    expect(logisticValue(a, x, m, n)).toBeAllclose(torch.logistic.value, { rtol: RTOL, atol: ATOL });
    expect(g).toBeAllclose(torch.logistic.grads[0].data, { rtol: RTOL, atol: ATOL });
  });

  it("W3: Hessian-vector product", () => {
    expect(logisticHvp(a, x, v, m, n)).toBeAllclose(torch.logistic.hvp?.data, { rtol: RTOL, atol: ATOL });
  });

  it("W2: logdet and inverse by Cholesky", () => {
    const [value, inverse] = logdetAndInverse(xSpd, 6);
    expect(value).toBeAllclose(torch.logdet.value, { rtol: RTOL, atol: ATOL });
    expect(inverse).toBeAllclose(torch.logdet.grads[0].data, { rtol: RTOL, atol: ATOL });
  });

  it("W2: a matrix that is not positive definite is rejected", () => {
    expect(() => logdetAndInverse(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/expected a positive definite matrix/);
  });

  it("W4: the scalar chain's value and derivative", () => {
    const [value, d] = scalarChainValueAndGrad(0.5, CHAIN_OPS);
    expect(value).toBeAllclose(torch.chain.value, { rtol: RTOL, atol: ATOL });
    expect(d).toBeAllclose(torch.chain.grads[0].data, { rtol: RTOL, atol: ATOL });
  });

  it("W5: the Jacobian of tanh(W x)", () => {
    const jac = torch.tanhLayer.jacobian;
    expect(jac?.shape).toEqual([m, n]);
    expect(tanhJacobian(w, x, m, n)).toBeAllclose(jac?.data, { rtol: RTOL, atol: ATOL });
  });
});
