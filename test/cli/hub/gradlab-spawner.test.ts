/**
 * @file gradlab's local-process spawners for JupyterHub (cli/hub/gradlab_spawner.py), in Debian's
 * Python with Debian's JupyterHub 3.0: how a server's port is picked (above the system's ephemeral
 * range, never one this hub gave to a running server, only when nothing listens on it), and that a
 * start takes a port and a stop gives it back. The hub running with these spawners is
 * test/integration/jupyterhub.test.ts.
 */
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ephemeralPortRange, HUB_PYTHON, NOTEBOOK_APP_DIR } from "../../support/jupyterhub.js";

/** Runs `script` in Debian's Python with cli/hub on its path; returns what it printed, as JSON. */
function python<T>(script: string): T {
  const r = spawnSync(HUB_PYTHON, ["-c", script], { env: { ...process.env, PYTHONPATH: NOTEBOOK_APP_DIR }, encoding: "utf8" });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const [EPHEMERAL_LOW, EPHEMERAL_HIGH] = ephemeralPortRange();

describe("gradlab_spawner.pick_port", () => {
  it("reads the system's ephemeral range, and says when a file has none", () => {
    const [range, missing] = python<[number[], null]>(
      'import json, gradlab_spawner as g; print(json.dumps([g.ephemeral_range(), g.ephemeral_range("/nonexistent")]))',
    );
    expect([range, missing]).toEqual([[EPHEMERAL_LOW, EPHEMERAL_HIGH], null]);
  });

  it("skips a port this hub gave out and one something listens on, in the order offered", () => {
    const [picked, offered] = python<[number, number[]]>(`
import json, gradlab_spawner as g
offered = []
queue = [61000, 61001, 61002, 61003]
def choose(low, high):
    assert (low, high) == (61000, 65535), (low, high)
    offered.append(queue.pop(0))
    return offered[-1]
picked = g.pick_port(taken={61000}, span=(32768, 60999), choose=choose, is_free=lambda p: p != 61001)
print(json.dumps([picked, offered]))`);
    expect([picked, offered]).toEqual([61002, [61000, 61001, 61002]]);
  });

  it("tells a port something listens on from a free one", () => {
    const [listening, closed] = python<[boolean, boolean]>(`
import json, socket, gradlab_spawner as g
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(); port = s.getsockname()[1]
listening = g.free(port)
s.close()
print(json.dumps([listening, g.free(port)]))`);
    expect([listening, closed]).toEqual([false, true]);
  });

  it("on this machine: 300 servers get 300 different free ports, all above the ephemeral range", () => {
    const ports = python<number[]>(`
import json, gradlab_spawner as g
taken = set()
for _ in range(300):
    port = g.pick_port(taken=taken)
    assert g.free(port), port
    taken.add(port)
print(json.dumps(sorted(taken)))`);
    expect(ports).toHaveLength(300);
    expect(ports[0]! > EPHEMERAL_HIGH && ports.at(-1)! <= 65535).toBe(true);
  });

  it("with no room above the ephemeral range, takes the ports the system offers, except those of this hub's servers", () => {
    const [picked, error] = python<[number, string]>(`
import json, gradlab_spawner as g
offers = iter([40000, 40001])
picked = g.pick_port(taken={40000}, span=(1024, 65535), fallback=lambda: next(offers))
try:
    g.pick_port(taken={40000}, span=(1024, 65535), fallback=lambda: 40000)
    error = ""
except RuntimeError as e:
    error = str(e)
print(json.dumps([picked, error]))`);
    expect([picked, error]).toEqual([40001, "gradlab_spawner: every port the system offered is held by this hub's servers"]);
  });

  it("says which range it searched when every port there is taken", () => {
    const error = python<string>(`
import json, gradlab_spawner as g
try:
    g.pick_port(taken=set(), span=(32768, 60999), is_free=lambda p: False)
except RuntimeError as e:
    print(json.dumps(str(e)))`);
    expect(error).toBe(
      "gradlab_spawner: no free port in 61000-65535 (above the ephemeral range 32768-60999) after 1000 tries; 0 are held by this hub's servers",
    );
  });
});

describe("gradlab_spawner's spawners", () => {
  it("are JupyterHub's, with ports of their own: a start takes one, a stop gives it back, a configured port is kept", () => {
    const r = python<Record<string, unknown>>(`
import asyncio, json
import gradlab_spawner as g
from jupyterhub.spawner import LocalProcessSpawner, SimpleLocalProcessSpawner

class Base:
    """JupyterHub's spawner, as far as the port goes: start returns where the server listens."""
    port = 0
    fail = False
    async def start(self):
        if self.fail:
            raise RuntimeError("spawn failed")
        return ("127.0.0.1", self.port)
    async def stop(self, now=False):
        pass

class Spawner(g.PortsOfTheirOwn, Base):
    pass

async def main():
    a, b, c, d = Spawner(), Spawner(), Spawner(), Spawner()
    out = {}
    _, pa = await a.start()
    _, pb = await b.start()
    out["two"] = [pa != pb, pa > ${EPHEMERAL_HIGH}, pb > ${EPHEMERAL_HIGH}, sorted(g.given) == sorted([pa, pb])]
    await a.stop()
    out["stopped"] = sorted(g.given) == [pb]
    _, pa2 = await a.start()
    out["restarted"] = [sorted(g.given) == sorted([pa2, pb]), a.port == pa2]
    c.port = 12345
    out["configured"] = [(await c.start())[1], 12345 in g.given]
    d.fail = True
    try:
        await d.start()
    except RuntimeError:
        pass
    out["failed"] = [d.port > ${EPHEMERAL_HIGH}, d.port not in g.given]
    out["subclasses"] = [issubclass(g.LocalProcessSpawner, LocalProcessSpawner), issubclass(g.SimpleLocalProcessSpawner, SimpleLocalProcessSpawner)]
    print(json.dumps(out))

asyncio.run(main())`);
    expect(r).toEqual({
      two: [true, true, true, true],
      stopped: true,
      restarted: [true, true],
      configured: [12345, false],
      failed: [true, true],
      subclasses: [true, true],
    });
  });
});
