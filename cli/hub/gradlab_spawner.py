"""JupyterHub's local-process spawners for a class on one machine, each server on a port no one else is given.

Name them in the hub's configuration (jupyterhub_config.py is Python, so it can put this folder
on its own path):

    import sys
    sys.path.insert(0, "/usr/local/lib/node_modules/gradlab/cli/hub")  # this folder
    c.JupyterHub.spawner_class = "gradlab_spawner.LocalProcessSpawner"

They are jupyterhub.spawner's LocalProcessSpawner and SimpleLocalProcessSpawner with one
difference: how a server's port is chosen. JupyterHub (3.0) picks it by binding port 0 and letting
go, as every program on the machine does for its own sockets, and the server binds it seconds
later, after its imports. When a class's servers start together (9:00), two of them can be handed
the same port: the second exits ("port ... is not available"), and the hub, which only waits for
an HTTP answer on that port, takes the first student's server for the second's and routes them
there, where every request is refused (404) until they restart their server. The same can happen
with any other socket that took the port in between: a kernel's ports, picked the same way, or the
local end of one of the many connections the proxy and the hub open.

Here a server's port is taken above the system's ephemeral range
(/proc/sys/net/ipv4/ip_local_port_range, by default 32768-60999; 61000-65535 stays), where the
system gives out no port of its own, never one this hub gave to a server it has not stopped, and
only when nothing listens on it. A port configured with `c.Spawner.port` is used as it is. Where the
ephemeral range leaves nothing above it, ports are picked as JupyterHub picks them, still never one
this hub gave to a running server.
"""
import random
import socket

from jupyterhub.spawner import LocalProcessSpawner as _LocalProcessSpawner
from jupyterhub.spawner import SimpleLocalProcessSpawner as _SimpleLocalProcessSpawner
from jupyterhub.utils import random_port

__all__ = ["LocalProcessSpawner", "SimpleLocalProcessSpawner", "pick_port"]

EPHEMERAL_RANGE_FILE = "/proc/sys/net/ipv4/ip_local_port_range"
# Fewer free ports than this above the ephemeral range: JupyterHub's own way, below.
MIN_PORTS_ABOVE = 256
ATTEMPTS = 1000

# The ports this hub process gave to servers that have not stopped (every spawner of a hub runs in its process).
given = set()


def ephemeral_range(path=EPHEMERAL_RANGE_FILE):
    """The system's ephemeral port range (low, high), or None where it cannot be read."""
    try:
        with open(path) as f:
            low, high = (int(x) for x in f.read().split())
        return low, high
    except (OSError, ValueError):
        return None


def free(port):
    """Whether nothing is bound to `port` on any address (the test socket is closed at once)."""
    with socket.socket() as s:
        try:
            s.bind(("", port))
        except OSError:
            return False
    return True


def pick_port(taken=given, span=None, choose=random.randint, is_free=free, fallback=random_port):
    """A port for a new server: above the ephemeral range `span`, not in `taken`, free.

    Raises RuntimeError (naming the range) when no such port was found.
    """
    span = ephemeral_range() if span is None else span
    if span is None or 65535 - span[1] < MIN_PORTS_ABOVE:
        for _ in range(ATTEMPTS):
            port = fallback()
            if port not in taken:
                return port
        raise RuntimeError("gradlab_spawner: every port the system offered is held by this hub's servers")
    low = span[1] + 1
    for _ in range(ATTEMPTS):
        port = choose(low, 65535)
        if port not in taken and is_free(port):
            return port
    raise RuntimeError(
        f"gradlab_spawner: no free port in {low}-65535 (above the ephemeral range {span[0]}-{span[1]}) "
        f"after {ATTEMPTS} tries; {len(taken)} are held by this hub's servers"
    )


class PortsOfTheirOwn:
    """Each start takes a port from pick_port; each stop gives it back. A configured port is kept."""

    _picked = 0

    async def start(self):
        if self.port == 0 or self.port == self._picked:
            given.discard(self._picked)
            self.port = self._picked = pick_port()
            given.add(self._picked)
        try:
            return await super().start()
        except BaseException:
            self._release()
            raise

    async def stop(self, now=False):
        try:
            return await super().stop(now=now)
        finally:
            self._release()

    def _release(self):
        given.discard(self._picked)


class LocalProcessSpawner(PortsOfTheirOwn, _LocalProcessSpawner):
    """jupyterhub.spawner.LocalProcessSpawner, each server on a port of its own."""


class SimpleLocalProcessSpawner(PortsOfTheirOwn, _SimpleLocalProcessSpawner):
    """jupyterhub.spawner.SimpleLocalProcessSpawner (tests and demos: every server runs as the hub's user), each server on a port of its own."""
