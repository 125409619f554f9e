// Chapter 4's sigmoid explorer, computed in the page: the point net on sigma and sigma',
// the tangent of sigma there, and the numbers. Its Python is sigmoid.py (sigmoid_explorer);
// its tests are tests/explorers/test_sigmoid.py.
import { ACTIVATIONS } from "./js/network.js";
import { formatFixed, formatGivenProse, formatNumber, formatProse, givenReadout } from "./js/format.js";
import { explorerRoot, h, messageLine, numberSpan, setNumbers } from "./js/dom.js";
import { PALETTE, chart, legend } from "./js/chart.js";

const sigmoid = ACTIVATIONS.sigmoid;
const HALF_TANGENT = 1.5; // the tangent is drawn over net +- 1.5

/** Everything the explorer shows for one net input (numbers unformatted). */
export function sigmoidPoint(net) {
  const value = sigmoid.forward(net);
  const derivative = sigmoid.slope(value);
  return { net, value, derivative, fraction: derivative / 0.25 };
}

const SLOPE_PLACES = 4;
const EXTRA_PLACES = 8; // as backprop.worked.EXTRA_DECIMALS
const NET_PLACES = 2; // as sigmoid.py's: the slider's step is 0.05

/**
 * The texts of the shown numbers, by data-key, formatted as the engine formats them. The
 * net input is given (the slider's value, as set: 5, not 5.00); sigma and 1 - sigma carry
 * the fewest places from four on whose product rounds to the slope shown, so that the line
 * checks by hand (backprop.worked.checked_product): 0.99331 x 0.00669 = 0.0066 at net = 5.
 */
export function sigmoidTexts(point) {
  const slope = formatNumber(point.derivative, SLOPE_PLACES);
  let places = SLOPE_PLACES;
  while (places < SLOPE_PLACES + EXTRA_PLACES
    && formatNumber(Number(formatNumber(point.value, places))
      * Number(formatNumber(1 - point.value, places)), SLOPE_PLACES) !== slope) {
    places += 1;
  }
  return {
    net: formatGivenProse(point.net, NET_PLACES),
    minus_net: formatGivenProse(-point.net, NET_PLACES),
    sigma: formatProse(point.value, places),
    one_minus_sigma: formatProse(1 - point.value, places),
    slope: formatProse(point.derivative, SLOPE_PLACES),
    // from the slope as shown, so that it checks by hand: 0.0066 / (1/4) = 2.64 %
    percent: formatFixed(Number(slope) * 400, 2),
  };
}

function render({ model, el }) {
  const root = explorerRoot(el, "Sigmoid explorer");
  const f = (...children) => h("span", { class: "bp-formula" }, ...children);
  const sup = (...children) => h("sup", {}, ...children);
  const line = h("p", { class: "bp-row" },
    f("net = "), numberSpan("net"), ": ",
    f("\u03c3(net) = 1\u2009/\u2009(1 + e", sup(numberSpan("minus_net")), ") = "), numberSpan("sigma"),
    "; slope ", f("\u03c3\u2032(net) = \u03c3(1 \u2212 \u03c3) = "), numberSpan("sigma"), " \u00d7 ",
    numberSpan("one_minus_sigma"), " = ", numberSpan("slope"),
    " (", numberSpan("percent"), "% of the largest slope, 1/4).");
  const message = messageLine();
  const top = chart({
    width: 560, height: 200, x: { min: -10, max: 10 }, y: { min: -0.05, max: 1.05, label: "\u03c3(net)" },
    title: "the sigmoid \u03c3(net) and its tangent at the point",
    description: "The sigmoid curve, rising from 0 to 1, with the point at the chosen net input and its tangent.",
    margin: { bottom: 22 },
  });
  const bottom = chart({
    width: 560, height: 190, x: { min: -10, max: 10, label: "net input" }, y: { min: -0.01, max: 0.27, label: "\u03c3\u2032(net)" },
    title: "its slope \u03c3\u2032(net) = \u03c3(1 \u2212 \u03c3)",
    description: "The sigmoid's slope, a bump with its maximum 1/4 at net = 0, with the point at the chosen net input.",
  });
  const grid = [];
  for (let i = 0; i <= 400; i += 1) {
    grid.push(-10 + (20 * i) / 400);
  }
  top.line({ color: PALETTE.blue }).set(grid.map((z) => [z, sigmoid.forward(z)]));
  bottom.line({ color: PALETTE.orange }).set(grid.map((z) => { const o = sigmoid.forward(z); return [z, sigmoid.slope(o)]; }));
  bottom.hline(0.25, { label: "maximum 1/4 at net = 0" });
  const guides = [top.vline({ dash: "3 3" }), bottom.vline({ dash: "3 3" })];
  const tangent = top.line({ color: PALETTE.vermillion, dash: "6 4", width: 1.5 });
  const dotTop = top.dot({ color: PALETTE.blue, radius: 6 });
  const dotBottom = bottom.dot({ color: PALETTE.orange, radius: 6, shape: "square" });
  root.append(line, message, top.svg, bottom.svg, legend([
    { label: "\u03c3(net)", color: PALETTE.blue },
    { label: "tangent at the point (its slope is \u03c3\u2032)", color: PALETTE.vermillion, dash: "6 4" },
    { label: "\u03c3\u2032(net)", color: PALETTE.orange },
  ]));

  function update() {
    const net = Number(model.get("net"));
    if (!Number.isFinite(net)) {
      message.textContent = `could not show this point: net = ${net} is not a number`;
      return;
    }
    message.textContent = "";
    // the slider's readout (linked to readout_net) writes net as the line below does
    const readout = givenReadout(net, NET_PLACES);
    if (model.get("readout_net") !== readout) {
      model.set("readout_net", readout);
      model.save_changes();
    }
    const point = sigmoidPoint(net);
    setNumbers(line, sigmoidTexts(point));
    for (const guide of guides) {
      guide.set(net);
    }
    tangent.set([
      [net - HALF_TANGENT, point.value - HALF_TANGENT * point.derivative],
      [net + HALF_TANGENT, point.value + HALF_TANGENT * point.derivative],
    ]);
    dotTop.set(net, point.value);
    dotBottom.set(net, point.derivative);
  }
  model.on("change:net", update);
  update();
  return () => model.off("change:net", update);
}

export default { render };
