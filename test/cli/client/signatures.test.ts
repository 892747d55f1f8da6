/** @file The client's side of message signing, against a small fake kernel that forges some messages. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KernelClient } from "../../../cli/client/kernel-client.js";

const FAKE = [process.execPath, join(import.meta.dirname, "fixtures", "fake-kernel.mjs"), "{connection_file}"];

describe("KernelClient signature checking", () => {
  it("drops badly-signed replies and iopub messages, and starts even if kernel_info publishes no status", async () => {
    const kc = await KernelClient.start({ argv: FAKE, startupTimeoutMs: 10_000 });
    try {
      expect(kc.kernelInfo.language_info).toEqual({ name: "fake" });
      const r = await kc.execute("anything");
      expect(r.status).toBe("ok");
      expect(r.executionCount).toBe(1);
      expect(r.outputs).toEqual([{ output_type: "stream", name: "stdout", text: "genuine\n" }]);
      expect(kc.badSignatures).toBe(2);
    } finally {
      await kc.close();
    }
  });
});
