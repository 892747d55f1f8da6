/** @file Unit tests for built-in magic helpers: IPython time formats, %time's output order, %whos table, %precision, kernelspec options. */
import { describe, expect, it } from "vitest";
import { kernelDir, parseSpecArgs } from "../../cli/install/places.js";
import timeMagics, { formatTime, timeitSummary } from "../../kernel/magics/time.js";
import type { MagicContext } from "../../kernel/magics/registry.js";
import { whosTable } from "../../kernel/magics/who.js";
import precisionMagic, { parsePrecision } from "../../kernel/magics/precision.js";
import { resetPrintOptions, setPrintOptions, tensor } from "gradlab";
import { parseWritefileArgs } from "../../kernel/magics/writefile.js";

describe("IPython time formats", () => {
  it("formats like IPython's _format_time (3 significant digits)", () => {
    expect(formatTime(2)).toBe("2 s");
    expect(formatTime(0.0123)).toBe("12.3 ms");
    expect(formatTime(1.5e-7)).toBe("150 ns");
    expect(formatTime(4.56e-5)).toBe("45.6 µs");
    expect(formatTime(0)).toBe("0 ns");
  });
  it("summarises runs as mean ± population std. dev. per loop", () => {
    // mean 2 µs, std sqrt(((1-2)² + (3-2)²)/2) = 1 µs
    expect(timeitSummary([1e-6, 3e-6], 1000)).toBe("2 µs ± 1 µs per loop (mean ± std. dev. of 2 runs, 1,000 loops each)");
    expect(timeitSummary([5e-3], 1)).toBe("5 ms ± 0 ns per loop (mean ± std. dev. of 1 run, 1 loop each)");
  });
});

it("%whos lists type and shape/length/preview", () => {
  const t = whosTable({
    W: { shape: [2, 3], constructor: { name: "Tensor" } },
    xs: [1, 2],
    n: 5,
    f: function g(a: number) {
      return a;
    },
  });
  expect(t.split("\n")).toEqual([
    "Variable   Type       Data/Info",
    "-------------------------------",
    "W          Tensor     shape [2, 3]",
    "f          function   g(1 arg)",
    "n          number     5",
    "xs         Array      length 2",
    "",
  ]);
});

it("%whos shows numbers and tensor entries in the %precision digits", () => {
  setPrintOptions({ precision: 12 });
  try {
    const t = whosTable({ t: tensor([2 / 3, 1]), third: 1 / 3 });
    expect(t).toContain("t          Tensor   shape [2]: [0.666666666667, 1]");
    expect(t).toContain("third      number   0.333333333333");
  } finally {
    resetPrintOptions();
  }
  expect(whosTable({ third: 1 / 3 })).toContain("third      number   0.3333333333333333");
});

it("%precision takes 1-17 digits or nothing, and says what it expected", () => {
  expect(parsePrecision(" 12 ")).toBe(12);
  expect(parsePrecision("")).toBeNull();
  expect(() => parsePrecision("0")).toThrow('expected a number of digits from 1 to 17, got "0"');
  expect(() => parsePrecision("%.3f")).toThrow("IPython's format strings such as %.3f are not supported");
});

/**
 * A context that runs "code" given as a function's name in `scope` and logs, in order, what a
 * magic writes and shows; runCell shows the value as soon as the code ends, as the kernel's does.
 */
function loggingCtx(scope: Record<string, () => unknown>): { ctx: MagicContext; log: string[] } {
  const log: string[] = [];
  const evaluate = async (code: string) => scope[code.trim()]();
  const ctx = {
    evaluate,
    runCell: async (code: string) => {
      const v = await evaluate(code);
      if (v !== undefined) log.push(`display ${String(v)}`);
    },
    display: (v: unknown) => void log.push(`display ${String(v)}`),
    stdout: (t: string) => void log.push(`stdout ${t}`),
    stderr: (t: string) => void log.push(`stderr ${t}`),
  } as Partial<MagicContext> as MagicContext;
  return { ctx, log };
}

describe("%time and %%time", () => {
  const time = timeMagics.find((m) => m.name === "time")!;
  const times = /^stdout CPU times: user \S+ \S+, sys: \S+ \S+, total: \S+ \S+\nWall time: \S+ \S+\n$/;

  it("print the times, then return the value as the cell's result, as IPython does (times, then Out[])", async () => {
    for (const mode of ["line", "cell"] as const) {
      const { ctx, log } = loggingCtx({ answer: () => 42 });
      const out = await time.run({ name: "time", mode, args: mode === "line" ? "answer" : "", body: mode === "cell" ? "answer" : "" }, ctx);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatch(times);
      expect(out).toEqual({ value: 42 });
    }
  });

  it("show nothing for code without a value, and still print the times when it fails", async () => {
    const { ctx, log } = loggingCtx({
      statement: () => undefined,
      boom: () => {
        throw new Error("boom");
      },
    });
    expect(await time.run({ name: "time", mode: "cell", args: "", body: "statement" }, ctx)).toEqual({ value: undefined });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(times);
    await expect(time.run({ name: "time", mode: "line", args: "boom", body: "" }, ctx)).rejects.toThrow("boom");
    expect(log).toHaveLength(2);
    expect(log[1]).toMatch(times);
  });
});

it("%precision 3 prints tensors with numpy's precision 3, large entries included", async () => {
  const { ctx, log } = loggingCtx({});
  try {
    await precisionMagic.run({ name: "precision", mode: "line", args: "3", body: "" }, ctx);
    expect(log).toEqual(["stdout precision: tensors 3 decimals, tables 3 significant digits\n"]);
    // numpy 2.4: np.set_printoptions(precision=3); repr(np.array([12345678.9, 0.5])) is
    // array([1.235e+07, 5.000e-01]) and repr(np.array([123.456, 0.5])) array([123.456,   0.5  ])
    // (numpy's own floatmode pads with spaces; gradlab's layout pads with zeros, numpy's maxprec_equal)
    expect(String(tensor([12345678.9, 0.5]))).toBe("tensor([1.235e+07, 5.000e-01])");
    expect(String(tensor([123.456, 0.5]))).toBe("tensor([123.456,   0.500])");
    await precisionMagic.run({ name: "precision", mode: "line", args: "", body: "" }, ctx);
    expect(log[1]).toBe("stdout precision: the defaults\n");
    expect(String(tensor([12345678.9, 0.5]))).toBe("tensor([1.23456789e+07, 5.00000000e-01])");
  } finally {
    resetPrintOptions();
  }
});

describe("kernelspec options", () => {
  it("parses where to install and rejects bad combinations", () => {
    expect(parseSpecArgs([], "install")).toEqual({ where: "user" });
    expect(parseSpecArgs(["--prefix=/tmp/p", "--python", "/usr/bin/python3"], "install")).toEqual({
      where: "prefix",
      prefix: "/tmp/p",
      python: "/usr/bin/python3",
    });
    expect(() => parseSpecArgs(["--prefix"], "install")).toThrow("gradlab install: --prefix expects a value, got nothing");
    expect(() => parseSpecArgs(["--sys-prefix", "--user"], "uninstall")).toThrow("expected at most one of");
    expect(kernelDir({ where: "prefix", prefix: "/tmp/p" })).toBe("/tmp/p/share/jupyter/kernels/gradlab");
  });
});

it("%%writefile reads -a and one (maybe quoted) file name; anything else is a usage error", () => {
  expect(parseWritefileArgs("mod.ts")).toEqual({ append: false, path: "mod.ts" });
  expect(parseWritefileArgs('--append "my file.ts"')).toEqual({ append: true, path: "my file.ts" });
  expect(() => parseWritefileArgs("")).toThrow("missing file name");
  expect(() => parseWritefileArgs("-x a.ts")).toThrow("unknown flag -x");
  expect(() => parseWritefileArgs("a.ts b.ts")).toThrow("expected one file name, got 2");
});
