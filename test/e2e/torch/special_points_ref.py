"""@file Float64 reference values from PyTorch at special points, for test/e2e/torch/special-points.test.ts.

Reads {"cases": [...]} as JSON on stdin and writes {"torch": version, "results": {id: {...}}} on
stdout. A case is {"id", "fn", "kind", "inputs": [tensor, ...], "argnums": [i, ...], "order": n?};
a tensor is {"data": [numbers], "shape": [dims]}, where a number that JSON cannot spell is the
string "NaN", "Infinity" or "-Infinity" (both ways; the request spells -0 as "-0", the answer as
the number -0.0).

Kinds:
- "elementwise": f maps its inputs entry by entry. "value" is f's output; "grads"[a] is the
  gradient of sum(f) in input argnums[a]; "second"[a][b] is the gradient of sum(grads[a]) in input
  argnums[b], which for an elementwise f is the second partial derivative entry by entry.
- "taylor": one input, f elementwise; "derivatives"[k - 1] is the k-th derivative entry by entry
  (the gradient of the sum of the (k-1)-th), k = 1..order.
- "scalar": f returns a scalar; "value", "grads" and "hessian"[a][b], the Hessian blocks in inputs
  argnums[a] and argnums[b].
A case whose evaluation raises gives {"error": message}; one whose gradient raises gives its
"value" and {"error": message}; a Hessian that raises gives {"error": message} in its place.

The functions below mirror, one for one, SPECIAL in special-points.test.ts.
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)


def pow_const(n):
    # A Python-number exponent, as gradlab's pow(x, n) with a constant n (torch's scalar overload).
    return lambda x: x ** n


FUNCTIONS = {
    # Unary elementwise.
    "neg": lambda x: -x,
    "exp": torch.exp,
    "log": torch.log,
    "log1p": torch.log1p,
    "expm1": torch.expm1,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "softplus": F.softplus,
    "sqrt": torch.sqrt,
    "abs": torch.abs,
    "sign": torch.sign,
    "relu": torch.relu,
    "square": lambda x: x * x,
    "pow0": pow_const(0.0),
    "pow1": pow_const(1.0),
    "pow2": pow_const(2.0),
    "pow3": pow_const(3.0),
    "pow4": pow_const(4.0),
    "powHalf": pow_const(0.5),
    "pow1.5": pow_const(1.5),
    "powMinus1": pow_const(-1.0),
    "powMinus2": pow_const(-2.0),
    "powMinusHalf": pow_const(-0.5),
    "expBase2": lambda y: torch.pow(2.0, y),
    "expBase0": lambda y: torch.pow(0.0, y),
    # Binary elementwise (tensor operands on both sides).
    "add": torch.add,
    "sub": torch.sub,
    "mul": torch.mul,
    "div": torch.div,
    "pow": torch.pow,
    "maximum": torch.maximum,
    "minimum": torch.minimum,
    # Scalar-valued.
    "sum": torch.sum,
    "mean": torch.mean,
    "max": torch.amax,
    "maxRows": lambda x: torch.amax(x, dim=1).sum(),
    "norm": torch.linalg.norm,
    "dot": lambda a, b: a @ b,
    "matmul": lambda a, b: (a @ b).sum(),
    "transpose": lambda x, w: (x.T * w).sum(),
    "reshape": lambda x, w: (x.reshape(4) * w).sum(),
    "broadcast": lambda x, w: (x.expand(3, 2) * w).sum(),
    "diagonal": lambda x, w: (torch.diagonal(x) * w).sum(),
    "diagMatrix": lambda x, w: (torch.diag(x) * w).sum(),
    "stackRows": lambda x, w: (torch.stack([x[1], x[0]]) * w).sum(),
    "trace": torch.trace,
    "outer": lambda a, b: torch.outer(a, b).sum(),
    "det": torch.linalg.det,
    "logdet": torch.logdet,
    "inv": lambda x: torch.linalg.inv(x).sum(),
    "solve": lambda a, b: torch.linalg.solve(a, b).sum(),
    "cholesky": lambda x: torch.linalg.cholesky(x).sum(),
}


def decode(v):
    return float(v) if isinstance(v, str) else v


def encode(v):
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "Infinity" if v > 0 else "-Infinity"
    return v


def to_tensor(o):
    return torch.tensor([decode(v) for v in o["data"]], dtype=torch.float64).reshape(o["shape"])


def to_json(t):
    t = t.detach()
    return {"data": [encode(v) for v in t.reshape(-1).tolist()], "shape": list(t.shape)}


def gradient(y, x):
    """d sum(y) / dx, kept differentiable; zeros when y does not depend on x."""
    if not y.requires_grad:
        return torch.zeros_like(x)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True, allow_unused=True)
    # torch answers a structurally zero derivative (abs'' through sgn) with a storage-less zero tensor.
    return torch.zeros_like(x) if g is None or g._is_zerotensor() else g


def guarded(compute):
    try:
        return compute()
    except RuntimeError as e:
        return {"error": str(e).splitlines()[0]}


def run(case):
    f = FUNCTIONS[case["fn"]]
    kind = case["kind"]
    argnums = case["argnums"]
    inputs = [to_tensor(t).requires_grad_(True) for t in case["inputs"]]
    try:
        y = f(*inputs)
    except RuntimeError as e:
        return {"error": str(e).splitlines()[0]}
    out = {"value": to_json(y)}
    if kind == "taylor":
        x = inputs[argnums[0]]
        ders = []
        g = y
        for _ in range(case["order"]):
            g = gradient(g, x)
            ders.append(to_json(g))
        out["derivatives"] = ders
        return out
    try:
        grads = [gradient(y, inputs[k]) for k in argnums]
    except RuntimeError as e:
        out["error"] = str(e).splitlines()[0]
        return out
    out["grads"] = [to_json(g) for g in grads]
    plain = [to_tensor(t) for t in case["inputs"]]

    def partial(*zs):
        args = list(plain)
        for k, z in zip(argnums, zs):
            args[k] = z
        return f(*args)

    if kind == "elementwise":
        out["second"] = [[to_json(gradient(g, inputs[k])) for k in argnums] for g in grads]
    else:
        def blocks():
            h = torch.autograd.functional.hessian(partial, tuple(plain[k] for k in argnums))
            return [[to_json(h[a][b]) for b in range(len(argnums))] for a in range(len(argnums))]

        out["hessian"] = guarded(blocks)
    return out


def main():
    request = json.load(sys.stdin)
    results = {case["id"]: run(case) for case in request["cases"]}
    json.dump({"torch": torch.__version__, "results": results}, sys.stdout, allow_nan=False)


if __name__ == "__main__":
    main()
