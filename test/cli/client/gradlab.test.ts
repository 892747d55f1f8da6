/** @file KernelClient against this repo's gradlab kernel (built dist), with the default argv. */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KernelClient } from "../../../cli/client/kernel-client.js";
import { kernelArgv } from "../../../kernel/kernelspec.js";

const REPO = resolve(import.meta.dirname, "..", "..", "..");

describe("KernelClient with the gradlab kernel", () => {
  let kc: KernelClient;
  beforeAll(async () => {
    if (!existsSync(join(REPO, "dist", "kernel", "protocol", "main.js")))
      throw new Error("client tests: dist/kernel/protocol/main.js is missing; run `npm run build` first");
    kc = await KernelClient.start();
  });
  afterAll(async () => {
    await kc?.close();
  });

  it("launches bin/gradlab.js kernel with the current node by default", () => {
    expect(kernelArgv()).toEqual([
      process.execPath,
      "--lite-mode",
      "--no-expose-wasm",
      join(REPO, "bin", "gradlab.js"),
      "kernel",
      "{connection_file}",
    ]);
    expect((kc.kernelInfo.language_info as { name: string }).name).toBe("typescript");
  });

  it("gets the last expression as execute_result and console output as a stream", async () => {
    const r = await kc.execute("console.log('hi ' + 2);\n6 * 7");
    expect(r.status).toBe("ok");
    expect(r.outputs).toEqual([
      { output_type: "stream", name: "stdout", text: "hi 2\n" },
      expect.objectContaining({
        output_type: "execute_result",
        execution_count: r.executionCount,
        data: expect.objectContaining({ "text/plain": "42" }),
      }),
    ]);
  });

  it("reports a runtime error and runs the next cell normally", async () => {
    const r = await kc.execute("const boom: number = 1;\nthrow new RangeError('out of range ' + boom)");
    expect(r.status).toBe("error");
    expect(r.error?.ename).toBe("RangeError");
    expect(r.error?.evalue).toContain("out of range 1");
    const next = await kc.execute("boom + 1");
    expect(next.outputs[0]).toMatchObject({ output_type: "execute_result", data: { "text/plain": "2" } });
  });

  it("answers the heartbeat and ignores a badly-signed request", async () => {
    const id = kc.send("shell", "kernel_info_request", {}, { badSignature: true });
    const seen: string[] = [];
    const off = kc.onMessage("shell", (m) => seen.push(String(m.parent_header.msg_id)));
    expect((await kc.request("shell", "kernel_info_request", {})).content.status).toBe("ok");
    off();
    expect(seen).not.toContain(id);
    expect(await kc.heartbeat()).toBe(true);
  });
});
