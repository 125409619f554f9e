// The book's Jupyter widgets embedder: renders the widget state that myst-nb writes into
// explorer pages, with no kernel and no network. It replaces the stock
// @jupyter-widgets/html-manager `embed-amd.js` (2.8 MB, 689 kB gzipped), of which the book
// used a fraction: that bundle carries the HTMLManager's rendermime registry (every
// JupyterLab output renderer, for the Output widget), an ajv JSON-schema validator, Font
// Awesome 5's CSS and fonts, and the ipywidgets 7 modules. The book's widgets are
// ipywidgets 8 sliders, boxes, labels and links (@jupyter-widgets/controls and base, model
// version 2.0.0) driving anywidget views, so this file bundles only
// @jupyter-widgets/base, @jupyter-widgets/controls and the ManagerBase of
// @jupyter-widgets/base-manager (build.mjs; tools/vendor_assets.py runs it).
//
// What it does is libembed-amd's renderWidgets with the HTMLManager's model loading:
// 1. define `@jupyter-widgets/base` and `@jupyter-widgets/controls` as AMD modules, so
//    that require.js hands anywidget's AMD module (vendor/anywidget, which asks for
//    `@jupyter-widgets/base`) the very classes the manager uses: its AnyModel extends
//    this bundle's DOMWidgetModel;
// 2. once the document is parsed, read each
//    <script type="application/vnd.jupyter.widget-state+json"> into a manager, then put
//    each <script type="application/vnd.jupyter.widget-view+json">'s view before its tag.
//
// Widgets from other modules (anywidget) load through require.js, whose paths
// assets/widgets-compat.js sets; there is no CDN fallback: offline it could only fail
// later and slower. State saved by ipywidgets 7 (model versions 1.x) is refused with an
// error naming it: this bundle has only ipywidgets 8's classes.

import * as base from "@jupyter-widgets/base";
import { ManagerBase } from "@jupyter-widgets/base-manager";
import * as controls from "@jupyter-widgets/controls";
import { MessageLoop } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
// The widgets' CSS, bundled by build.mjs into two strings (see injectStyles).
import { BASE_CSS, LAB_VARIABLES_CSS } from "widget-embed:css";

const STATE_TYPE = "application/vnd.jupyter.widget-state+json";
const VIEW_TYPE = "application/vnd.jupyter.widget-view+json";
// The widget state versions this bundle can render: ipywidgets 8's.
const MODEL_MAJOR = "2";

// 1. AMD modules for require.js. `window.define`, not `define`: build.mjs makes the bare
// name `undefined` inside the bundle (see there why).
if (typeof window.define === "function" && window.define.amd) {
  window.define("@jupyter-widgets/base", [], () => base);
  window.define("@jupyter-widgets/controls", [], () => controls);
}

let stylesInjected = false;

// As the HTMLManager does: the widgets' CSS (lumino's, nouislider's, the controls') goes
// in when the first controls model loads, and JupyterLab's CSS variables (the colours and
// sizes the controls' CSS refers to) only if the page does not define them already. Inline
// <style> elements: no extra request, and no font or image files (the CSS needs none:
// the dropdown's arrow is a data: URL, and no explorer shows an icon).
function injectStyles() {
  if (stylesInjected) {
    return;
  }
  stylesInjected = true;
  const add = (css, name) => {
    const style = document.createElement("style");
    style.dataset.widgetEmbed = name;
    style.textContent = css;
    document.head.appendChild(style);
  };
  if (getComputedStyle(document.documentElement).getPropertyValue("--jp-layout-color0") === "") {
    add(LAB_VARIABLES_CSS, "labvariables");
  }
  add(BASE_CSS, "widgets-base");
}

function requireModule(name) {
  return new Promise((resolve, reject) => {
    if (typeof window.requirejs !== "function") {
      reject(new Error(`cannot load the widget module ${name}: require.js is not on the page`));
      return;
    }
    window.requirejs([name], resolve, reject);
  });
}

class BookManager extends ManagerBase {
  constructor() {
    super();
    this.views = new Set();
    // Lumino widgets learn of a new window size only through this message (the
    // HTMLManager sends it too).
    window.addEventListener("resize", () => {
      for (const view of this.views) {
        MessageLoop.postMessage(view.luminoWidget, Widget.ResizeMessage.UnknownSize);
      }
    });
  }

  async loadClass(className, moduleName, moduleVersion) {
    let module;
    if (moduleName === "@jupyter-widgets/base" || moduleName === "@jupyter-widgets/controls") {
      if (String(moduleVersion).split(".")[0] !== MODEL_MAJOR) {
        throw new Error(`${moduleName} ${moduleVersion} (ipywidgets 7?): the book's widget ` +
                        `embedder renders ipywidgets 8 state (version ${MODEL_MAJOR}.x) only`);
      }
      if (moduleName === "@jupyter-widgets/controls") {
        injectStyles();
      }
      module = moduleName === "@jupyter-widgets/base" ? base : controls;
    } else {
      module = await requireModule(moduleName);
    }
    if (!module[className]) {
      throw new Error(`class ${className} not found in module ${moduleName}@${moduleVersion}`);
    }
    return module[className];
  }

  // No kernel: a saved page has no live comms, and a model that asks for one gets a comm
  // that goes nowhere (as the HTMLManager's).
  _get_comm_info() {
    return Promise.resolve({});
  }

  _create_comm() {
    return Promise.resolve({ on_close() {}, on_msg() {}, close() {} });
  }

  // Widget.attach, not appendChild: it sends the lumino lifecycle messages (after-attach)
  // that the controls draw on; a slider lays out its handle only once attached.
  async display_view(viewPromise, element) {
    let view;
    try {
      view = await viewPromise;
    } catch (error) {
      const message = `could not create a widget view: ${error}`;
      console.error(message);
      const ErrorModel = base.createErrorWidgetModel(error, message);
      view = new base.ErrorWidgetView({ model: new ErrorModel() });
      view.render();
    }
    Widget.attach(view.luminoWidget, element);
    this.views.add(view);
    view.once("remove", () => this.views.delete(view));
  }
}

async function renderState(stateTag) {
  // The stock embedder also validates the JSON against the widget-state schema (with ajv,
  // 40 kB): myst-nb writes this state itself, and ManagerBase.set_state checks its version.
  const state = JSON.parse(stateTag.textContent);
  const manager = new BookManager();
  const models = await manager.set_state(state);
  const byId = new Map(models.map((model) => [model.model_id, model]));
  const viewTags = document.querySelectorAll(`script[type="${VIEW_TYPE}"]`);
  await Promise.all(Array.from(viewTags, async (viewTag) => {
    const model = byId.get(JSON.parse(viewTag.textContent).model_id);
    if (model === undefined || viewTag.parentElement === null) {
      return;  // a view of another state tag's models
    }
    // A static snapshot saved in the notebook goes (as libembed does it).
    const previous = viewTag.previousElementSibling;
    if (previous && previous.tagName === "IMG" && previous.classList.contains("jupyter-widget")) {
      previous.remove();
    }
    const area = document.createElement("div");
    area.className = "widget-subarea";
    viewTag.parentElement.insertBefore(area, viewTag);
    await manager.display_view(manager.create_view(model), area);
  }));
}

function renderWidgets() {
  for (const stateTag of document.querySelectorAll(`script[type="${STATE_TYPE}"]`)) {
    renderState(stateTag).catch((error) => console.error("widget embedder:", error));
  }
}

// The script is loaded in <head>, before the tags it reads exist.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", renderWidgets);
} else {
  renderWidgets();
}
