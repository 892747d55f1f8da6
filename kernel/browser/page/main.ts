/**
 * @file The site's page: JupyterLab's lab interface with JupyterLite's in-browser services and
 * gradlab's kernel (kernel.ts), assembled from the extension packages listed below (their plugins,
 * less those JupyterLite replaces) as JupyterLite's own lab application is.
 */
import { JupyterLab, type JupyterFrontEndPlugin } from "@jupyterlab/application";
import { PageConfig } from "@jupyterlab/coreutils";
import { IServiceManager, type ServiceManager } from "@jupyterlab/services";
import { PluginRegistry } from "@lumino/coreutils";

import "./styles.js";
import { gradlabKernelClientPlugin, gradlabKernelPlugin } from "./kernel.js";
import { widgetControlsPlugin } from "./widgets.js";

/** Plugins of the packages below that JupyterLite replaces or that need a Jupyter server. */
const DISABLED = new Set([
  "@jupyterlab/application-extension:logo",
  "@jupyterlab/application-extension:main",
  "@jupyterlab/application-extension:tree-resolver",
  "@jupyterlab/application-extension:router",
  "@jupyterlab/apputils-extension:licenses-client",
  "@jupyterlab/apputils-extension:announcements",
  "@jupyterlab/apputils-extension:resolver",
  "@jupyterlab/docmanager-extension:download",
  "@jupyterlab/filebrowser-extension:download",
  "@jupyterlab/filebrowser-extension:share-file",
  "@jupyterlab/services-extension:config-section-manager",
  "@jupyterlab/services-extension:connection-status",
  "@jupyterlab/services-extension:default-drive",
  "@jupyterlab/services-extension:event-manager",
  "@jupyterlab/services-extension:kernel-manager",
  "@jupyterlab/services-extension:kernel-spec-manager",
  "@jupyterlab/services-extension:nbconvert-manager",
  "@jupyterlab/services-extension:session-manager",
  "@jupyterlab/services-extension:setting-manager",
  "@jupyterlab/services-extension:user-manager",
  "@jupyterlab/services-extension:workspace-manager",
  "@jupyterlab/translation:translator",
  // the console and file editor are not on the site
  "@jupyterlab/tooltip-extension:consoles",
  "@jupyterlab/tooltip-extension:files",
  // search, the table of contents, language servers and the metadata form are not on the site
  "@jupyterlab/notebook-extension:search",
  "@jupyterlab/notebook-extension:toc",
  "@jupyterlab/notebook-extension:language-server",
  "@jupyterlab/notebook-extension:update-raw-mimetype",
  "@jupyterlite/application-extension:lsp-connection-manager",
  // loads the controls with webpack's require.ensure; widgets.ts registers them with import()
  "@jupyter-widgets/jupyterlab-manager:controls-2.0.0",
  // replaced by gradlab's kernel client (kernel.ts), which passes interrupts to the kernel
  "@jupyterlite/services-extension:kernel-client",
  // a service worker serves files to kernels with a file system (Pyodide's); gradlab's has none
  "@jupyterlite/application-extension:service-worker-manager",
]);

/** A package's plugins: its default export, one plugin or several (front-end or service-manager plugins). */
type Exported = { default: unknown };

/** The extension packages, in JupyterLite's lab order. */
const extensions: [string, Promise<Exported>][] = [
  ["@jupyterlab/application-extension", import("@jupyterlab/application-extension")],
  ["@jupyterlab/apputils-extension", import("@jupyterlab/apputils-extension")],
  ["@jupyterlab/codemirror-extension", import("@jupyterlab/codemirror-extension")],
  ["@jupyterlab/completer-extension", import("@jupyterlab/completer-extension")],
  ["@jupyterlab/docmanager-extension", import("@jupyterlab/docmanager-extension")],
  ["@jupyterlab/filebrowser-extension", import("@jupyterlab/filebrowser-extension")],
  ["@jupyterlab/launcher-extension", import("@jupyterlab/launcher-extension")],
  ["@jupyterlab/mainmenu-extension", import("@jupyterlab/mainmenu-extension")],
  ["@jupyterlab/markedparser-extension", import("@jupyterlab/markedparser-extension")],
  ["@jupyterlab/mathjax-extension", import("@jupyterlab/mathjax-extension")],
  ["@jupyterlab/notebook-extension", import("@jupyterlab/notebook-extension")],
  ["@jupyterlab/rendermime-extension", import("@jupyterlab/rendermime-extension")],
  ["@jupyterlab/services-extension", import("@jupyterlab/services-extension")],
  ["@jupyterlab/shortcuts-extension", import("@jupyterlab/shortcuts-extension")],
  ["@jupyterlab/statusbar-extension", import("@jupyterlab/statusbar-extension")],
  ["@jupyterlab/theme-light-extension", import("@jupyterlab/theme-light-extension")],
  ["@jupyterlab/tooltip-extension", import("@jupyterlab/tooltip-extension")],
  ["@jupyterlab/translation-extension", import("@jupyterlab/translation-extension")],
  ["@jupyterlab/ui-components-extension", import("@jupyterlab/ui-components-extension")],
  ["@jupyterlite/application-extension", import("@jupyterlite/application-extension")],
  ["@jupyterlite/apputils-extension", import("@jupyterlite/apputils-extension")],
  ["@jupyterlite/services-extension", import("@jupyterlite/services-extension")],
  // ipywidgets 8's front end: the widget manager of notebooks, its base and output widgets
  ["@jupyter-widgets/jupyterlab-manager", import("@jupyter-widgets/jupyterlab-manager")],
];

async function main(): Promise<void> {
  const plugins: JupyterFrontEndPlugin<unknown>[] = [];
  for (const [name, loading] of extensions) {
    const exported = (await loading).default as JupyterFrontEndPlugin<unknown> | JupyterFrontEndPlugin<unknown>[];
    for (const plugin of Array.isArray(exported) ? exported : [exported]) {
      if (DISABLED.has(plugin.id) || PageConfig.Extension.isDisabled(plugin.id)) continue;
      plugins.push({ ...plugin, extension: name } as JupyterFrontEndPlugin<unknown>);
    }
  }
  plugins.push(
    gradlabKernelPlugin as JupyterFrontEndPlugin<unknown>,
    gradlabKernelClientPlugin as JupyterFrontEndPlugin<unknown>,
    widgetControlsPlugin as JupyterFrontEndPlugin<unknown>,
  );

  const pluginRegistry = new PluginRegistry();
  pluginRegistry.registerPlugins(plugins);
  const serviceManager = (await pluginRegistry.resolveRequiredService(IServiceManager)) as ServiceManager.IManager;
  const app = new JupyterLab({
    pluginRegistry,
    serviceManager,
    mimeExtensions: [],
    availablePlugins: plugins as unknown as JupyterLab.IOptions["availablePlugins"],
  });
  (window as unknown as { jupyterapp: JupyterLab }).jupyterapp = app;
  await app.start({ bubblingKeydown: true });
  await app.restored;
  document.body.dataset.gradlabReady = "true";
}

void main();
