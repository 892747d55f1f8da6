/** @file `%timeit` times code whose value is used: the timed function returns the last expression, the loop keeps each value. */
import { describe, expect, it } from "vitest";
import timeMagics, { timedBody, timeLoops, timingLoop } from "../../kernel/magics/time.js";
import { loadTypeScript } from "../../kernel/engine/compiler/ts-loader.js";
import { fakeMagicContext } from "../support/magic-context.js";

const timeit = timeMagics.find((m) => m.name === "timeit")!;
const { ts } = loadTypeScript();

/** A context whose evaluate compiles TypeScript (as the kernel does) and records every value the timed function returns. */
function recordingCtx() {
  const returned: unknown[] = [];
  let out = "";
  const ctx = fakeMagicContext(
    {},
    {
      evaluate: async (code) => {
        const fn = (0, eval)(ts.transpile(code, { target: ts.ScriptTarget.ES2022 })) as () => unknown;
        return () => {
          const v = fn();
          returned.push(v);
          return v;
        };
      },
      stdout: (t) => (out += t),
    },
  );
  return { ctx, returned, stdout: () => out };
}

describe("%timeit keeps each evaluation's value", () => {
  it("the timed function returns the last expression's value (line and cell mode)", async () => {
    const line = recordingCtx();
    await timeit.run({ name: "timeit", mode: "line", args: "-n 50 -r 2 Math.sqrt(2)", body: "" }, line.ctx);
    expect(line.returned).toHaveLength(100);
    expect(new Set(line.returned)).toEqual(new Set([Math.SQRT2]));
    expect(line.stdout()).toMatch(/ per loop \(mean ± std\. dev\. of 2 runs, 50 loops each\)\n$/);

    const cell = recordingCtx();
    await timeit.run({ name: "timeit", mode: "cell", args: "-n 3 -r 1", body: "const y: number = 9;\nMath.sqrt(y); // root" }, cell.ctx);
    expect(cell.returned).toEqual([3, 3, 3]);
  });

  it("timedBody returns a last expression statement and leaves other code as it is", () => {
    expect(timedBody("Math.sqrt(2)")).toBe("return (Math.sqrt(2));");
    expect(timedBody("const y = 2;\nf(y); // c")).toBe("const y = 2;\nreturn (f(y)); // c");
    expect(timedBody("a, b")).toBe("return (a, b);");
    expect(timedBody("await g()")).toBe("return (await g());");
    expect(timedBody("let z = 1")).toBe("let z = 1");
    expect(timedBody("for (const v of xs) s += v;")).toBe("for (const v of xs) s += v;");
  });

  it("the timing loop stores every value and hands back the last one (sync and async)", async () => {
    const { ctx } = recordingCtx();
    let i = 0;
    const sync = await timeLoops(() => ({ i: i++ }), 37, false, ctx);
    expect(sync.last).toEqual({ i: 36 });
    expect(sync.seconds).toBeGreaterThanOrEqual(0);
    let j = 0;
    const asyncRun = await timeLoops(async () => j++ * 2, 5, true, ctx);
    expect(asyncRun.last).toBe(8);
    const loop = timingLoop();
    expect(loop(() => Math.sqrt(2), 1000).last).toBe(Math.SQRT2);
    expect(timingLoop()).not.toBe(loop);
  });
});
