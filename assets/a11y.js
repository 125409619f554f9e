// Loaded on every page (html_js_files in _config.yml). The permalink anchor ("#") of every
// heading is a Tab stop of its own in the stock theme: chapter 7 has eleven before its
// explorer. Keyboard and screen-reader users move between headings with their own
// commands, so the anchors leave the Tab order; they stay links for the mouse.
(function () {
  "use strict";
  function untab() {
    var anchors = document.querySelectorAll("a.headerlink");
    for (var i = 0; i < anchors.length; i += 1) {
      anchors[i].setAttribute("tabindex", "-1");
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", untab);
  } else {
    untab();
  }
})();
