/**
 * @file A class on Debian's JupyterHub 3.0, started by the test on loopback: three users created
 * through the hub's REST API, each with their own classic notebook server running gradlab's kernel
 * from a kernelspec installed once for all of them (`gradlab install --prefix --mem-limit 2G`,
 * which also builds the executor's snapshot for that limit), run notebook 04
 * at the same time through the hub's proxy (`gradlab run --server .../user/NAME/ --token T`, where
 * a failing self-check cell fails the run); a submission is graded with `gradlab check --server` on
 * one user's server; each server gets a port of its own above the ephemeral range (gradlab_spawner)
 * and is gradlab's subclass of the classic server (its pages, file browser and nbextensions folders
 * as notebook's own); a kernel reads the spawner's mem_limit (MEM_LIMIT) into its limits; the hub
 * is stopped with a kernel left running and no hub, proxy, server or kernel process is left.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { KernelManager } from "@jupyterlab/services";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { serverConnection } from "../../cli/client/server-sessions.js";
import { assignNotebook } from "../../cli/homework/format.js";
import { notebookJson, readNotebook, type Notebook } from "../../cli/notebook/notebook.js";
import { checkRows, gradlab, REPO } from "../cli/helpers.js";
import { isExecutorCommand } from "../../kernel/node/executor-bundle.js";
import { assertBuilt } from "../support/build.js";
import {
  cmdlineOf,
  environOf,
  ephemeralPortRange,
  HUB_PYTHON,
  NOTEBOOK_APP_DIR,
  removeHubDir,
  startHub,
  type Hub,
} from "../support/jupyterhub.js";
import { autogroupNice, autogroupsEnabled, tagged } from "../support/procs.js";

const USERS = ["ada", "emmy", "sofia"];
const NOTEBOOK = "04-backprop.ipynb";
const SOURCE = join(REPO, "notebooks", "homework", "source");

describe("a class of three on JupyterHub", () => {
  let hub: Hub | undefined;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    assertBuilt(["src", "kernel", "cli"]);
    hub = await startHub({
      // The spawner hands it to every server as MEM_LIMIT, which the kernel's memory limits read.
      memLimit: "2G",
      prepare: async (dir) => {
        // --mem-limit builds the executor's snapshot for kernels under the spawner's mem_limit.
        const r = await gradlab(["install", "--prefix", join(dir, "prefix"), "--mem-limit", "2G"]);
        if (r.code !== 0) throw new Error(`gradlab install --prefix: ${r.stderr}`);
      },
    });
    const h = hub;
    await h.addUsers(USERS);
    for (const user of USERS) {
      tokens.set(user, await h.userToken(user));
      const copied = await gradlab(["notebooks", join(h.home(user), "seminar"), "--lang", "en"]);
      if (copied.code !== 0) throw new Error(`gradlab notebooks: ${copied.stderr}`);
    }
    await Promise.all(USERS.map((user) => h.startServer(user)));
  });

  // A failure shows what the hub, the proxy and the servers said.
  beforeEach(({ onTestFailed }) => onTestFailed(() => console.error(`hub log (end):\n${hub?.log().slice(-20_000) ?? ""}`)));

  afterAll(async () => {
    if (!hub) return;
    await hub.stop();
    removeHubDir(hub.dir);
  });

  it("runs notebook 04 for three students at once through the hub's proxy, every self-check passing", async () => {
    const h = hub!;
    const runs = await Promise.all(
      USERS.map((user) =>
        gradlab([
          "run",
          join(h.home(user), "seminar", NOTEBOOK),
          "--server",
          h.serverUrl(user),
          "--token",
          tokens.get(user)!,
          "--server-root",
          h.home(user),
          "--out",
          join(h.dir, "out", user),
        ]),
      ),
    );
    const source = readNotebook(join(REPO, "notebooks", NOTEBOOK));
    const codeCells = source.cells.filter((c) => c.cell_type === "code").length;
    for (const [i, r] of runs.entries()) {
      expect([USERS[i], r.code, r.stdout + r.stderr]).toEqual([USERS[i], 0, expect.any(String)]);
      // One WebSocket per kernel: the classic server's JSON protocol asked for at once, not after a dropped binary one.
      expect([USERS[i], r.stderr]).toEqual([USERS[i], expect.not.stringContaining("Connection lost")]);
      const done = JSON.parse(readFileSync(join(h.dir, "out", USERS[i]!, NOTEBOOK), "utf8")) as Notebook;
      const code = done.cells.filter((c) => c.cell_type === "code");
      expect(code).toHaveLength(codeCells);
      for (const cell of code) {
        expect([USERS[i], cell.id, cell.execution_count]).toEqual([USERS[i], cell.id, expect.any(Number)]);
        expect([USERS[i], cell.id, (cell.outputs ?? []).filter((o) => o.output_type === "error")]).toEqual([USERS[i], cell.id, []]);
      }
    }
    // Each student's kernel was started by that student's own server, behind the hub.
    expect(h.log().match(/Kernel started: [0-9a-f-]+, name: gradlab/g)?.length).toBe(USERS.length);
  }, 300_000);

  it("grades a solution and a blank copy with gradlab check --server on a student's server", async () => {
    const h = hub!;
    const user = USERS[0]!;
    const home = h.home(user);
    const subs = join(home, "class");
    mkdirSync(subs, { recursive: true });
    const source = readNotebook(join(SOURCE, "02-logdet.ipynb"));
    writeFileSync(join(subs, "solution.ipynb"), notebookJson(source));
    writeFileSync(join(subs, "blank.ipynb"), notebookJson(assignNotebook(source, "02-logdet")));
    const out = join(h.dir, "grades");
    const r = await gradlab([
      "check",
      "--source",
      SOURCE,
      subs,
      "--out",
      out,
      "--server",
      h.serverUrl(user),
      "--token",
      tokens.get(user)!,
      "--server-root",
      home,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const rows = checkRows(out);
    const ids = ["logdet-differential", "logdet-gradient", "logdet-second-differential", "logdet-inverse-gradient"];
    for (const id of ids) {
      expect([id, rows.get("solution.ipynb")!.grades[id]?.result]).toEqual([id, "pass"]);
      expect([id, rows.get("blank.ipynb")!.grades[id]?.message]).toEqual([id, `Error: ${id}: not answered yet`]);
    }
    expect([rows.get("solution.ipynb")!.score, rows.get("solution.ipynb")!.maxScore]).toEqual([5, 7]);
    expect(rows.get("blank.ipynb")!.score).toBe(0);
    // The grader shut down its kernels and sessions on the student's server.
    for (const what of ["sessions", "kernels"]) {
      const listed = await fetch(`${h.serverUrl(user)}api/${what}`, { headers: { Authorization: `token ${tokens.get(user)!}` } });
      expect([what, listed.status, await listed.json()]).toEqual([what, 200, []]);
    }
  }, 300_000);

  it("serves each student gradlab's notebook server class: notebook's own pages and file browser, the same nbextensions folders and kernelspecs without IPython", async () => {
    const h = hub!;
    const user = USERS[2]!;
    const auth = { headers: { Authorization: `token ${tokens.get(user)!}` } };
    const tree = await fetch(`${h.serverUrl(user)}tree`, auth);
    expect([tree.status, await tree.text()]).toEqual([200, expect.stringContaining('<div id="notebook_list"')]);
    const contents = await fetch(`${h.serverUrl(user)}api/contents/seminar`, auth);
    const listed = ((await contents.json()) as { content: { name: string }[] }).content.map((c) => c.name);
    expect(listed).toContain(NOTEBOOK);
    // The subclass's folder list against notebook's own class (which imports IPython for it), in one Python.
    const script = [
      "import sys, json",
      "import gradlab_notebook",
      "app = gradlab_notebook.NotebookApp()",
      "ksm = app.kernel_spec_manager_class()",
      "ours = [app.nbextensions_path, ksm.kernel_dirs, ksm.get_all_specs()]",
      "without = not any(m in sys.modules for m in ('IPython', 'ipykernel'))",
      "import notebook.notebookapp, jupyter_client.kernelspec",
      "ksm = jupyter_client.kernelspec.KernelSpecManager()",
      "theirs = [notebook.notebookapp.NotebookApp().nbextensions_path, ksm.kernel_dirs, ksm.get_all_specs()]",
      "print(json.dumps([ours == theirs, without, ours[0], sorted(ours[2])]))",
    ].join("\n");
    const r = spawnSync(HUB_PYTHON, ["-c", script], {
      env: { ...process.env, PYTHONPATH: NOTEBOOK_APP_DIR, HOME: h.home(user) },
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    const [same, withoutIPython, folders, kernels] = JSON.parse(r.stdout) as [boolean, boolean, string[], string[]];
    expect([same, withoutIPython, folders.at(-1), kernels]).toEqual([
      true,
      true,
      join(h.home(user), ".ipython", "nbextensions"),
      ["python3"],
    ]);
  }, 60_000);

  it("gives each student's server a port of its own above the system's ephemeral range (gradlab_spawner)", () => {
    const h = hub!;
    const [, high] = ephemeralPortRange();
    const servers = tagged(h.tag).filter((pid) => cmdlineOf(pid).includes("jupyterhub-singleuser"));
    const ports = servers.map(
      (pid) => [environOf(pid, "JUPYTERHUB_USER"), Number(new URL(environOf(pid, "JUPYTERHUB_SERVICE_URL") ?? "http://x:0").port)] as const,
    );
    expect(ports.map(([user]) => user).sort()).toEqual([...USERS].sort());
    expect(new Set(ports.map(([, port]) => port)).size).toBe(USERS.length);
    for (const [user, port] of ports) expect([user, port > high && port <= 65535]).toEqual([user, true]);
  });

  it("stops the hub with a student's kernel left running and leaves no hub, proxy, server or kernel process", async () => {
    const h = hub!;
    const user = USERS[1]!;
    // A kernel left running, as a student who closes the tab leaves it (its last cell spinning).
    const manager = new KernelManager({ serverSettings: serverConnection(h.serverUrl(user), tokens.get(user)!) });
    const kernel = await manager.startNew({ name: "gradlab" });
    const info = await kernel.info;
    expect(info.banner).toContain("Cells may use 1.0 GB of memory (JavaScript heap 512 MB; half of MEM_LIMIT;");
    const warm = await kernel.requestExecute({ code: "const started = 1 + 1; started" }).done;
    expect(warm.content.status).toBe("ok");
    // Its executor started from the snapshot `gradlab install --mem-limit 2G` built for its 512 MB heap.
    let fromSnapshot: unknown;
    const probe = kernel.requestExecute({ code: 'process.execArgv.includes("--snapshot-blob")' });
    probe.onIOPub = (msg) => {
      if (msg.header.msg_type === "execute_result") fromSnapshot = (msg.content as { data: Record<string, unknown> }).data["text/plain"];
    };
    await probe.done;
    expect(fromSnapshot).toBe("true");
    const spinning = kernel.requestExecute({ code: "while (true) {}" });
    await new Promise<void>((busy) => {
      spinning.onIOPub = (msg) => {
        if (msg.header.msg_type === "execute_input") busy();
      };
    });
    spinning.done.catch(() => undefined);
    kernel.dispose(); // closes the WebSocket; the kernel keeps running on the server
    manager.dispose();
    // The scan sees the class while it runs: the hub, the proxy, one server per student, and the
    // student's kernel (its protocol process and its executor, in a process group of its own).
    const running = tagged(h.tag);
    const lines = running.map(cmdlineOf);
    expect(lines.filter((c) => c.includes("jupyterhub -f"))).toHaveLength(1);
    expect(lines.filter((c) => c.includes("configurable-http-proxy"))).toHaveLength(1);
    const servers = running.filter((p) => cmdlineOf(p).includes("jupyterhub-singleuser"));
    expect(servers.map((p) => environOf(p, "JUPYTERHUB_USER")).sort()).toEqual([...USERS].sort());
    const kernelPids = running.filter((p) => environOf(p, "JUPYTERHUB_USER") === user && !servers.includes(p));
    const processes = kernelPids.map(cmdlineOf);
    expect(processes.some((c) => c.includes("gradlab.js kernel"))).toBe(true);
    // The executor runs from its bundle (kernel/node/executor-bundle.ts), made by the build.
    expect(processes.some((c) => c.includes("executor.bundle.js"))).toBe(true);
    // Under the hub, the cells after a kernel's first give way to starts (kernel/protocol/priority.ts):
    // its protocol process's and its executor's sessions, at autogroup nice 10, the server's untouched.
    if (autogroupsEnabled()) {
      const kernelSide = kernelPids.filter((p) => /gradlab\.js kernel/.test(cmdlineOf(p)) || isExecutorCommand(cmdlineOf(p)));
      expect(kernelSide).toHaveLength(2);
      expect(kernelSide.map(autogroupNice)).toEqual([10, 10]);
      expect(servers.map(autogroupNice)).toEqual(servers.map(() => 0));
    }
    expect(await h.stop()).toEqual([]);
    expect(tagged(h.tag)).toEqual([]);
  }, 120_000);
});
