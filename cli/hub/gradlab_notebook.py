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
"""
import importlib.util
import os

from jupyter_client.kernelspec import NATIVE_KERNEL_NAME, NoSuchKernel
from jupyter_client.kernelspec import KernelSpecManager as _KernelSpecManager
from jupyter_client.provisioning import KernelProvisionerFactory
from jupyter_core.paths import jupyter_path
from notebook.notebookapp import NotebookApp as _NotebookApp
from traitlets import default

__all__ = ["KernelSpecManager", "NotebookApp"]


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


class NotebookApp(_NotebookApp):
    """notebook.notebookapp.NotebookApp, whose nbextensions folders and kernelspecs are found without importing IPython."""

    @default("kernel_spec_manager_class")
    def _kernel_spec_manager_class_default(self):
        return KernelSpecManager

    @property
    def nbextensions_path(self):
        path = self.extra_nbextensions_path + jupyter_path("nbextensions")
        if installed("IPython"):
            path.append(os.path.join(ipython_dir(), "nbextensions"))
        return path
