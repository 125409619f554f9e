// Loaded before require.js and the book's widget embedder (see nb_ipywidgets_js in
// _config.yml; the embedder is built from tools/widget_embed). It mends stock faults of
// ipywidgets 8 and sets what the embedder needs from the page.
//
// 1. The explorers are anywidgets: the embedder loads the module `anywidget` through
// require.js, which without a path would look for it beside the page (a 404). A global
// `require` object defined before require.js loads is its configuration: point the
// module at the vendored copy beside this script (same version as the Python package).
// The embedder defines `@jupyter-widgets/base` and `controls` itself.
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  if (!here) {
    return;
  }
  window.require = window.require || {};
  window.require.paths = window.require.paths || {};
  window.require.paths.anywidget = new URL("vendor/anywidget/dist/index", here).href;
})();

// 2.
// ipywidgets 8 typesets the maths of HTMLMath widgets and descriptions by calling
// MathJax 2's `MathJax.Hub.Queue(["Typeset", MathJax.Hub, element])`, but the book
// loads MathJax 3, which has no Hub: without this shim every such widget throws.
// The shim answers those calls with MathJax 3's `typesetPromise`, waiting for
// MathJax to finish starting up, and re-attaches itself whenever MathJax 3 replaces
// the `window.MathJax` configuration object with its own.
(function () {
  "use strict";
  var pending = [];

  function mathjaxReady() {
    var mj = window.MathJax;
    return mj && typeof mj.typesetPromise === "function" && mj.startup && mj.startup.promise;
  }

  function flush() {
    if (!mathjaxReady() || pending.length === 0) {
      return;
    }
    var elements = pending.splice(0, pending.length);
    window.MathJax.startup.promise
      .then(function () { return window.MathJax.typesetPromise(elements); })
      .catch(function (error) { console.warn("MathJax typesetting of a widget failed:", error); });
  }

  var hub = {
    Queue: function () {
      for (var i = 0; i < arguments.length; i += 1) {
        var job = arguments[i];
        if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
          pending.push(job[2]);
        }
      }
      attach();
      flush();
    },
  };

  function attach() {
    window.MathJax = window.MathJax || {};
    if (!window.MathJax.Hub) {
      window.MathJax.Hub = hub;
    }
    flush();
  }

  attach();
  document.addEventListener("DOMContentLoaded", attach);
  window.addEventListener("load", attach);
  // MathJax 3 loads asynchronously; keep checking briefly until it is up, then stop.
  var tries = 0;
  var timer = window.setInterval(function () {
    attach();
    tries += 1;
    if (mathjaxReady() || tries > 100) {
      window.clearInterval(timer);
    }
  }, 100);
})();

// 3. The sliders' accessible names are given by the explorers' own views
// (nameSliders in src/backprop/explorers/js/dom.js), in the book and in every notebook
// front end alike.
