/**
 * @file `gradlab kernel <connection-file>`: wiring only. The protocol process (this one) starts
 * the ZeroMQ server at once and forks the executor, so kernel_info_reply does not wait for
 * the TypeScript compiler to load (~1.2 s) in the child.
 */
import { readFileSync } from "node:fs";
import { KernelServer, type ConnectionInfo } from "./protocol/server.js";

/**
 * Start the kernel; resolves with the exit code after shutdown.
 *
 * @example
 * await main(["/run/user/1000/jupyter/kernel-1234.json"]);
 */
export async function main(argv: string[]): Promise<number> {
  const file = argv.find((a) => !a.startsWith("-"));
  if (!file || argv.includes("--help")) {
    console.error("usage: gradlab kernel <connection-file>");
    return 2;
  }
  let conn: ConnectionInfo;
  try {
    conn = JSON.parse(readFileSync(file, "utf8")) as ConnectionInfo;
  } catch (e) {
    console.error(`gradlab kernel: cannot read connection file ${file}: ${(e as Error).message}`);
    return 2;
  }
  const server = new KernelServer(conn);
  // interrupt_mode "signal": Jupyter sends SIGINT here; the executor gets it from us.
  process.on("SIGINT", () => server.interrupt());
  process.on("SIGTERM", () => void server.close().then(() => process.exit(0)));
  await server.start();
  return new Promise<number>((resolve) => server.onClose(() => resolve(0)));
}
