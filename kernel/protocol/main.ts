/**
 * @file `gradlab kernel <connection-file>`: wiring only. The protocol process (this one) starts
 * the ZeroMQ server at once and forks the executor, so kernel_info_reply does not wait for
 * the TypeScript compiler to load (~1.2 s) in the child.
 *
 * The kernel exits with whatever started it (a Jupyter server, `gradlab run`), as ipykernel's
 * parent poller does: a killed server or runner leaves no kernel behind.
 */
import { readFileSync } from "node:fs";
import { alive } from "../node/snapshot-blob.js";
import { KernelServer, type ConnectionInfo } from "./server.js";

/** How often the parent is polled. */
const PARENT_POLL_MS = 500;
/** How long a shutdown may take before the process exits regardless. */
const SHUTDOWN_GRACE_MS = 500;

/**
 * The pid to watch: `JPY_PARENT_PID` when the launcher set it, else our parent at start-up
 * (undefined when that is init, which never goes away).
 */
export function parentToWatch(env: NodeJS.ProcessEnv, ppid: number): number | undefined {
  const given = Number(env.JPY_PARENT_PID);
  const pid = Number.isInteger(given) && given > 1 ? given : ppid;
  return pid > 1 ? pid : undefined;
}

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
  const startPpid = process.ppid;
  const parent = parentToWatch(process.env, startPpid);
  const server = new KernelServer(conn);
  const shutdown = (why: string) => {
    if (why) process.stderr.write(`gradlab: ${why}; shutting down\n`);
    setTimeout(() => process.exit(0), SHUTDOWN_GRACE_MS).unref();
    void server.close().then(() => process.exit(0));
  };
  // interrupt_mode "signal": Jupyter sends SIGINT here; the executor gets it from us.
  process.on("SIGINT", () => server.interrupt());
  process.on("SIGTERM", () => shutdown(""));
  process.on("SIGHUP", () => shutdown(""));
  if (parent !== undefined) {
    setInterval(() => {
      const gone = parent === startPpid ? process.ppid !== parent : !alive(parent);
      if (gone) shutdown(`the process that started the kernel (pid ${parent}) is gone`);
    }, PARENT_POLL_MS).unref();
  }
  try {
    await server.start();
  } catch (e) {
    // A port of the connection file is taken (another process bound it after the client chose
    // it): exit, as ipykernel does, so the client can start a kernel on other ports.
    process.stderr.write(`gradlab kernel: cannot bind the connection file's ports: ${(e as Error).message}\n`);
    await Promise.race([server.close(), new Promise((r) => setTimeout(r, SHUTDOWN_GRACE_MS))]);
    return 1;
  }
  return new Promise<number>((resolve) => server.onClose(() => resolve(0)));
}
