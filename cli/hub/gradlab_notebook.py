"""The classic notebook server (notebook 6.4) for a class on JupyterHub, started without IPython.

Give it to JupyterHub's single-user server in the spawner's environment:

    c.Spawner.environment = {
        "JUPYTERHUB_SINGLEUSER_APP": "gradlab_notebook.NotebookApp",
        "PYTHONPATH": "/usr/local/lib/node_modules/gradlab/cli/hub",  # this folder
    }

It is notebook's own NotebookApp, with one difference: the server never imports IPython (and
with it prompt_toolkit, jedi and pygments), which notebook 6.4 and jupyter_client import only to
name IPython's legacy folders, `~/.ipython/nbextensions` and `~/.ipython/kernels`, and ipykernel
(which imports IPython) only to compare a `python3` kernelspec's folder with ipykernel's own.
The folders are the same: IPython's is `$IPYTHONDIR` when it is set, else `.ipython` in the home
folder (resolved); ipykernel's resources folder is found without running the package.

It also restarts a kernel that could not bind its ports on new ones. jupyter_client (7.4) picks a
kernel's ports by binding port 0 and letting go, so two servers starting kernels at the same
moment (a class at 9:00) can hand one port to two kernels: the second cannot bind it and exits,
and the server restarts it "with new random ports", which with jupyter_client's port cache
(`KernelManager.cache_ports`, on by default) are the same taken ports, five times, until the
kernel is declared dead. Its kernel managers keep no such cache (`cache_ports` is no configurable
option), so a restart picks new ports; a `kernel_manager_class` set in the configuration is kept.

And it tells its kernels where it serves plotly.js, when `gradlab install` put it among its
nbextensions (`nbextensions/gradlab/plotly.min.js`): `GRADLAB_PLOTLY_SRC` in their environment, a
path under the server's base URL. gradlab's figures then load plotly.js from there (a small
script in each) instead of the first one carrying the whole 4.8 MB library through the kernel,
the server and the page, and into the saved notebook.
"""
import importlib.util
import os

from jupyter_client.ioloop import AsyncIOLoopKernelManager, IOLoopKernelManager
from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, NoSuchKernel
from jupyter_client.kernelspec import KernelSpecManager as _KernelSpecManager
from jupyter_client.provisioning import KernelProvisionerFactory
from jupyter_core.paths import jupyter_path
from notebook.notebookapp import NotebookApp as _NotebookApp
from notebook.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import default

__all__ = ["AsyncKernelManager", "KernelManager", "KernelSpecManager", "NotebookApp"]


def ipython_dir():
    """IPython's folder as IPython.paths.get_ipython_dir names it (its legacy IPYTHON_DIR and XDG folders aside)."""
    ipdir = os.environ.get("IPYTHONDIR") or os.path.join(os.path.realpath(os.path.expanduser("~")), ".ipython")
    return os.path.normpath(os.path.expanduser(ipdir))


def installed(package):
    """Whether `package` can be imported (found without running it)."""
    return importlib.util.find_spec(package) is not None


def ipykernel_resources():
    """ipykernel.kernelspec.RESOURCES (the folder of ipykernel's own kernelspec), or None without ipykernel."""
    spec = importlib.util.find_spec("ipykernel")
    if spec is None or not spec.submodule_search_locations:
        return None
    return os.path.join(list(spec.submodule_search_locations)[0], "resources")


class KernelSpecManager(_KernelSpecManager):
    """jupyter_client's KernelSpecManager, which imports neither IPython nor ipykernel for a kernelspec on disk."""

    def _kernel_dirs_default(self):
        dirs = jupyter_path("kernels")
        if installed("IPython"):
            dirs.append(os.path.join(ipython_dir(), "kernels"))
        return dirs

    def _get_kernel_spec_by_name(self, kernel_name, resource_dir):
        if kernel_name == NATIVE_KERNEL_NAME and resource_dir == ipykernel_resources():
            return super()._get_kernel_spec_by_name(kernel_name, resource_dir)
        # The base class's way for any other folder, without importing ipykernel to compare.
        kspec = self.kernel_spec_class.from_resource_dir(resource_dir)
        if not KernelProvisionerFactory.instance(parent=self.parent).is_provisioner_available(kspec):
            raise NoSuchKernel(kernel_name)
        return kspec


def forget_kernel_info(km):
    """After a restart: release the server's wait for the kernel_info reply of the kernel that died.

    notebook's channels handler keeps its kernel_info request's future on the kernel manager
    (`_kernel_info_future`) and opens a front end's WebSocket only once it is resolved; a kernel
    restarted before it answered never will, so the handler would wait out `kernel_info_timeout`
    (60 s) first. Resolved empty, as that timeout resolves it, the handler goes on at once, and
    connects to the new kernel's ports; the next handler asks the new kernel.
    """
    future = km.__dict__.pop("_kernel_info_future", None)
    if future is not None and not future.done():
        future.set_result({})


class KernelManager(IOLoopKernelManager):
    """The classic server's kernel manager, which restarts a kernel on new ports when asked to."""

    @default("cache_ports")
    def _default_cache_ports(self):
        return False

    def restart_kernel(self, now=False, newports=False, **kw):
        super().restart_kernel(now=now, newports=newports, **kw)
        forget_kernel_info(self)


class AsyncKernelManager(AsyncIOLoopKernelManager):
    """The same, for the server's asynchronous kernel managers (`AsyncMappingKernelManager`)."""

    @default("cache_ports")
    def _default_cache_ports(self):
        return False

    async def restart_kernel(self, now=False, newports=False, **kw):
        await super().restart_kernel(now=now, newports=newports, **kw)
        forget_kernel_info(self)


class NotebookApp(_NotebookApp):
    """notebook.notebookapp.NotebookApp, whose nbextensions folders and kernelspecs are found without importing IPython, and whose kernels are restarted on new ports."""

    @default("kernel_spec_manager_class")
    def _kernel_spec_manager_class_default(self):
        return KernelSpecManager

    def init_configurables(self):
        served = "nbextensions/gradlab/plotly.min.js"
        if any(os.path.isfile(os.path.join(d, "gradlab", "plotly.min.js")) for d in self.nbextensions_path):
            os.environ.setdefault("GRADLAB_PLOTLY_SRC", served)
        mapping = self.kernel_manager_class
        configured = (c.__name__ in self.config and "kernel_manager_class" in self.config[c.__name__] for c in mapping.mro())
        if not any(configured):
            ours = AsyncKernelManager if issubclass(mapping, AsyncMappingKernelManager) else KernelManager
            self.config[mapping.__name__].kernel_manager_class = f"{__name__}.{ours.__name__}"
        super().init_configurables()

    @property
    def nbextensions_path(self):
        path = self.extra_nbextensions_path + jupyter_path("nbextensions")
        if installed("IPython"):
            path.append(os.path.join(ipython_dir(), "nbextensions"))
        return path
