/**
 * @file The autodiff workloads W1-W5: gradlab (public API only) against hand-written
 * Float64Array code and tfjs, each timed round-robin in the same run and checked for agreement first.
 */
import { Rng, add, hvp, jacfwd, jacrev, logdet, matmul, mul, sin, softplus, sum, tanh, tensor, valueAndGrad } from "../src/index.js";
import type { Tensor } from "../src/index.js";
import { logdetAndInverse, logisticHvp, logisticValue, logisticValueAndGrad, scalarChainValueAndGrad, tanhJacobian } from "./baselines.js";
import { agree } from "./check.js";
import { atMost, fmt, info, type Figure } from "./report.js";
import { normals, spd } from "../test/support/rng.js";
import { loadTfjsLogistic } from "./tfjs.js";
import { compare, type Stats, type TimingOptions } from "./timing.js";
import { alternateWithTorch, runTorch, type TorchRun } from "./torch.js";

/** What one workload reports: its figures, the raw timings and the agreement errors. */
export interface WorkloadResult {
  figures: Figure[];
  timings: Record<string, Stats>;
  /** Relative errors of gradlab (and tfjs) against the hand-written results. */
  errors: Record<string, number>;
  /** Anything else worth keeping with the figures (e.g. the tfjs backend flags). */
  context?: Record<string, unknown>;
}

/** Float64 results must agree with the hand-written ones to this relative error. */
const F64_TOL = 1e-9;
/** tfjs computes in float32. */
const F32_TOL = 1e-3;
/** The target: W1-W3 at most this many times torch's float64 time on one thread. */
const TORCH_RATIO = 1.5;

const ms = (s: Stats) => `${fmt(s.median)} ms`;
/** e.g. "1.13 1 thread". */
const torchLabel = (t: TorchRun) => `${t.version.replace(/a0$/, "")} ${t.threads} thread${t.threads === 1 ? "" : "s"}`;

/** The faster of torch's routes to the same result, by median time. */
function fastest(t: TorchRun, routes: string[]): [string, Stats] {
  const best = routes.reduce((a, b) => (t.cases[b].median < t.cases[a].median ? b : a));
  return [best, t.cases[best]];
}

/** gradlab's timings with torch's beside them (keys prefixed "torch "), for the JSON file. */
function withTorch(timings: Record<string, Stats>, t: TorchRun | undefined): Record<string, Stats> {
  if (!t) return timings;
  return { ...timings, ...Object.fromEntries(Object.entries(t.cases).map(([k, v]) => [`torch ${k}`, v])) };
}
/** Wall and CPU time: absolute targets are sensitive to the load of the shared machine. */
const msCpu = (s: Stats) => `${fmt(s.median)} ms (cpu ${fmt(s.cpuMedian)} ms)`;

/**
 * W1 (value + gradient of sum(ln(1 + exp(A x))), A 4000 x 1000) and W3 (its HVP).
 *
 * @example
 * const { figures } = await logisticWorkloads(timingOptions);
 */
export async function logisticWorkloads(t: TimingOptions, m = 4000, n = 1000): Promise<WorkloadResult[]> {
  const rng = new Rng(1);
  const aData = normals(rng, m * n, 1 / Math.sqrt(n));
  const xData = normals(rng, n);
  const vData = normals(rng, n);
  const a = tensor(aData, [m, n]);
  const x = tensor(xData, [n]);
  const v = tensor(vData, [n]);
  const loss = (p: Tensor) => sum(softplus(matmul(a, p)));
  const lossVG = valueAndGrad(loss);

  const [hValue, hGrad] = logisticValueAndGrad(aData, xData, m, n);
  const [gValue, gGrad] = lossVG(x);
  const tf = await loadTfjsLogistic(aData, xData, m, n);
  const [tValue, tGrad] = tf.valueAndGrad();
  const errors: Record<string, number> = {
    gradlabValue: agree("W1 gradlab value", [gValue.item()], [hValue], F64_TOL),
    gradlabGrad: agree("W1 gradlab gradient", gGrad.toFloat64Array(), hGrad, F64_TOL),
    gradlabForward: agree("W1 gradlab forward", [loss(x).item()], [logisticValue(aData, xData, m, n)], F64_TOL),
    tfjsValue: agree("W1 tfjs value", [tValue], [hValue], F32_TOL),
    tfjsGrad: agree("W1 tfjs gradient", tGrad, hGrad, F32_TOL),
  };
  const hv = hvp(loss, x, v);
  const w3Errors: Record<string, number> = {
    gradlabHvp: agree("W3 gradlab hvp", hv.toFloat64Array(), logisticHvp(aData, xData, vData, m, n), F64_TOL),
  };
  const w1 = compare(
    {
      gradlab: () => lossVG(x)[1].toFloat64Array(),
      handwritten: () => logisticValueAndGrad(aData, xData, m, n),
      tfjs: () => tf.valueAndGrad(),
      gradlabForward: () => loss(x).item(),
    },
    t,
  );
  const w3 = compare(
    {
      gradlabHvp: () => hvp(loss, x, v).toFloat64Array(),
      gradlabGrad: () => lossVG(x)[1].toFloat64Array(),
      handwrittenHvp: () => logisticHvp(aData, xData, vData, m, n),
    },
    t,
  );
  tf.dispose();
  // Against torch, gradlab's own cases alone, in rounds alternating with torch's: torch's loop
  // touches only its A (32 MB, much of which the last-level cache then holds), so gradlab's loop
  // must not interleave the hand-written and tfjs copies of A, which would evict its A.
  const [[own], torch] = alternateWithTorch(
    (o) => [
      compare(
        {
          valueAndGrad: () => lossVG(x)[1].toFloat64Array(),
          forward: () => loss(x).item(),
          hvp: () => hvp(loss, x, v).toFloat64Array(),
        },
        o,
      ),
    ],
    "logistic",
    { a: aData, x: xData, v: vData },
    { m, n },
    t,
  );
  const W1 = "W1";
  const w1Figures = [
    atMost(
      W1,
      "gradlab / hand-written (value+grad)",
      w1.gradlab.median / w1.handwritten.median,
      "x",
      1.2,
      `gradlab ${ms(w1.gradlab)}, hand-written ${ms(w1.handwritten)}`,
    ),
    atMost(
      W1,
      "gradlab / tfjs-wasm f32 (value+grad)",
      w1.gradlab.median / w1.tfjs.median,
      "x",
      1,
      `gradlab ${ms(w1.gradlab)}, tfjs ${ms(w1.tfjs)} (${String(tf.info.backend)}, simd ${String(tf.info.simd)})`,
    ),
    atMost(
      W1,
      "gradlab gradient / forward",
      w1.gradlab.median / w1.gradlabForward.median,
      "x",
      2.5,
      `value+grad ${ms(w1.gradlab)}, forward ${ms(w1.gradlabForward)}`,
    ),
  ];
  if (torch) {
    errors.torchValue = agree("W1 torch value", torch.results.value, [hValue], F64_TOL);
    errors.torchGrad = agree("W1 torch gradient", torch.results.grad, hGrad, F64_TOL);
    const tc = torch.cases.valueAndGrad;
    w1Figures.unshift(
      atMost(
        W1,
        `gradlab / torch ${torchLabel(torch)} (value+grad)`,
        own.valueAndGrad.median / tc.median,
        "x",
        TORCH_RATIO,
        `gradlab ${msCpu(own.valueAndGrad)}, torch ${msCpu(tc)}`,
      ),
    );
    w1Figures.push(
      info(
        W1,
        "gradlab forward / torch forward",
        own.forward.median / torch.cases.forward.median,
        "x",
        `gradlab ${ms(own.forward)}, torch ${ms(torch.cases.forward)}`,
      ),
    );
  }

  const W3 = "W3";
  const w3Figures: Figure[] = [];
  if (torch) {
    w3Errors.torchHvp = agree("W3 torch hvp", torch.results.hvp, logisticHvp(aData, xData, vData, m, n), F64_TOL);
    const [route, tc] = fastest(torch, ["hvpDoubleBackward", "hvpFunctional"]);
    w3Figures.push(
      atMost(
        W3,
        `gradlab hvp / torch ${torchLabel(torch)} hvp`,
        own.hvp.median / tc.median,
        "x",
        TORCH_RATIO,
        `gradlab ${msCpu(own.hvp)}, torch ${msCpu(tc)} (${route})`,
      ),
    );
  }
  w3Figures.push(
    atMost(
      W3,
      "gradlab hvp / gradlab value+grad",
      w3.gradlabHvp.median / w3.gradlabGrad.median,
      "x",
      3,
      `hvp ${ms(w3.gradlabHvp)}, value+grad ${ms(w3.gradlabGrad)}`,
    ),
    info(
      W3,
      "gradlab hvp / hand-written hvp",
      w3.gradlabHvp.median / w3.handwrittenHvp.median,
      "x",
      `hand-written hvp ${ms(w3.handwrittenHvp)}`,
    ),
  );
  return [
    {
      figures: w1Figures,
      timings: withTorch({ ...w1, ...Object.fromEntries(Object.entries(own).map(([k, v]) => [`gradlab ${k} (torch rounds)`, v])) }, torch),
      errors,
      context: { tfjs: tf.info, torch: torch && torchLabel(torch) },
    },
    { figures: w3Figures, timings: w3, errors: w3Errors },
  ];
}

/**
 * W2: value and gradient of ln det X, X 300 x 300 SPD, against hand-written Cholesky + inverse.
 *
 * @example
 * const { figures } = logdetWorkload(timingOptions);
 */
export function logdetWorkload(t: TimingOptions, n = 300): WorkloadResult {
  const xData = spd(new Rng(2), n);
  const x = tensor(xData, [n, n]);
  const f = valueAndGrad((p: Tensor) => logdet(p));
  const [hValue, hInv] = logdetAndInverse(xData, n);
  const [gValue, gGrad] = f(x);
  const errors: Record<string, number> = {
    gradlabValue: agree("W2 gradlab value", [gValue.item()], [hValue], F64_TOL),
    gradlabGrad: agree("W2 gradlab gradient", gGrad.toFloat64Array(), hInv, F64_TOL),
  };
  // A fresh tensor per call: gradlab caches a Cholesky factor by storage (so the gradient reuses the
  // forward's factor); reusing one tensor across calls would time a cache hit, not a factorisation.
  const [[w2], torch] = alternateWithTorch(
    (o) => [compare({ gradlab: () => f(tensor(xData, [n, n]))[1].toFloat64Array(), handwritten: () => logdetAndInverse(xData, n) }, o)],
    "logdet",
    { x: xData },
    { n },
    t,
  );
  const figures = [
    atMost(
      "W2",
      "gradlab / hand-written Cholesky+inverse",
      w2.gradlab.median / w2.handwritten.median,
      "x",
      1.3,
      `gradlab ${ms(w2.gradlab)}, hand-written ${ms(w2.handwritten)}`,
    ),
  ];
  if (torch) {
    errors.torchValue = agree("W2 torch value", torch.results.value, [hValue], F64_TOL);
    errors.torchGrad = agree("W2 torch gradient", torch.results.grad, hInv, F64_TOL);
    const tc = torch.cases.valueAndGrad;
    figures.unshift(
      atMost(
        "W2",
        `gradlab / torch ${torchLabel(torch)} (logdet+grad)`,
        w2.gradlab.median / tc.median,
        "x",
        TORCH_RATIO,
        `gradlab ${msCpu(w2.gradlab)}, torch ${msCpu(tc)}`,
      ),
    );
  }
  return { figures, timings: withTorch(w2, torch), errors };
}

/**
 * W4: a chain of `ops` scalar ops (sin, multiply, add), value and gradient; microseconds per op.
 *
 * @example
 * const { figures } = scalarChainWorkload(timingOptions);
 */
export function scalarChainWorkload(t: TimingOptions, ops = 100_000): WorkloadResult {
  const chain = (x: Tensor) => {
    let y = x;
    for (let k = 0; k < ops; k++) {
      const r = k % 3;
      y = r === 0 ? sin(y) : r === 1 ? mul(y, x) : add(y, x);
    }
    return y;
  };
  const f = valueAndGrad(chain);
  const x0 = 0.5;
  const [hValue, hGrad] = scalarChainValueAndGrad(x0, ops);
  const [gValue, gGrad] = f(tensor(x0));
  const errors: Record<string, number> = {
    gradlabValue: agree("W4 gradlab value", [gValue.item()], [hValue], F64_TOL),
    gradlabGrad: agree("W4 gradlab gradient", [gGrad.item()], [hGrad], F64_TOL),
  };
  const w4 = compare(
    {
      gradlab: () => f(tensor(x0))[1].item(),
      gradlabForward: () => chain(tensor(x0)).item(),
      handwritten: () => scalarChainValueAndGrad(x0, ops),
    },
    { ...t, maxRounds: Math.min(t.maxRounds ?? 15, 15) },
  );
  const us = (s: Stats) => (1000 * s.median) / ops;
  const figures = [
    atMost("W4", "gradlab forward+backward per op", us(w4.gradlab), "us/op", 0.5, `${msCpu(w4.gradlab)} for ${ops} ops`),
    info("W4", "gradlab forward only per op", us(w4.gradlabForward), "us/op", `${ms(w4.gradlabForward)}`),
    info(
      "W4",
      "gradlab / hand-written tape",
      w4.gradlab.median / w4.handwritten.median,
      "x",
      `hand-written ${ms(w4.handwritten)} (${fmt(us(w4.handwritten))} us/op)`,
    ),
  ];
  // torch's autograd takes ~10 us per scalar op: a shorter chain of the same ops, timed per op.
  const torchOps = Math.min(ops, 3000);
  const torch = runTorch("chain", {}, { ops: torchOps }, { ...t, maxRounds: Math.min(t.maxRounds ?? 15, 15) });
  if (torch) {
    const [tv, tg] = scalarChainValueAndGrad(x0, torchOps);
    errors.torchValue = agree("W4 torch value", torch.results.value, [tv], F64_TOL);
    errors.torchGrad = agree("W4 torch gradient", torch.results.grad, [tg], F64_TOL);
    const tc = torch.cases.valueAndGrad;
    figures.push(
      info(
        "W4",
        `torch ${torchLabel(torch)} forward+backward per op`,
        (1000 * tc.median) / torchOps,
        "us/op",
        `${ms(tc)} for ${torchOps} ops`,
      ),
    );
  }
  return { figures, timings: withTorch(w4, torch), errors };
}

/**
 * W5: the Jacobian of tanh(W x) with jacfwd and jacrev for (n, m) = (1000, 10) and (10, 1000).
 *
 * @example
 * const { figures } = jacobianWorkload(timingOptions);
 */
export function jacobianWorkload(t: TimingOptions): WorkloadResult {
  const figures: Figure[] = [];
  const timings: Record<string, Stats> = {};
  const errors: Record<string, number> = {};
  const torchData: Record<string, Float64Array> = {};
  const torchDims: Record<string, { n: number; m: number }> = {};
  const wants: Record<string, Float64Array> = {};
  for (const [n, m] of [
    [1000, 10],
    [10, 1000],
  ] as const) {
    const tag = `n=${n},m=${m}`;
    const rng = new Rng(3 + n);
    const wData = normals(rng, m * n, 1 / Math.sqrt(n));
    const xData = normals(rng, n);
    const w = tensor(wData, [m, n]);
    const x = tensor(xData, [n]);
    const f = (p: Tensor) => tanh(matmul(w, p));
    const fwd = jacfwd(f);
    const rev = jacrev(f);
    const want = tanhJacobian(wData, xData, m, n);
    torchData[`w ${tag}`] = wData;
    torchData[`x ${tag}`] = xData;
    torchDims[tag] = { n, m };
    wants[tag] = want;
    errors[`jacfwd ${tag}`] = agree(`W5 jacfwd ${tag}`, fwd(x).toFloat64Array(), want, F64_TOL);
    errors[`jacrev ${tag}`] = agree(`W5 jacrev ${tag}`, rev(x).toFloat64Array(), want, F64_TOL);
    const s = compare(
      { jacfwd: () => fwd(x).toFloat64Array(), jacrev: () => rev(x).toFloat64Array(), handwritten: () => tanhJacobian(wData, xData, m, n) },
      t,
    );
    for (const [k, v] of Object.entries(s)) timings[`${k} ${tag}`] = v;
    const basis = `jacfwd ${ms(s.jacfwd)}, jacrev ${ms(s.jacrev)}, hand-written ${ms(s.handwritten)}`;
    const faster = s.jacfwd.median < s.jacrev.median ? s.jacfwd : s.jacrev;
    figures.push(atMost("W5", `faster mode, ${tag}`, faster.median, "ms", 1, `${basis}; faster cpu ${fmt(faster.cpuMedian)} ms`));
    // Seminar item 11: reverse mode wins when n >> m, forward mode when n < m.
    figures.push(
      n > m
        ? atMost("W5", `jacrev / jacfwd, ${tag} (reverse wins)`, s.jacrev.median / s.jacfwd.median, "x", 1, basis)
        : atMost("W5", `jacfwd / jacrev, ${tag} (forward wins)`, s.jacfwd.median / s.jacrev.median, "x", 1, basis),
    );
  }
  const torch = runTorch("jacobian", torchData, torchDims, t);
  if (torch) {
    for (const tag of Object.keys(torchDims)) {
      errors[`torch jacrev ${tag}`] = agree(`W5 torch jacrev ${tag}`, torch.results[`jacrev ${tag}`], wants[tag], F64_TOL);
      const [route, tc] = fastest(torch, [`jacfwd ${tag}`, `jacrev ${tag}`]);
      const faster = Math.min(timings[`jacfwd ${tag}`].median, timings[`jacrev ${tag}`].median);
      figures.push(
        info(
          "W5",
          `gradlab faster mode / torch ${torchLabel(torch)}, ${tag}`,
          faster / tc.median,
          "x",
          `torch ${ms(tc)} (${route.split(" ")[0]})`,
        ),
      );
    }
  }
  return { figures, timings: withTorch(timings, torch), errors };
}
