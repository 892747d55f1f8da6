/** @file Shared helpers for kernel integration tests: check that dist/ is current, start clients. */
import { KernelClient } from "../../cli/client/kernel-client.js";
import type { StartOptions } from "../../cli/client/messages.js";
import { kernelArgv } from "../../kernel/kernelspec.js";
import type { ConvertResult } from "../../kernel/engine/compiler/index.js";
import { assertBuilt, REPO } from "../support/build.js";

export { REPO };

/**
 * Fails unless `dist/` holds the current kernel and library (see test/support/build.ts): the
 * kernel tests run the built kernel, and `npm test` builds before it runs them.
 */
export async function ensureBuilt(): Promise<void> {
  assertBuilt();
}

/**
 * Start the real gradlab kernel (from dist) with the runner engineer's KernelClient.
 *
 * @example
 * const kc = await startKernel({ cwd: tmp });
 */
export async function startKernel(opts: StartOptions = {}): Promise<KernelClient> {
  await ensureBuilt();
  // As kernel.json starts it (kernelArgv: the protocol process's V8 flags included).
  return KernelClient.start({ argv: kernelArgv(), ...opts });
}

/** The text/plain of a reply's execute_result (undefined when the cell showed no value). */
export function resultText(r: { outputs: readonly { output_type: string; data?: Record<string, unknown> }[] }): unknown {
  return r.outputs.find((o) => o.output_type === "execute_result")?.data?.["text/plain"];
}

/** The text of all stream outputs of a given name. */
export function streamText(outputs: readonly { output_type: string; name?: string; text?: unknown }[], name = "stdout"): string {
  return outputs
    .filter((o) => o.output_type === "stream" && o.name === name)
    .map((o) => (Array.isArray(o.text) ? o.text.join("") : String(o.text)))
    .join("");
}

/**
 * The kernel's log once it contains `text` (its stderr reaches us on a pipe, with no order
 * against ZeroMQ replies: poll, at most `maxMs`, so a missing line fails instead of hanging).
 */
export async function logOnceContains(kc: KernelClient, text: string, maxMs = 10_000): Promise<string> {
  const deadline = Date.now() + maxMs;
  while (!kc.log.includes(text) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return kc.log;
}

/** What two compiles of a cell must agree on (the warm checker and a full build; with and without `@types/node`). */
export const compileView = (r: ConvertResult) => ({
  output: r.output,
  declOutput: r.declOutput,
  lastExpressionVar: r.lastExpressionVar,
  hasToplevelAwait: r.hasToplevelAwait,
  mappings: r.mappings,
  sideOutputs: r.sideOutputs,
  diagnostics: r.diagnostics.map((d) => ({ line: d.start.line, character: d.start.character, code: d.code, messageText: d.messageText })),
});
