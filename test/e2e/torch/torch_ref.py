"""@file Float64 reference values from PyTorch for test/e2e/torch/*.test.ts.

Reads {"cases": [...]} as JSON on stdin and writes {"torch": version, "results": {id: {...}}} on
stdout. A case is {"id", "fn", "inputs": [tensor, ...], "argnums": [i, ...], "hessian": i?,
"hvp": {"argnum": i, "v": tensor}?, "jacobian": i?}; a tensor is {"data": [flat numbers], "shape": [dims]}.
Each result holds "value" (of f summed), "grads" (one per argnum), and "hessian" / "hvp" /
"jacobian" when asked.
The functions below mirror, one for one, the gradlab definitions in functions.ts.
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)


def softplus(t):
    # ln(1 + e^t), exact for any |t| and twice differentiable by torch: F.softplus switches to t
    # above 20, and the second derivative of logaddexp(0, t) is NaN at t = -1000 (torch 1.13).
    # Each branch sees a clamped input, so the unselected one never overflows (0 * inf = NaN).
    pos = torch.clamp(t, min=0)
    neg = torch.clamp(t, max=0)
    return torch.where(t > 0, pos + torch.log1p(torch.exp(-pos)), torch.log1p(torch.exp(neg)))


def seminar(x, w, b):
    # Seminar item 3: (sigma(w.x + b) - t)^2 / 2 + lambda * |w|^2 / 2 with t = 0.3, lambda = 0.1.
    return (torch.sigmoid(w @ x + b) - 0.3) ** 2 / 2 + 0.1 * 0.5 * (w @ w)


def mlp(w1, b1, w2, b2, x, y):
    out = w2 @ torch.tanh(w1 @ x + b1) + b2
    return 0.5 * ((out - y) ** 2).sum()


def chain(x, ops=30):
    # The W4 benchmark chain: sin, multiply by x, add x for op k mod 3 = 0, 1, 2.
    y = x
    for k in range(ops):
        y = torch.sin(y) if k % 3 == 0 else (y * x if k % 3 == 1 else y + x)
    return y


FUNCTIONS = {
    "logistic": lambda a, x: softplus(a @ x).sum(),
    "logdet": lambda x: torch.logdet(x),
    "seminar": seminar,
    "mlp": mlp,
    "softplus": lambda t, c: (softplus(t) * c).sum(),
    "sigmoid": lambda t, c: (torch.sigmoid(t) * c).sum(),
    "inv": lambda a, c: (torch.linalg.inv(a) * c).sum(),
    "solve": lambda a, b, c: (torch.linalg.solve(a, b) * c).sum(),
    "cholesky": lambda x, c: (torch.linalg.cholesky(x) * c).sum(),
    "det": lambda x: torch.linalg.det(x),
    "matmulChain": lambda a, b, c, d: torch.sin(a @ b @ c @ d).sum(),
    "chain": chain,
    # Vector-valued: only its "jacobian" is asked for (its "value" is the sum of outputs).
    "tanhLayer": lambda w, x: torch.tanh(w @ x),
}


def to_tensor(o):
    return torch.tensor(o["data"], dtype=torch.float64).reshape(o["shape"])


def to_json(t):
    t = t.detach()
    return {"data": t.reshape(-1).tolist(), "shape": list(t.shape)}


def run(case):
    f = FUNCTIONS[case["fn"]]
    inputs = [to_tensor(t).requires_grad_(True) for t in case["inputs"]]
    value = f(*inputs).sum()
    grads = torch.autograd.grad(value, [inputs[i] for i in case["argnums"]])
    out = {"value": value.item(), "grads": [to_json(g) for g in grads]}
    if "hessian" in case or "hvp" in case or "jacobian" in case:
        plain = [to_tensor(t) for t in case["inputs"]]

        def partial(k):
            def g(z):
                args = list(plain)
                args[k] = z
                return f(*args)
            return g

        if "hessian" in case:
            k = case["hessian"]
            out["hessian"] = to_json(torch.autograd.functional.hessian(partial(k), plain[k]))
        if "jacobian" in case:
            k = case["jacobian"]
            out["jacobian"] = to_json(torch.autograd.functional.jacobian(partial(k), plain[k]))
        if "hvp" in case:
            k = case["hvp"]["argnum"]
            _, hv = torch.autograd.functional.hvp(partial(k), plain[k], to_tensor(case["hvp"]["v"]))
            out["hvp"] = to_json(hv)
    return out


def main():
    request = json.load(sys.stdin)
    results = {case["id"]: run(case) for case in request["cases"]}
    json.dump({"torch": torch.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
