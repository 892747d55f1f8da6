/**
 * @file A port of the connection file already taken: the kernel exits at once saying so (as
 * ipykernel does), and KernelClient.start starts a kernel on other ports (the ports are chosen free,
 * then bound by the kernel: another process may take one in between).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { KernelClient } from "../../cli/client/kernel-client.js";
import { ensureBuilt, REPO, resultText } from "./helpers.js";

const dir = mkdtempSync(join(tmpdir(), "gradlab-ports-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("a port taken before the kernel binds it", () => {
  it("the kernel exits with status 1 and names the cause", async () => {
    await ensureBuilt();
    const holder = net.createServer();
    await new Promise<void>((ok) => holder.listen(0, "127.0.0.1", ok));
    try {
      const taken = (holder.address() as net.AddressInfo).port;
      const file = join(dir, "taken.json");
      const conn = { transport: "tcp", ip: "127.0.0.1", key: "k", signature_scheme: "hmac-sha256" };
      writeFileSync(file, JSON.stringify({ ...conn, shell_port: taken, iopub_port: 0, stdin_port: 0, control_port: 0, hb_port: 0 }));
      const r = spawnSync(process.execPath, [join(REPO, "bin", "gradlab.js"), "kernel", file], { encoding: "utf8", timeout: 60_000 });
      expect(r.status, r.stderr).toBe(1);
      expect(r.stderr).toContain("gradlab kernel: cannot bind the connection file's ports: Address already in use");
    } finally {
      holder.close();
    }
  }, 90_000);

  it("KernelClient.start starts a kernel on other ports when the first one's port was taken", async () => {
    await ensureBuilt();
    // A launcher that, the first time, reports a taken port and exits as the kernel does; then runs the kernel.
    const marker = join(dir, "first-done");
    const launcher = join(dir, "launcher.mjs");
    writeFileSync(
      launcher,
      `import { existsSync, writeFileSync } from "node:fs";
       import { spawnSync } from "node:child_process";
       if (!existsSync(${JSON.stringify(marker)})) {
         writeFileSync(${JSON.stringify(marker)}, "");
         process.stderr.write("gradlab kernel: cannot bind the connection file's ports: Address already in use\\n");
         process.exit(1);
       }
       const r = spawnSync(process.execPath, [${JSON.stringify(join(REPO, "bin", "gradlab.js"))}, "kernel", process.argv[2]], { stdio: "inherit" });
       process.exit(r.status ?? 1);`,
    );
    const kc = await KernelClient.start({ argv: [process.execPath, launcher, "{connection_file}"] });
    try {
      expect(resultText(await kc.execute("1 + 1"))).toBe("2");
    } finally {
      await kc.close();
    }
  }, 120_000);
});
