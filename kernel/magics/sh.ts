/** @file `%sh cmd` / `%%sh`: run a shell command in the notebook directory, streaming its output. */
import { spawn } from "node:child_process";
import { MagicUsageError, type Magic, type MagicContext } from "./registry.js";
import { tr } from "../../src/i18n/index.js";

/**
 * Run `command` with /bin/sh, streaming stdout/stderr to the cell; rejects on a non-zero exit
 * or an interrupt (the command is killed).
 *
 * @example
 * await runShell("echo hi", ctx); // the cell shows "hi"
 */
export function runShell(command: string, ctx: MagicContext, args: string[] = ["-c", command], file = "/bin/sh"): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(file, args, { cwd: ctx.cwd, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.setEncoding("utf8").on("data", (t: string) => ctx.stdout(t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => ctx.stderr(t));
    const onAbort = () => child.kill("SIGINT");
    ctx.signal.addEventListener("abort", onAbort, { once: true });
    child.on("error", (e) => reject(new Error(tr("cannot run {file}: {reason}", { file, reason: e.message }))));
    child.on("close", (code, signal) => {
      ctx.signal.removeEventListener("abort", onAbort);
      if (ctx.signal.aborted) reject(ctx.signal.reason);
      else if (code === 0) resolve();
      else
        reject(
          Object.assign(
            new Error(tr("command exited with {how}: {command}", { how: signal ?? tr("status {code}", { code: String(code) }), command })),
            { name: "ShellError" },
          ),
        );
    });
  });
}

const shMagic: Magic = {
  name: "sh",
  kind: "both",
  usage: "%sh command  |  %%sh (cell: a shell script)",
  help: "Run a shell command (or the cell as a /bin/sh script) in the notebook's directory; its output streams into the cell. A non-zero exit status is an error.",
  run(call, ctx) {
    const script = call.mode === "cell" ? call.body : call.args;
    if (call.mode === "cell" && call.args) throw new MagicUsageError(tr('unexpected argument "{arg}"', { arg: call.args }));
    if (!script.trim()) throw new MagicUsageError(tr("missing command"));
    return runShell(script, ctx);
  },
};

export default shMagic;
