/**
 * @file A kernel whose port another process took, on gradlab's notebook server class
 * (cli/hub/gradlab_notebook.py) with Debian's classic notebook server and jupyter_client: the
 * server restarts it on new ports and it answers, without waiting for the dead kernel's
 * kernel_info reply. (notebook's own kernel manager restarts it on the same taken ports, from
 * jupyter_client's port cache, until it declares the kernel dead.)
 *
 * The kernelspec runs gradlab's kernel through a wrapper that, on its first launch, has another
 * process take the shell port of the connection file the server wrote (as another student's kernel
 * whose server picked the same free port would), then starts the real kernel, which cannot bind it.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverSessions } from "../../cli/client/server-sessions.js";
import type { KernelSession } from "../../cli/client/sessions.js";
import { kernelArgv } from "../../kernel/kernelspec.js";
import { addKernelSpec, startJupyterServer, type JupyterServer } from "../support/jupyter-server.js";

/** Takes the connection file's shell port on the first launch (recorded in HOLDER_FILE), then runs the kernel. */
const WRAPPER = `import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
const [file, ...kernel] = process.argv.slice(2);
const { ip, shell_port } = JSON.parse(readFileSync(file, "utf8"));
if (!existsSync(process.env.HOLDER_FILE)) {
  const holder = spawn(process.execPath, ["-e", \`require("node:net").createServer().listen(\${shell_port}, "\${ip}", () => console.log("held"))\`], { detached: true, stdio: ["ignore", "pipe", "ignore"] });
  await new Promise((ok) => holder.stdout.once("data", ok));
  holder.stdout.destroy();
  holder.unref();
  writeFileSync(process.env.HOLDER_FILE, JSON.stringify({ pid: holder.pid, port: shell_port }));
}
const child = spawn(kernel[0], [...kernel.slice(1), file], { stdio: "inherit" });
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => child.kill(sig));
child.on("exit", (code, sig) => process.exit(code ?? (sig ? 1 : 0)));
`;

describe("a kernel whose port is taken, on gradlab's notebook server class", () => {
  let server: JupyterServer;
  let holderFile: string;
  const sessions: KernelSession[] = [];
  beforeAll(async () => {
    server = await startJupyterServer(
      (dir) => {
        holderFile = join(dir, "holder.json");
        const wrapper = join(dir, "take-port.mjs");
        writeFileSync(wrapper, WRAPPER);
        // gradlab's own kernel command, without its "{connection_file}" (the wrapper passes it on).
        const kernel = kernelArgv().filter((a) => a !== "{connection_file}");
        addKernelSpec(dir, "gradlab-port-taken", {
          argv: [process.execPath, wrapper, "{connection_file}", ...kernel],
          display_name: "gradlab (port taken)",
          language: "typescript",
          env: { HOLDER_FILE: holderFile },
        });
      },
      [],
      undefined,
      { app: "gradlab" },
    );
  });
  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    if (holderFile && existsSync(holderFile)) {
      const { pid } = JSON.parse(readFileSync(holderFile, "utf8")) as { pid: number };
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    await server?.stop();
    if (server) rmSync(server.dir, { recursive: true, force: true });
  });

  it("is restarted on new ports and runs cells", async () => {
    const factory = serverSessions(server.url, server.token, join(server.dir, "root"));
    try {
      const session = await factory.start("gradlab-port-taken", join(server.dir, "root"));
      sessions.push(session);
      const r = await session.execute("const n: number = 40;\nn + 2", { timeoutMs: 60_000 });
      expect(r.status, JSON.stringify(r.error)).toBe("ok");
      expect(r.outputs).toContainEqual(expect.objectContaining({ output_type: "execute_result", data: { "text/plain": "42" } }));
    } finally {
      factory.dispose();
    }
    // The port was taken for real: the kernel said so and the server restarted it once.
    const { port } = JSON.parse(readFileSync(holderFile, "utf8")) as { port: number };
    expect(port).toBeGreaterThan(0);
    expect(server.log()).toContain("gradlab kernel: cannot bind the connection file's ports: Address already in use");
    expect(server.log()).toMatch(/KernelRestarter: restarting kernel \(1\/5\), new random ports/);
    expect(server.log()).not.toMatch(/restarting kernel \(2\/5\)/);
    // The server did not wait for the dead kernel's kernel_info reply (60 s) before connecting the front end to the new one.
    expect(server.log()).not.toContain("Timeout waiting for kernel_info reply");
  }, 120_000);
});
