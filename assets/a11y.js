// Loaded on every page (html_js_files in _config.yml): small accessibility repairs of the
// stock theme and of MathJax, each one checked by axe-core in tests/test_built_book.py.
(function () {
  "use strict";

  // 1. The permalink anchor ("#") of every heading is a Tab stop of its own in the stock
  // theme: chapter 7 has eleven before its explorer. Keyboard and screen-reader users move
  // between headings with their own commands, so the anchors leave the Tab order; they stay
  // links for the mouse.
  function untabHeaderlinks() {
    var anchors = document.querySelectorAll("a.headerlink");
    for (var i = 0; i < anchors.length; i += 1) {
      anchors[i].setAttribute("tabindex", "-1");
    }
  }

  // 2. A control's accessible name must contain its visible text (WCAG 2.5.3, "Label in
  // Name"), so that a speech user can say what they see. The stock pages break it three
  // ways:
  // - the search button shows "Search Ctrl+K" but is labelled "Search": without the label
  //   its name is its visible text;
  // - the colour-mode button shows one icon titled "Light", "Dark" or "System Settings" but
  //   is labelled "Color mode": the label names the mode shown as well (kept current below);
  // - myst-nb's "Show code cell source" toggles are labelled "Toggle hidden content": without
  //   the label their name is the visible line ("Show ..." or "Hide ...").
  function nameFromVisibleText() {
    var unlabelled = document.querySelectorAll(
      ".search-button__button[aria-label], summary[aria-label='Toggle hidden content']");
    for (var i = 0; i < unlabelled.length; i += 1) {
      unlabelled[i].removeAttribute("aria-label");
    }
  }

  function labelModeButtons() {
    var mode = document.documentElement.dataset.mode || "auto";
    var buttons = document.querySelectorAll(".theme-switch-button");
    for (var i = 0; i < buttons.length; i += 1) {
      // the icon of the mode shown (an <i>, or the <svg> Font Awesome puts in its place)
      var icon = buttons[i].querySelector(".theme-switch[data-mode='" + mode + "']");
      var shown = icon && (icon.getAttribute("title") ||
                           (icon.querySelector("title") || {}).textContent);
      if (shown) {
        buttons[i].setAttribute("aria-label", "Color mode: " + shown);
      }
    }
  }

  // 3. A display equation wider than the column scrolls inside its box (course.css), and a
  // box that scrolls must be reachable from the keyboard (WCAG 2.1.1). MathJax keeps
  // equations out of the Tab order (inTabOrder: false in _config.yml), so each one that
  // overflows at the current width becomes a Tab stop, and leaves the Tab order again when
  // it fits: as the theme does for wide tables and code. An equation is measured again
  // whenever its box changes size, which is also when a folded box holding it (a solution,
  // a hint) is unfolded: folded, it has no width and so does not scroll.
  function tabIfScrolling(equation) {
    var scrolls = equation.scrollWidth > equation.clientWidth + 1;
    equation.setAttribute("tabindex", scrolls ? "0" : "-1");
  }

  function tabToScrollingEquations() {
    var equations = document.querySelectorAll("mjx-container[display='true']");
    for (var i = 0; i < equations.length; i += 1) {
      tabIfScrolling(equations[i]);
    }
    if (window.ResizeObserver) {
      var observer = new ResizeObserver(function (entries) {
        for (var j = 0; j < entries.length; j += 1) {
          tabIfScrolling(entries[j].target);
        }
      });
      for (var k = 0; k < equations.length; k += 1) {
        observer.observe(equations[k]);
      }
    }
  }

  function afterMathJax(callback) {
    if (!document.querySelector("script[src*='mathjax']")) {
      return;  // a page without math (Sphinx loads MathJax only where there is some)
    }
    var tries = 0;
    var timer = window.setInterval(function () {
      var mathjax = window.MathJax;
      tries += 1;
      if (mathjax && mathjax.startup && mathjax.startup.promise) {
        window.clearInterval(timer);
        mathjax.startup.promise.then(callback);
      } else if (tries > 600) {  // MathJax failed to load: nothing to do
        window.clearInterval(timer);
      }
    }, 100);
  }

  function start() {
    untabHeaderlinks();
    nameFromVisibleText();
    labelModeButtons();
    new MutationObserver(labelModeButtons).observe(
      document.documentElement, { attributes: true, attributeFilter: ["data-mode"] });
    afterMathJax(tabToScrollingEquations);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
