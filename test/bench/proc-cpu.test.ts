/**
 * The class benchmark's CPU accounting (bench/proc-cpu.ts) against processes whose CPU is known:
 * each burns a fixed amount of its own CPU time before the tracker reads it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { afterEach, expect, test } from "vitest";
import { ProcCpu } from "../../bench/proc-cpu.js";

const children: ChildProcess[] = [];
afterEach(() => {
  // Each leads a process group of its own: the forked child goes with its parent.
  for (const c of children.splice(0)) {
    try {
      process.kill(-c.pid!, "SIGKILL");
    } catch {
      // gone already
    }
  }
});

/** Node code that burns `ms` of its own user CPU, says "done" and then waits (so it is read alive). */
const burn = (ms: number) =>
  `const t = process.cpuUsage(); let x = 0; do for (let i = 0; i < 1e5; i++) x += i; while (process.cpuUsage(t).user < ${ms}e3); process.stdout.write(x > 0 ? "done\\n" : ""); setTimeout(() => {}, 60000);`;

/** Resolves with the first line of `c`'s stdout that equals `line`. */
function saying(c: ChildProcess, line: string): Promise<void> {
  return new Promise((ok, fail) => {
    let out = "";
    c.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.split("\n").includes(line)) ok();
    });
    c.on("exit", (code) => fail(new Error(`exited (${code}) before saying "${line}": ${out}`)));
  });
}

/** A `node` process that burns `ms` of CPU; its command line names a notebook server. */
async function burner(env: Record<string, string>, ms: number): Promise<ChildProcess> {
  const c = spawn(process.execPath, ["-e", burn(ms), "jupyterhub-singleuser"], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "ignore"],
    detached: true,
  });
  children.push(c);
  await saying(c, "done");
  return c;
}

const newTag = () => `proc-cpu-${process.pid}-${Math.random().toString(36).slice(2)}`;

test("a tagged process's CPU is counted under its role and student; an untagged one's is not", async () => {
  const tag = newTag();
  const cpu = new ProcCpu(tag);
  cpu.scan();
  expect(cpu.byRole()).toEqual({});
  await Promise.all([burner({ GRADLAB_TEST_TAG: tag, JUPYTERHUB_USER: "ada" }, 300), burner({ JUPYTERHUB_USER: "ada" }, 300)]);
  // Only the processes started since the last scan are looked at (as at a student's events).
  cpu.scan(true);
  const ada = cpu.userNow("ada");
  // /proc counts in ticks of 10 ms; the burner also started Node.
  expect(ada.server).toBeGreaterThanOrEqual(0.29);
  // (Both burners counted would read at least 0.6 s.)
  expect(ada.server).toBeLessThan(0.6);
  expect(cpu.byRole()).toEqual({ server: ada.server });
  expect(cpu.overhead).toBeGreaterThan(0);
});

test("a process read between its fork and its exec is tracked as what it execs into", async () => {
  const tag = newTag();
  const cpu = new ProcCpu(tag);
  // An untagged parent forks; the child waits for "go", then execs a tagged burner.
  const script = [
    "import os, sys",
    "pid = os.fork()",
    "if pid == 0:",
    "    sys.stdout.write('forked\\n'); sys.stdout.flush()",
    "    sys.stdin.readline()",
    `    os.execve(sys.argv[1], [sys.argv[1], '-e', sys.argv[2], 'jupyterhub-singleuser'], dict(os.environ, GRADLAB_TEST_TAG=${JSON.stringify(tag)}, JUPYTERHUB_USER='emmy'))`,
    "os.waitpid(pid, 0)",
  ].join("\n");
  const parent = spawn("python3", ["-c", script, process.execPath, burn(300)], { stdio: ["pipe", "pipe", "inherit"], detached: true });
  children.push(parent);
  await saying(parent, "forked");
  // The child now shows its parent's command line and untagged environment.
  cpu.scan();
  expect(cpu.byRole()).toEqual({});
  const done = saying(parent, "done");
  parent.stdin!.write("go\n");
  await done;
  cpu.scan();
  const emmy = cpu.userNow("emmy");
  expect(emmy.server).toBeGreaterThanOrEqual(0.29);
  expect(cpu.byRole()).toEqual({ server: emmy.server });
});
