"""@file Kernel latency as a Jupyter front end sees it, measured with jupyter_client.

Run by bench/kernel.ts with JUPYTER_PATH pointing at temporary kernelspecs. Usage:
  /usr/bin/python3 bench/kernel_bench.py --kernels tslab,gradlab [--starts 5] [--reps 30]
Writes one JSON object to stdout: per kernel, the start-up times (process start to the first
kernel_info_reply, and to the result of a first `1+1` cell), and per-cell times (execute_request sent to both execute_reply and the
status "idle" that closes the cell received) for `1+1` and for a cell defining a typed function,
with the kernel process tree's mean CPU time per cell (psutil) beside them. The kernels take
turns, and each cell starts once the kernel before it has stopped using the CPU (`settle`). The
three blocks of cells are then timed again by a client at the wire (`WireClient`), under "wire".
"""
import argparse
import json
import queue
import subprocess
import sys
import time

from jupyter_client.manager import KernelManager

TIMEOUT = 60.0
LOG = subprocess.DEVNULL
# The folder the kernels run in (--cwd; default: this process's).
KERNEL_CWD = {}


def shell_reply(kc, msg_id, wait=TIMEOUT):
    deadline = time.perf_counter() + wait
    while True:
        msg = kc.get_shell_msg(timeout=max(0.0, deadline - time.perf_counter()))
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg


def iopub_until_idle(kc, msg_id, wait=TIMEOUT):
    """Returns the iopub messages of request msg_id, up to and including status idle."""
    deadline = time.perf_counter() + wait
    seen = []
    while True:
        msg = kc.get_iopub_msg(timeout=max(0.0, deadline - time.perf_counter()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        seen.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            return seen


def start(name):
    """Starts kernel `name`; returns (manager, client, seconds to the first kernel_info_reply, t0)."""
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    # The kernel's output goes to a log file: a kernel (or a child it leaves behind) must never
    # hold our stdout/stderr pipes open, or whoever reads them waits forever.
    km.start_kernel(stdout=LOG, stderr=LOG, **KERNEL_CWD)
    kc = km.client()
    kc.start_channels()
    reply = shell_reply(kc, kc.kernel_info())
    elapsed = time.perf_counter() - t0
    if reply["msg_type"] != "kernel_info_reply":
        raise RuntimeError(f"{name}: expected kernel_info_reply, got {reply['msg_type']}")
    return km, kc, elapsed, t0


def await_iopub(kc):
    """Waits until iopub delivers (a SUB socket misses what is published before it has joined)."""
    deadline = time.perf_counter() + TIMEOUT
    while time.perf_counter() < deadline:
        msg_id = kc.kernel_info()
        shell_reply(kc, msg_id)
        try:
            iopub_until_idle(kc, msg_id, wait=0.5)
            return
        except queue.Empty:
            continue
    raise RuntimeError("iopub delivered nothing within the timeout")


def typed_function(i):
    return f"function typed{i}(x: number, y: number): number {{ return x * y + {i}; }}"


def typed_function_py(i):
    """The typed-function cell in Python, for ipykernel (a floor, not a TypeScript kernel)."""
    return f"def typed{i}(x: float, y: float) -> float: return x * y + {i}"


def cell_for(name, key, i):
    """The cell of block `key`, number i, for kernel `name`."""
    if key == "one_plus_one":
        return "1+1"
    if key == "one_plus_one_fresh":
        return f"1+1 # {i}" if name == "ipykernel" else f"1+1 // {i}"
    return typed_function_py(i) if name == "ipykernel" else typed_function(i)


class WireClient:
    """A front end at the wire: jupyter_client's Session (signing, serialisation) over plain pyzmq
    sockets, as jupyter_server talks to kernels, without the blocking client's thread and asyncio
    wrapper per message (which take 2.3-2.5 ms of a `1+1` cell here). Its figures are the
    kernel's latency with less of the client in them; the echo kernel shows what is left."""

    def __init__(self, km):
        import zmq
        from jupyter_client.session import Session

        info = km.get_connection_info()
        key = info["key"]
        self.session = Session(key=key if isinstance(key, bytes) else key.encode(), signature_scheme=info["signature_scheme"])
        addr = lambda port: f"{info['transport']}://{info['ip']}:{port}"
        ctx = zmq.Context.instance()
        self.shell = ctx.socket(zmq.DEALER)
        self.shell.connect(addr(info["shell_port"]))
        self.iopub = ctx.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(addr(info["iopub_port"]))
        self.poller = zmq.Poller()
        self.poller.register(self.shell, zmq.POLLIN)
        self.poller.register(self.iopub, zmq.POLLIN)
        # a SUB socket misses what is published before it has joined: wait until iopub delivers
        deadline = time.perf_counter() + TIMEOUT
        while time.perf_counter() < deadline:
            try:
                self.request("kernel_info_request", {}, wait=0.5)
                return
            except queue.Empty:
                continue
        raise RuntimeError("wire client: iopub delivered nothing within the timeout")

    def request(self, msg_type, content, wait=TIMEOUT):
        """Sends a shell request; returns (seconds to its reply and its status idle, the reply, its iopub messages)."""
        msg = self.session.msg(msg_type, content)
        msg_id = msg["header"]["msg_id"]
        t0 = time.perf_counter()
        self.session.send(self.shell, msg)
        reply, seen, idle = None, [], False
        while reply is None or not idle:
            left = t0 + wait - time.perf_counter()
            if left <= 0:
                raise queue.Empty()
            for sock, _ in self.poller.poll(left * 1000):
                _, m = self.session.recv(sock)
                if m is None or m["parent_header"].get("msg_id") != msg_id:
                    continue
                if sock is self.shell:
                    reply = m
                else:
                    seen.append(m)
                    idle = idle or (m["msg_type"] == "status" and m["content"]["execution_state"] == "idle")
        return time.perf_counter() - t0, reply, seen

    def run_cell(self, code):
        """As run_cell: (seconds, reply status, the cell's visible text)."""
        content = {"code": code, "silent": False, "store_history": True, "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}
        elapsed, reply, iopub = self.request("execute_request", content)
        shown = [m["content"]["data"].get("text/plain", "") for m in iopub if m["msg_type"] == "execute_result"]
        shown += [m["content"]["text"] for m in iopub if m["msg_type"] == "stream"]
        return elapsed, reply["content"]["status"], "".join(shown).strip()

    def close(self):
        self.shell.close(linger=0)
        self.iopub.close(linger=0)


def tree_pids(pid):
    """The pid and every descendant of it, from /proc (Linux)."""
    import os

    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def proc_cpu(pid):
    """CPU seconds (user + system) of one process from /proc/<pid>/stat, 0 when it is gone."""
    import os

    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def proc_rss(pid):
    """Resident memory of one process in bytes (VmRSS), 0 when it is gone."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_cpu(km):
    """CPU seconds (user + system) used so far by the kernel and its child processes (/proc; psutil
    elsewhere, None when neither is there).

    Wall times grow with the load of a shared machine; CPU times mostly do not."""
    import os

    pid = km.provisioner.process.pid
    if os.path.isdir("/proc/self"):
        return sum(proc_cpu(p) for p in tree_pids(pid))
    try:
        import psutil
    except ImportError:
        return None
    root = psutil.Process(pid)
    total = 0.0
    for p in [root, *root.children(recursive=True)]:
        try:
            c = p.cpu_times()
            total += c.user + c.system
        except psutil.NoSuchProcess:
            pass
    return total


def tree_rss(km):
    """RSS in bytes of each process of the kernel's tree: [(command, rss)] (the kernel's own process first)."""
    out = []
    for p in tree_pids(km.provisioner.process.pid):
        try:
            with open(f"/proc/{p}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        out.append((cmd[-80:], proc_rss(p)))
    return out


def settle(km, quiet=0.0005, window=0.02, limit=1.0):
    """Waits (at most `limit` s) until the kernel's process tree stops using the CPU: less than
    `quiet` CPU seconds over `window`. The kernels are measured in turn on one machine, and work a
    kernel does after its reply (tslab's collector used ~40 ms of CPU per typed cell beyond its
    ~30 ms of latency) would otherwise be timed in the next kernel's cell. Without psutil, a
    fixed pause of `limit` / 10."""
    start = time.perf_counter()
    before = tree_cpu(km)
    if before is None:
        time.sleep(limit / 10)
        return
    while time.perf_counter() - start < limit:
        time.sleep(window)
        now = tree_cpu(km)
        if now - before < quiet:
            return
        before = now


def stop(km, kc):
    """A graceful shutdown_request (as Jupyter sends), so the kernel can stop what it started."""
    kc.stop_channels()
    km.shutdown_kernel(now=False)


def run_cell(kc, code):
    """Returns (seconds, reply status, the cell's visible text: execute_result text/plain or stdout)."""
    t0 = time.perf_counter()
    msg_id = kc.execute(code)
    reply = shell_reply(kc, msg_id)
    iopub = iopub_until_idle(kc, msg_id)
    elapsed = time.perf_counter() - t0
    shown = [m["content"]["data"].get("text/plain", "") for m in iopub if m["msg_type"] == "execute_result"]
    shown += [m["content"]["text"] for m in iopub if m["msg_type"] == "stream"]
    return elapsed, reply["content"]["status"], "".join(shown).strip()


# The first cell a student runs, sent at once after the kernel starts (before any reply): in
# gradlab an import of the library and a gradient; in tslab its plain first cell (a typed function
# and a call: tslab cannot import gradlab); in ipykernel the same in Python.
FIRST_CELLS = {
    "gradlab": 'import { grad, tensor } from "gradlab";\ngrad((x) => x.mul(x).sum())(tensor([1, 2, 3]))',
    "tslab": "function first(x: number, y: number): number { return x * y + 1; }\nfirst(2, 3)",
    "echo": "1+1",
    "ipykernel": "def first(x: float, y: float) -> float: return x * y + 1\nfirst(2, 3)",
}
NOTEBOOK_04 = "notebooks/04-backprop.ipynb"


def first_cell_at_once(name):
    """Starts kernel `name` and sends its first cell at once; returns (manager, client, seconds from
    the start to the cell's execute_reply, the kernel tree's CPU seconds by then, the reply's status)."""
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel(stdout=LOG, stderr=LOG, **KERNEL_CWD)
    kc = km.client()
    kc.start_channels()
    # The shell socket queues the request until the kernel has bound its port.
    reply = shell_reply(kc, kc.execute(FIRST_CELLS[name]))
    elapsed = time.perf_counter() - t0
    return km, kc, elapsed, tree_cpu(km), reply["content"]["status"]


def storm(name, n):
    """n kernels started together, each sending its first cell at once: seconds from the common start
    to each kernel's execute_reply (sorted), and the errors."""
    import threading

    started, errors, times = [], [], []
    lock = threading.Lock()
    t0 = time.perf_counter()

    def wait(km, kc, msg_id):
        try:
            # (A storm on a loaded machine may take minutes.)
            reply = shell_reply(kc, msg_id, wait=5 * TIMEOUT)
            with lock:
                times.append(time.perf_counter() - t0)
                if reply["content"]["status"] != "ok":
                    errors.append(f"storm {name}: first cell status {reply['content']['status']}")
        except Exception as e:
            with lock:
                errors.append(f"storm {name}: {type(e).__name__}: {e}")

    threads = []
    try:
        for _ in range(n):
            km = KernelManager(kernel_name=name)
            km.start_kernel(stdout=LOG, stderr=LOG, **KERNEL_CWD)
            kc = km.client()
            kc.start_channels()
            started.append((km, kc))
            th = threading.Thread(target=wait, args=(km, kc, kc.execute(FIRST_CELLS[name])))
            th.start()
            threads.append(th)
        for th in threads:
            th.join()
        cpu = sum(tree_cpu(km) or 0.0 for km, _ in started)
    finally:
        for km, kc in started:
            try:
                stop(km, kc)
            except Exception:  # a kernel that does not answer its shutdown_request is killed
                km.shutdown_kernel(now=True)
    return sorted(times), cpu, errors


def notebook_cells(path, count):
    """The first `count` code cells of a notebook."""
    with open(path) as f:
        nb = json.load(f)
    cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    return cells[:count]


def memory(name, cells):
    """RSS of the kernel's processes after its first cell sent at once (and, given `cells`, after
    those too): {"first": [(command, bytes)], "cells": [...]}."""
    km, kc, _, _, _ = first_cell_at_once(name)
    try:
        settle(km, limit=5.0)
        out = {"first": tree_rss(km)}
        if cells:
            for code in cells:
                run_cell(kc, code)
            settle(km, limit=5.0)
            out["cells"] = tree_rss(km)
        return out
    finally:
        stop(km, kc)


# The loop cells: 3e6 additions into a notebook variable declared by an earlier cell.
LOOP_KERNELS = ("gradlab", "tslab")
LOOP_CELLS = {
    "top_level": "for (let i = 0; i < 3e6; i++) { loopS += i; }",
    "in_function": "(() => { for (let i = 0; i < 3e6; i++) { loopS += i; } })()",
}


def measure(names, starts, reps, warmup, loop_reps, blocks, storm_kernels, storm_size, nb_cells):
    out = {n: {"first_cell_at_once": [], "first_cell_cpu": [], "first_cell_settled_cpu": [], "storm": None, "storm_cpu": None, "memory": None, "loop": {"top_level": [], "in_function": []}, "startup": [], "first_result": [], "one_plus_one": [], "one_plus_one_fresh": [], "typed_function": [], "one_plus_one_cpu": None, "one_plus_one_fresh_cpu": None, "typed_function_cpu": None, "first_cell": None, "errors": [], "wire": {"one_plus_one": [], "one_plus_one_fresh": [], "typed_function": []}} for n in names}
    alive = {n for n in names}
    if "first" in blocks:
        # The first cell sent at once after start (what a student waits for), and the kernel's CPU
        # until its reply, then until it has settled (work left in the background).
        for _ in range(starts):
            for n in sorted(alive):
                try:
                    km, kc, t, cpu, status = first_cell_at_once(n)
                    out[n]["first_cell_at_once"].append(t)
                    out[n]["first_cell_cpu"].append(cpu)
                    if status != "ok":
                        out[n]["errors"].append(f"first cell: status {status}")
                    settle(km, limit=5.0)
                    out[n]["first_cell_settled_cpu"].append(tree_cpu(km))
                    stop(km, kc)
                except Exception as e:
                    out[n]["errors"].append(f"first cell: {type(e).__name__}: {e}")
    if "storm" in blocks:
        for n in storm_kernels:
            if n in alive:
                times, cpu, errors = storm(n, storm_size)
                out[n]["storm"] = times
                out[n]["storm_cpu"] = cpu
                out[n]["errors"].extend(errors)
    if "memory" in blocks:
        for n in sorted(alive):
            try:
                out[n]["memory"] = memory(n, notebook_cells(NOTEBOOK_04, nb_cells) if n == "gradlab" else [])
            except Exception as e:
                out[n]["errors"].append(f"memory: {type(e).__name__}: {e}")
    for _ in range(starts if "startup" in blocks else 0):
        for n in sorted(alive):
            try:
                km, kc, t, t0 = start(n)
                # What a user waits for: a kernel may answer kernel_info before it can run code.
                await_iopub(kc)
                run_cell(kc, "1+1")
                out[n]["first_result"].append(time.perf_counter() - t0)
                stop(km, kc)
                out[n]["startup"].append(t)
            except Exception as e:  # a kernel that cannot start is reported, not fatal
                out[n]["errors"].append(f"start: {type(e).__name__}: {e}")
                alive.discard(n)
    clients = {}
    if "cells" not in blocks:
        return out
    try:
        for n in sorted(alive):
            km, kc, _, _ = start(n)
            clients[n] = (km, kc)
            await_iopub(kc)
            out[n]["first_cell"] = run_cell(kc, "1+1")[0]
            for i in range(warmup):
                run_cell(kc, "1+1")
                run_cell(kc, cell_for(n, "typed_function", 1000 + i))
            settle(km)
        # Three blocks (all `1+1` cells, the same with a different comment each time so no
        # kernel can reuse an earlier compile, then all typed-function cells), each interleaving
        # the kernels, each cell timed once the kernel before it has settled; a block's CPU time
        # over its cells is the kernel's CPU cost per cell (what it does after replying included).
        for key in ("one_plus_one", "one_plus_one_fresh", "typed_function"):
            cpu0 = {n: tree_cpu(km) for n, (km, _) in clients.items()}
            for i in range(reps):
                for n, (km, kc) in clients.items():
                    cell = cell_for(n, key, i)
                    t, status, text = run_cell(kc, cell)
                    if status != "ok" or (key.startswith("one_plus_one") and text != "2"):
                        out[n]["errors"].append(f"{cell}: status {status}, shown {text!r}")
                    out[n][key].append(t)
                    settle(km)
            for n, (km, _) in clients.items():
                if cpu0[n] is not None:
                    out[n][key + "_cpu"] = (tree_cpu(km) - cpu0[n]) / reps
        # A loop over a notebook variable at the cell's top level, and the same loop in a function
        # called at once (the TypeScript kernels only): how much slower top-level code runs.
        for n, (km, kc) in clients.items():
            if n not in LOOP_KERNELS:
                continue
            run_cell(kc, "let loopS = 0;")
            for i in range(loop_reps):
                for key, cell in LOOP_CELLS.items():
                    t, status, _ = run_cell(kc, cell)
                    if status != "ok":
                        out[n]["errors"].append(f"{cell}: status {status}")
                    out[n]["loop"][key].append(t)
                    settle(km)
        # The same blocks again from the wire client (the blocking clients' channels closed first,
        # so their threads do not read these cells' messages too).
        wires = {}
        for n, (km, kc) in clients.items():
            kc.stop_channels()
            wires[n] = WireClient(km)
        for key in ("one_plus_one", "one_plus_one_fresh", "typed_function"):
            for i in range(reps):
                for n, (km, _) in clients.items():
                    cell = cell_for(n, key, reps + i)
                    try:
                        t, status, text = wires[n].run_cell(cell)
                    except queue.Empty:  # reported, and the run goes on with the other cells
                        out[n]["errors"].append(f"wire {cell}: no reply and status idle within {TIMEOUT} s")
                        continue
                    if status != "ok" or (key.startswith("one_plus_one") and text != "2"):
                        out[n]["errors"].append(f"wire {cell}: status {status}, shown {text!r}")
                    out[n]["wire"][key].append(t)
                    settle(km)
        for w in wires.values():
            w.close()
    finally:
        for km, kc in clients.values():
            stop(km, kc)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--kernels", required=True)
    p.add_argument("--starts", type=int, default=5)
    p.add_argument("--reps", type=int, default=30)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--loop-reps", type=int, default=5)
    p.add_argument("--blocks", default="first,storm,memory,startup,cells", help="which blocks to run (cells includes the loop and wire blocks)")
    p.add_argument("--storm-kernels", default="gradlab,tslab")
    p.add_argument("--storm", type=int, default=8, help="kernels started together in the storm")
    p.add_argument("--nb-cells", type=int, default=8, help="notebook 04's first code cells run before gradlab's memory is read")
    p.add_argument("--cwd", help="the folder the kernels run in (a notebook folder)")
    p.add_argument("--log", help="file for the kernels' stdout and stderr (default: discarded)")
    a = p.parse_args()
    global LOG
    if a.cwd:
        KERNEL_CWD["cwd"] = a.cwd
    if a.log:
        LOG = open(a.log, "ab")
    blocks = set(a.blocks.split(","))
    json.dump(measure(a.kernels.split(","), a.starts, a.reps, a.warmup, a.loop_reps, blocks, a.storm_kernels.split(","), a.storm, a.nb_cells), sys.stdout)


if __name__ == "__main__":
    main()
