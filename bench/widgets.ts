/**
 * @file `npm run bench:widgets`: the latency from a front end's `update` of a slider to the
 * re-drawn backprop view of the seminar's f(x, w, b) (notebook 04) arriving back, through the real
 * kernel over ZeroMQ: `%interact backprop f(x, w, b)`, then the slider of b is moved again and
 * again, each time waiting for the Output widget's update. A benchmark, not a test: it prints the
 * median and quartiles and writes out/bench/widgets.json.
 *
 * Usage: node dist/bench/widgets.js [--reps 60] [--out FILE]
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { KernelClient } from "../cli/client/kernel-client.js";
import type { JupyterMessage } from "../cli/client/messages.js";
import { fmt, writeJson } from "./report.js";
import { summarize } from "./timing.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const WARMUP = 5;

const SETUP = `import { Tensor, tensor, randn, dot, add, sub, mul, div, square, sum, sigmoid } from "gradlab";
const n = 3;
const t = 1;
const lambda = 0.1;
const x = randn([n], { seed: 21 });
const w = randn([n], { seed: 22 });
const b = tensor(0.5);
function f(x: Tensor, w: Tensor, b: Tensor): Tensor {
  const z = add(dot(w, x), b);
  const loss = div(square(sub(sigmoid(z), t)), 2);
  return add(loss, mul(lambda / 2, sum(square(w))));
}`;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flag = (name: string, dflt: string) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && args[i + 1] ? args[i + 1]! : dflt;
  };
  const reps = Number(flag("reps", "60"));
  const out = flag("out", join(ROOT, "out", "bench", "widgets.json"));
  const kc = await KernelClient.start();
  try {
    const setup = await kc.execute(SETUP);
    if (setup.status !== "ok") throw new Error(`bench:widgets: the setup cell failed: ${JSON.stringify(setup.error)}`);
    const opens: JupyterMessage[] = [];
    const off = kc.onMessage("iopub", (m) => m.header.msg_type === "comm_open" && opens.push(m));
    const shown = await kc.execute("%interact backprop f(x, w, b)");
    off();
    if (shown.status !== "ok") throw new Error(`bench:widgets: %interact failed: ${JSON.stringify(shown.error)}`);
    const model = (name: string) => opens.find((m) => (m.content.data as { state: { _model_name: string } }).state._model_name === name);
    const sliderId = String(model("FloatSliderModel")!.content.comm_id);
    const outId = String(model("OutputModel")!.content.comm_id);

    const times: number[] = [];
    for (let i = 0; i < WARMUP + reps; i++) {
      const value = 0.5 + ((i % 10) - 5) * 0.05;
      const arrived = new Promise<number>((resolve) => {
        const stop = kc.onMessage("iopub", (m) => {
          if (m.header.msg_type === "comm_msg" && m.content.comm_id === outId) {
            stop();
            resolve(performance.now());
          }
        });
      });
      const sent = performance.now();
      kc.send("shell", "comm_msg", { comm_id: sliderId, data: { method: "update", state: { value }, buffer_paths: [] } });
      const t = (await arrived) - sent;
      if (i >= WARMUP) times.push(t);
    }
    const s = summarize(times, 1);
    console.log(`slider update -> re-drawn backprop view of f(x, w, b) (notebook 04), ${reps} updates:`);
    console.log(`  median ${fmt(s.median)} ms  (q1 ${fmt(s.q1)}, q3 ${fmt(s.q3)}); goal: median <= 50 ms`);
    writeJson(out, { workload: "widget update -> backprop view", unit: "ms", ...s, goalMs: 50, met: s.median <= 50 });
  } finally {
    await kc.close();
  }
}

await main();
