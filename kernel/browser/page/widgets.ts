/**
 * @file ipywidgets 8's controls (sliders, boxes, labels) for the widget manager of
 * `@jupyter-widgets/jupyterlab-manager`, whose own controls plugin loads them with webpack's
 * `require.ensure` (kernel/browser/page/main.ts leaves it out): the same module, loaded with `import()`.
 */
import type { JupyterFrontEndPlugin } from "@jupyterlab/application";
import { IJupyterWidgetRegistry } from "@jupyter-widgets/base";
import { JUPYTER_CONTROLS_VERSION } from "@jupyter-widgets/controls/lib/version.js";

export const widgetControlsPlugin: JupyterFrontEndPlugin<void> = {
  id: `gradlab:widget-controls-${JUPYTER_CONTROLS_VERSION}`,
  description: "ipywidgets' controls for the widget manager",
  autoStart: true,
  requires: [IJupyterWidgetRegistry],
  activate: (_app, registry: IJupyterWidgetRegistry) => {
    registry.registerWidget({
      name: "@jupyter-widgets/controls",
      version: JUPYTER_CONTROLS_VERSION,
      exports: () => import("@jupyter-widgets/controls") as never,
    });
  },
};
