"""@file The torch column of `npm run bench`: W1-W5 timed in PyTorch float64 on one thread.

Reads {"workload": name, "files": {key: path of raw little-endian float64 data}, "dims": {...},
"timing": {"warmup", "minRounds", "maxRounds", "budgetMs", "minSampleMs"}} as JSON on stdin and
writes {"torch": version, "threads": 1, "cases": {case: {"median", "q1", "q3", "samples",
"inner", "cpuMedian"}}, "results": {case: [numbers]}} on stdout, milliseconds per call. The data are gradlab's
seeded matrices (bench/rng.ts), so both columns time the same numbers; "results" lets the caller
check that torch computed what gradlab did.
"""
import json
import sys
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.set_default_dtype(torch.float64)


def load(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype="<f8").reshape(shape).copy())


def summarize(times, cpu, inner):
    q = np.quantile(np.array(times), [0.25, 0.5, 0.75])
    return {"q1": q[0], "median": q[1], "q3": q[2], "samples": len(times), "inner": inner, "cpuMedian": float(np.median(cpu))}


def compare(cases, t):
    """Times the cases round-robin as bench/timing.ts's `compare` does; ms per call."""
    names = list(cases)
    inner = {}
    for n in names:
        t0 = time.perf_counter()
        cases[n]()
        first = (time.perf_counter() - t0) * 1000
        inner[n] = max(1, int(np.ceil(t["minSampleMs"] / max(first, 1e-3))))
    for _ in range(t["warmup"]):
        for n in names:
            for _ in range(inner[n]):
                cases[n]()
    times = {n: [] for n in names}
    cpu = {n: [] for n in names}
    start = time.perf_counter()
    for r in range(t["maxRounds"]):
        if r >= t["minRounds"] and (time.perf_counter() - start) * 1000 > t["budgetMs"]:
            break
        for n in names:
            t0, c0 = time.perf_counter(), time.process_time()
            for _ in range(inner[n]):
                cases[n]()
            times[n].append((time.perf_counter() - t0) * 1000 / inner[n])
            cpu[n].append((time.process_time() - c0) * 1000 / inner[n])
    return {n: summarize(times[n], cpu[n], inner[n]) for n in names}


def logistic(spec):
    m, n = spec["dims"]["m"], spec["dims"]["n"]
    a = load(spec["files"]["a"], (m, n))
    x0 = load(spec["files"]["x"], (n,))
    v = load(spec["files"]["v"], (n,))
    loss = lambda x: torch.nn.functional.softplus(a @ x).sum()

    def value_and_grad():
        x = x0.clone().requires_grad_(True)
        value = loss(x)
        (g,) = torch.autograd.grad(value, x)
        return value, g

    def hvp_double_backward():
        x = x0.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(loss(x), x, create_graph=True)
        (hv,) = torch.autograd.grad(g @ v, x)
        return hv

    def hvp_functional():
        return torch.autograd.functional.hvp(loss, x0, v)[1]

    cases = {"valueAndGrad": value_and_grad, "forward": lambda: loss(x0), "hvpDoubleBackward": hvp_double_backward, "hvpFunctional": hvp_functional}
    value, g = value_and_grad()
    results = {"value": [value.item()], "grad": g.tolist(), "hvp": hvp_double_backward().tolist()}
    return cases, results


def logdet(spec):
    n = spec["dims"]["n"]
    x0 = load(spec["files"]["x"], (n, n))

    def value_and_grad():
        x = x0.clone().requires_grad_(True)
        value = torch.logdet(x)
        (g,) = torch.autograd.grad(value, x)
        return value, g

    value, g = value_and_grad()
    return {"valueAndGrad": value_and_grad}, {"value": [value.item()], "grad": g.reshape(-1).tolist()}


def chain(spec):
    ops = spec["dims"]["ops"]

    def value_and_grad():
        x = torch.tensor(0.5, requires_grad=True)
        y = x
        for k in range(ops):
            y = torch.sin(y) if k % 3 == 0 else (y * x if k % 3 == 1 else y + x)
        (g,) = torch.autograd.grad(y, x)
        return y, g

    value, g = value_and_grad()
    return {"valueAndGrad": value_and_grad}, {"value": [value.item()], "grad": [g.item()]}


def jacobian(spec):
    cases, results = {}, {}
    for tag, d in spec["dims"].items():
        w = load(spec["files"][f"w {tag}"], (d["m"], d["n"]))
        x = load(spec["files"][f"x {tag}"], (d["n"],))
        f = lambda p, w=w: torch.tanh(w @ p)
        fwd = lambda f=f, x=x: torch.autograd.functional.jacobian(f, x, vectorize=True, strategy="forward-mode")
        rev = lambda f=f, x=x: torch.autograd.functional.jacobian(f, x, vectorize=True)
        cases[f"jacfwd {tag}"] = fwd
        cases[f"jacrev {tag}"] = rev
        results[f"jacrev {tag}"] = rev().reshape(-1).tolist()
    return cases, results


WORKLOADS = {"logistic": logistic, "logdet": logdet, "chain": chain, "jacobian": jacobian}


def main():
    spec = json.load(sys.stdin)
    cases, results = WORKLOADS[spec["workload"]](spec)
    stats = compare(cases, spec["timing"])
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "cases": stats, "results": results}, sys.stdout)


main()
