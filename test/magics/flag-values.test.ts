/** @file Magic flag values may hold blanks when they are balanced expressions (`--cotangent tensor([1, 0])`, inline arrow functions). */
import { describe, expect, it } from "vitest";
import { flagsAnywhere } from "../../kernel/magics/call-args.js";
import { MagicUsageError, parseFlags, scanArgs, type FlagSpec } from "../../kernel/magics/parse.js";

// The specs of the magics whose flags take expressions (kernel/magics/*.ts).
const BACKPROP: Record<string, FlagSpec> = { rankdir: ["LR", "TB"], cotangent: "string" };
const GRADCHECK: Record<string, FlagSpec> = { analytic: "string", hessian: "string", eps: "number", symmetric: ["true", "false"] };
const INTERACT_GRADCHECK: Record<string, FlagSpec> = { analytic: "string", hessian: "string", eps: "number", entries: "string" };
const PLOT: Record<string, FlagSpec> = { range: "string", x: "string", y: "string", title: "string", points: "number" };

/** The message of the usage error `body` throws. */
function usage(body: () => unknown): string {
  try {
    body();
  } catch (e) {
    expect(e).toBeInstanceOf(MagicUsageError);
    return (e as Error).message;
  }
  throw new Error("no usage error");
}

describe("flag values that are balanced expressions", () => {
  it("%backprop --cotangent: a call with a bracketed array, before or after other flags, with = or a blank, leading or trailing", () => {
    const want = { flags: { cotangent: "tensor([1, 0])", rankdir: "TB" }, rest: "f(x, w)" };
    expect(flagsAnywhere("f(x, w) --cotangent tensor([1, 0]) --rankdir TB", BACKPROP)).toEqual(want);
    expect(flagsAnywhere("f(x, w) --rankdir TB --cotangent tensor([1, 0])", BACKPROP)).toEqual(want);
    expect(flagsAnywhere("f(x, w) --cotangent=tensor([1, 0]) --rankdir=TB", BACKPROP)).toEqual(want);
    expect(flagsAnywhere("--cotangent tensor([1, 0]) --rankdir TB f(x, w)", BACKPROP)).toEqual(want);
    expect(flagsAnywhere("f(x, w) --cotangent   tensor([1, 0])  ", BACKPROP)).toEqual({
      flags: { cotangent: "tensor([1, 0])" },
      rest: "f(x, w)",
    });
  });

  it("%gradcheck and %interact gradcheck: inline arrow functions up to the next top-level flag", () => {
    expect(flagsAnywhere("f x --hessian (X: Tensor) => mul(2, eye(2)) --analytic (x) => mul(2, x) --eps 1e-4", GRADCHECK)).toEqual({
      flags: { hessian: "(X: Tensor) => mul(2, eye(2))", analytic: "(x) => mul(2, x)", eps: 1e-4 },
      rest: "f x",
    });
    expect(flagsAnywhere("logdet X --analytic (X: Tensor) => { const Y = inv(X); return transpose(Y); }", GRADCHECK).flags).toEqual({
      analytic: "(X: Tensor) => { const Y = inv(X); return transpose(Y); }",
    });
    // A "--name" inside brackets, strings or templates belongs to the value.
    expect(flagsAnywhere("f x --analytic (v) => sub(v, f(v --k)) --eps 0.001", GRADCHECK).flags).toEqual({
      analytic: "(v) => sub(v, f(v --k))",
      eps: 0.001,
    });
    expect(flagsAnywhere("f x --analytic (v) => g(v, `a --eps ${v --x}`, ' --eps 2') --eps 3", INTERACT_GRADCHECK).flags).toEqual({
      analytic: "(v) => g(v, `a --eps ${v --x}`, ' --eps 2')",
      eps: 3,
    });
    expect(flagsAnywhere("f [1, 2] --entries x[0], x[1] --analytic (v) => v", INTERACT_GRADCHECK)).toEqual({
      flags: { entries: "x[0], x[1]", analytic: "(v) => v" },
      rest: "f [1, 2]",
    });
  });

  it("%plot: negative numbers stay values, a title may have blanks", () => {
    expect(flagsAnywhere("fn (t) => t * t --range -2:2 --title Loss per step --points 50", PLOT)).toEqual({
      flags: { range: "-2:2", title: "Loss per step", points: 50 },
      rest: "fn (t) => t * t",
    });
  });

  it("%timeit's leading flags still end at the first blank", () => {
    expect(parseFlags("-n 5 -r 2 f(x, [1, 2])", { n: "number", r: "number" })).toEqual({ flags: { n: 5, r: 2 }, rest: "f(x, [1, 2])" });
    expect(parseFlags("--cotangent tensor([1, 0]) f(x)", BACKPROP)).toEqual({ flags: { cotangent: "tensor([1, 0])" }, rest: "f(x)" });
  });

  it("an unbalanced value is a usage error naming its flag", () => {
    expect(usage(() => flagsAnywhere("f(x) --cotangent tensor([1, 0]", BACKPROP))).toBe(
      'the value of --cotangent is not a balanced expression: "(" is never closed',
    );
    expect(usage(() => flagsAnywhere("f(x) --cotangent tensor([1, 0])) --rankdir TB", BACKPROP))).toBe(
      'the value of --cotangent is not a balanced expression: ")" closes nothing',
    );
    expect(usage(() => flagsAnywhere("f x --eps 1 --hessian (X: Tensor => mul(2, X)", GRADCHECK))).toBe(
      'the value of --hessian is not a balanced expression: "(" is never closed',
    );
    expect(usage(() => flagsAnywhere("f x --analytic (v) => g(v, 'a)", GRADCHECK))).toBe(
      "the value of --analytic is not a balanced expression: a string (') is never closed",
    );
    expect(usage(() => flagsAnywhere("f x --analytic (v) => `${v", GRADCHECK))).toBe(
      "the value of --analytic is not a balanced expression: a string (`) is never closed",
    );
    expect(usage(() => parseFlags("--cotangent tensor([1, 0] f(x)", BACKPROP))).toBe(
      'the value of --cotangent is not a balanced expression: "(" is never closed',
    );
  });

  it("other misuse keeps its own errors; an unbalanced expression without a flag is left to the compiler", () => {
    expect(usage(() => flagsAnywhere("f(x) --cotangent", BACKPROP))).toBe("flag --cotangent needs a value");
    expect(usage(() => flagsAnywhere("f(x) --cotangent=", BACKPROP))).toBe("flag --cotangent needs a value");
    expect(usage(() => flagsAnywhere("f(x) --cotangnet tensor([1, 0])", BACKPROP))).toBe("unknown flag --cotangnet");
    expect(usage(() => flagsAnywhere("f x --eps (1e-3)", GRADCHECK))).toBe('flag --eps expects a number, got "(1e-3)"');
    expect(flagsAnywhere("f(x, [1, 2)", BACKPROP)).toEqual({ flags: {}, rest: "f(x, [1, 2)" });
  });

  it("scanArgs finds top-level flags only", () => {
    expect(scanArgs("f(a --b) --c [x --d] --e").flagStarts).toEqual([9, 21]);
    expect(scanArgs("a--b --c").flagStarts).toEqual([5]);
    expect(scanArgs("tensor([1, 0]) rest", true).end).toBe(14);
  });
});
