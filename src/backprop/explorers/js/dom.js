// Small DOM helpers shared by the explorers' views: elements, the numbers the parity tests
// read (every number an explorer shows sits in an element with a data-key), the message
// shown instead of numbers that overflowed, and the explorers' shared style.

const SVG_NS = "http://www.w3.org/2000/svg";

/** An HTML element: h("p", {class: "x"}, "text", child, ...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  element.append(...children);
  return element;
}

/** An SVG element with attributes. */
export function svgElement(tag, attributes = {}) {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) {
    element.setAttribute(name, value);
  }
  return element;
}

/**
 * A span for one shown number. `key` names the value (e.g. "o_4", "delta_6"); the parity
 * tests compare each span's text with the engine's value for that key.
 */
export function numberSpan(key) {
  return h("span", { class: "bp-num", "data-key": key });
}

/** Set every span of `root` whose data-key is in `texts` ({key: text}). */
export function setNumbers(root, texts) {
  for (const span of root.querySelectorAll("[data-key]")) {
    const key = span.getAttribute("data-key");
    if (Object.prototype.hasOwnProperty.call(texts, key)) {
      span.textContent = texts[key];
    }
  }
}

// Its own light background: the views' colours keep their contrast in a dark theme too.
// Its text keeps the view's dark colour: a dark theme colours headings, captions, table
// cells and summaries light (the book's dark mode: 1.1:1 on this white).
const STYLE = `
.bp-explorer { font-size: 0.95rem; line-height: 1.5; color: #1f2933; background: #ffffff; max-width: 100%; }
.bp-explorer :is(h1, h2, h3, h4, h5, h6, p, caption, th, td, summary, li) { color: inherit; }
.bp-explorer button:focus-visible, .bp-explorer [tabindex]:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.bp-explorer .bp-row { margin: 0.25em 0; }
.bp-explorer .bp-message { color: #b3261e; font-weight: bold; }
.bp-explorer .bp-message:empty { display: none; }
.bp-explorer svg { max-width: 100%; height: auto; display: block; }
.bp-explorer svg text { font-family: inherit; }
.bp-explorer .bp-formula { font-family: "STIX Two Math", "Cambria Math", "Times New Roman", serif; }
.bp-explorer .bp-num { font-variant-numeric: tabular-nums; }
.bp-explorer table.bp-values { border-collapse: collapse; margin: 0.5em 0; }
.bp-explorer table.bp-values th, .bp-explorer table.bp-values td { padding: 0.1em 0.6em; text-align: right; border-bottom: 1px solid #d5d9de; }
.bp-explorer .bp-visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

/**
 * The explorer's root element inside `el`, with the shared style (once per page) and a
 * group label read by screen readers.
 */
export function explorerRoot(el, label) {
  const doc = el.ownerDocument;
  if (!doc.getElementById("bp-explorer-style")) {
    const style = doc.createElement("style");
    style.id = "bp-explorer-style";
    style.textContent = STYLE;
    doc.head.append(style);
  }
  nameSlidersOnce(doc);
  const root = h("div", { class: "bp-explorer", role: "group", "aria-label": label });
  el.replaceChildren(root);
  return root;
}

/**
 * ipywidgets 8 draws a slider's description as a <label> tied to nothing: the handle
 * (role="slider", the element that takes the keyboard) has no accessible name, so a screen
 * reader announces "slider, 0" for every explorer control. Name each handle and readout
 * after the visible label, and drop the label's title="null" (a stock slip that shows
 * "null" as a tooltip). In every front end the views run in (the book's pages, JupyterLab,
 * Notebook 7, VS Code), the sliders come from the widget manager, not from the view, and
 * may be drawn after it: a document-wide observer, installed once, names them as they come.
 */
export function nameSliders(root) {
  for (const slider of root.querySelectorAll(".widget-slider")) {
    const label = slider.querySelector(".widget-label");
    if (label && label.getAttribute("title") === "null") {
      label.removeAttribute("title");
    }
    const text = label ? label.textContent.trim() : "";
    if (!text) {
      continue;
    }
    for (const handle of slider.querySelectorAll("[role=slider]")) {
      if (handle.getAttribute("aria-label") !== text) {
        handle.setAttribute("aria-label", text);
      }
    }
    const readout = slider.querySelector(".widget-readout");
    if (readout && !readout.getAttribute("aria-label")) {
      readout.setAttribute("aria-label", `${text} (type a value)`);
      readout.setAttribute("role", "textbox");
    }
  }
}

function nameSlidersOnce(doc) {
  if (doc.documentElement.hasAttribute("data-bp-slider-names")) {
    return;
  }
  doc.documentElement.setAttribute("data-bp-slider-names", "");
  let pending = false;
  const later = () => {
    if (!pending) { // one pass per frame, however many nodes a redraw adds
      pending = true;
      (doc.defaultView || globalThis).requestAnimationFrame(() => {
        pending = false;
        nameSliders(doc);
      });
    }
  };
  new MutationObserver((changes) => {
    if (changes.some((change) => change.addedNodes.length)) {
      later();
    }
  }).observe(doc.body, { childList: true, subtree: true });
  later();
}

/** The message line: empty when all is well; announced by screen readers when it changes. */
export function messageLine() {
  return h("p", { class: "bp-row bp-message", role: "status", "data-message": "" });
}
