// Chapter 9's learning-rate explorer, computed in the page: post 001's 2-3-1 network (sigmoid
// hidden layer, linear output, E = 1/(2m) sum (o - t)^2) trained with full-batch gradient
// descent for the chosen eta and number of epochs; its loss curve against the chapter's four
// learning rates (grey), and the fit it reaches. Its Python is learning_rate.py
// (learning_rate_explorer); its tests are tests/explorers/test_learning_rate.py.
//
// The seeded draws (the 20 examples and the initial weights) come in `data`; the training
// mirrors the engine's batch step (Network._step and _apply) operation by operation.
import { ACTIVATIONS } from "./js/network.js";
import { formatGeneral, formatProse } from "./js/format.js";
import { explorerRoot, h, messageLine, numberSpan, setNumbers } from "./js/dom.js";
import { PALETTE, chart, legend } from "./js/chart.js";

export const REFERENCE_ETAS = [0.05, 0.5, 1.5, 3.0];
export const MAX_EPOCHS = 1000;
export const CHECKPOINTS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];
const DASHES = ["2 3", "7 4", "7 3 2 3", "1 2"];
const sigmoid = ACTIVATIONS.sigmoid.forward;

/** numpy's sum of a contiguous float64 vector: pairwise, 8 accumulators up to 128 entries. */
export function numpySum(values) {
  const n = values.length;
  if (n < 8) {
    let total = 0;
    for (let i = 0; i < n; i += 1) {
      total += values[i];
    }
    return total;
  }
  if (n > 128) {
    const half = Math.floor(n / 2) - (Math.floor(n / 2) % 8);
    return numpySum(values.subarray(0, half)) + numpySum(values.subarray(half));
  }
  const r = Array.from(values.subarray(0, 8));
  let i = 8;
  for (; i < n - (n % 8); i += 8) {
    for (let k = 0; k < 8; k += 1) {
      r[k] += values[i + k];
    }
  }
  let total = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
  for (; i < n; i += 1) {
    total += values[i];
  }
  return total;
}

function outputsOf(problem, w1, b1, w2, b2, hidden, out) {
  const { x, m } = problem;
  for (let d = 0; d < m; d += 1) {
    let o = 0;
    for (let j = 0; j < 3; j += 1) {
      const net = (x[2 * d] * w1[2 * j] + x[2 * d + 1] * w1[2 * j + 1]) + b1[j];
      hidden[3 * d + j] = sigmoid(net);
      o += hidden[3 * d + j] * w2[j];
    }
    out[d] = o + b2[0];
  }
}

/**
 * Train the 2-3-1 network with full-batch steps, as backprop.experiments.learning_rate_run:
 * the error of each epoch is taken before its update; a run diverges at the first epoch whose
 * error is not finite or exceeds `factor` times the first epoch's (that epoch kept).
 * @param problem {x: Float64Array(2m), t: Float64Array(m), m, w1: [6], w2: [3]} (zero biases)
 * @returns {{eta, loss: number[], divergedAt: number|null, increases: number, predictions: Float64Array|null}}
 */
export function trainRun(problem, eta, epochs, factor = 100.0) {
  const { x, t, m } = problem;
  const w1 = Float64Array.from(problem.w1);
  const w2 = Float64Array.from(problem.w2);
  const b1 = new Float64Array(3);
  const b2 = new Float64Array(1);
  const hidden = new Float64Array(3 * m);
  const out = new Float64Array(m);
  const delta2 = new Float64Array(m);
  const delta1 = new Float64Array(3 * m);
  const loss = [];
  let divergedAt = null;
  for (let epoch = 1; epoch <= epochs; epoch += 1) {
    outputsOf(problem, w1, b1, w2, b2, hidden, out);
    let squares = 0;
    for (let d = 0; d < m; d += 1) {
      delta2[d] = t[d] - out[d];
      squares += delta2[d] * delta2[d];
    }
    const error = (0.5 * squares) / m;
    if (!Number.isFinite(error)) {
      divergedAt = epoch; // training stops here; the finite epochs before it are kept
      break;
    }
    loss.push(error);
    if (error > factor * loss[0]) {
      divergedAt = epoch;
      break;
    }
    for (let d = 0; d < m; d += 1) {
      delta2[d] /= m; // the linear output's delta: (t - o) / m
      for (let j = 0; j < 3; j += 1) {
        const o = hidden[3 * d + j];
        delta1[3 * d + j] = ((1.0 - o) * o) * (delta2[d] * w2[j]);
      }
    }
    // w += eta (delta^T signal), b += eta sum_d delta, every delta known before any update
    for (let j = 0; j < 3; j += 1) {
      for (let i = 0; i < 2; i += 1) {
        let g = 0;
        for (let d = 0; d < m; d += 1) {
          g += delta1[3 * d + j] * x[2 * d + i];
        }
        w1[2 * j + i] += eta * g;
      }
      let g = delta1[j];
      for (let d = 1; d < m; d += 1) {
        g += delta1[3 * d + j];
      }
      b1[j] += eta * g;
    }
    for (let j = 0; j < 3; j += 1) {
      let g = 0;
      for (let d = 0; d < m; d += 1) {
        g += delta2[d] * hidden[3 * d + j];
      }
      w2[j] += eta * g;
    }
    b2[0] += eta * numpySum(delta2);
  }
  let increases = 0;
  for (let k = 1; k < loss.length; k += 1) {
    increases += loss[k] > loss[k - 1] ? 1 : 0;
  }
  let predictions = null;
  if (divergedAt === null) {
    predictions = new Float64Array(m);
    outputsOf(problem, w1, b1, w2, b2, hidden, predictions);
  }
  return { eta, loss, divergedAt, increases, predictions };
}

/** LearningRateRun.message: "" or where the run diverged. */
export function runMessage(run) {
  return run.divergedAt === null ? ""
    : `diverged at epoch ${run.divergedAt}: the error grew without bound (learning rate too large)`;
}

/** The epochs the table lists: the checkpoints up to `epochs`, and `epochs` itself. */
export function tableEpochs(epochs) {
  const shown = CHECKPOINTS.filter((e) => e <= epochs);
  return shown.includes(epochs) ? shown : [...shown, epochs];
}

/** A loss as the table shows it: 4 significant digits, "\u2014" past the end of a curve. */
export function lossText(loss, epoch) {
  return epoch <= loss.length ? formatGeneral(loss[epoch - 1], 4) : "\u2014";
}

/** The texts of the shown numbers, by data-key. */
export function learningRateTexts(problem, run, references, epochs) {
  const diverged = run.divergedAt !== null;
  const final = run.loss[run.loss.length - 1];
  const texts = {
    eta: formatGeneral(run.eta, 3),
    epochs_run: diverged ? "" : String(run.loss.length),
    final_error: diverged ? "" : formatProse(final, 5),
    first_error: diverged ? "" : formatProse(run.loss[0], 5),
    increases: diverged ? "" : String(run.increases),
    oscillation: diverged ? "" : run.increases ? " (oscillation)." : ".",
  };
  for (const epoch of tableEpochs(epochs)) {
    texts[`loss_${epoch}`] = lossText(run.loss, epoch);
    references.forEach((reference, k) => { texts[`ref${k}_${epoch}`] = lossText(reference.loss, epoch); });
  }
  for (let d = 0; d < problem.m; d += 1) {
    texts[`t_${d + 1}`] = formatProse(problem.t[d], 4);
    texts[`o_${d + 1}`] = run.predictions ? formatProse(run.predictions[d], 4) : "\u2014";
  }
  return texts;
}

// ------------------------------------------------------------------------------ view

function decades(values, padLow, padHigh) {
  // log-axis limits snapped to whole decades (as the old matplotlib explorers had them)
  let smallest = Infinity;
  let largest = -Infinity;
  for (const v of values) {
    if (Number.isFinite(v) && v > 0) {
      smallest = Math.min(smallest, v);
      largest = Math.max(largest, v);
    }
  }
  if (!(smallest <= largest)) {
    return [0.1, 10];
  }
  const low = Math.max(Math.floor(Math.log10(smallest) - Math.log10(padLow)), -250);
  let high = Math.min(Math.ceil(Math.log10(largest) + Math.log10(padHigh)), 250);
  if (high <= low) {
    high = low + 1;
  }
  return [10 ** low, 10 ** high];
}

function snap(low, high, step) {
  return [Math.floor(low / step) * step, Math.ceil(high / step) * step];
}

/** The page's problem from the widget's data: typed arrays of the examples and weights. */
export function problemOf(data) {
  return {
    x: Float64Array.from(data.x.flat()),
    t: Float64Array.from(data.t),
    m: data.t.length,
    w1: data.w1.flat(),
    w2: data.w2.flat(),
  };
}

function render({ model, el }) {
  const root = explorerRoot(el, "Learning-rate explorer");
  const problem = problemOf(model.get("data"));
  const references = REFERENCE_ETAS.map((eta) => trainRun(problem, eta, MAX_EPOCHS));
  const summary = h("p", { class: "bp-row" }, "\u03b7 = ", numberSpan("eta"), ": ");
  // an epoch's error is measured before its update (backprop.History.loss), so "in epoch N"
  const result = h("span", {}, "error in epoch ", numberSpan("epochs_run"), ": ",
    h("b", {}, numberSpan("final_error")), " (epoch 1: ", numberSpan("first_error"),
    "); the error went up in ", numberSpan("increases"), " of the epochs", numberSpan("oscillation"));
  const message = messageLine();
  message.classList.add("bp-inline");
  summary.append(result, message);
  const lossChart = chart({
    width: 560, height: 280, x: { min: 0, max: 204, label: "epoch" },
    y: { min: 1e-3, max: 1, log: true, label: "training error E" },
    title: "training error per epoch (log scale)",
    description: "Training error per epoch for your learning rate and the chapter's four; the numbers are in the table below.",
  });
  const referenceLines = references.map((_, k) => lossChart.line({ color: PALETTE.grey, dash: DASHES[k], width: 1.3 }));
  const lossLine = lossChart.line({ color: PALETTE.blue, width: 2.6 });
  const fitChart = chart({
    width: 320, height: 280, x: { min: -1, max: 2, label: "target t" }, y: { min: -1, max: 2, label: "network output o" },
    title: "fit after training (diagonal = perfect)",
    description: "The trained network's output against the target for the 20 examples; the numbers are in the table below.",
  });
  const diagonal = fitChart.line({ color: PALETTE.grey, dash: "4 3", width: 1 });
  const fitDots = Array.from({ length: problem.m }, () => fitChart.dot({ color: PALETTE.vermillion, radius: 4 }));
  const charts = h("div", { style: "display:flex;flex-wrap:wrap;gap:0.5em;align-items:flex-start" },
    h("div", { style: "flex:1 1 320px;max-width:560px" }, lossChart.svg),
    h("div", { style: "flex:1 1 220px;max-width:320px" }, fitChart.svg));
  const legendBox = h("div");
  const lossBody = h("tbody");
  const lossHead = h("tr");
  const lossTable = h("table", { class: "bp-values" },
    h("caption", { class: "bp-visually-hidden" }, "Training error at selected epochs"), h("thead", {}, lossHead), lossBody);
  const fitBody = h("tbody");
  for (let d = 1; d <= problem.m; d += 1) {
    fitBody.append(h("tr", {}, h("th", { scope: "row" }, String(d)),
      h("td", {}, numberSpan(`t_${d}`)), h("td", {}, numberSpan(`o_${d}`))));
  }
  const fitTable = h("table", { class: "bp-values" },
    h("caption", { class: "bp-visually-hidden" }, "Target and trained output of each example"),
    h("thead", {}, h("tr", {}, ...["example", "target t", "output o"].map((label) => h("th", { scope: "col" }, label)))),
    fitBody);
  root.append(summary, charts, legendBox,
    h("details", {}, h("summary", {}, "the numbers: training error at selected epochs"), lossTable),
    h("details", {}, h("summary", {}, "the numbers: the fit, example by example"), fitTable));
  lossHead.append(h("th", { scope: "col" }, "epoch"), h("th", { scope: "col" }, "your \u03b7"),
    ...references.map((reference) => h("th", { scope: "col" }, `\u03b7 = ${formatGeneral(reference.eta, 3)}`)));
  legendBox.append(legend([
    { label: "your \u03b7", color: PALETTE.blue },
    ...references.map((reference, k) => ({
      label: `\u03b7 = ${formatGeneral(reference.eta, 3)}${reference.divergedAt !== null ? " (diverges)" : ""}`,
      color: PALETTE.grey, dash: DASHES[k],
    })),
  ]));

  function update() {
    const eta = Number(model.get("eta"));
    const epochs = Math.round(Number(model.get("epochs")));
    if (!(eta > 0) || !Number.isFinite(eta) || !(epochs >= 1 && epochs <= MAX_EPOCHS)) {
      message.textContent = `could not run this setting: \u03b7 = ${model.get("eta")}, ${model.get("epochs")} epochs`;
      result.hidden = true;
      return;
    }
    const run = trainRun(problem, eta, epochs);
    lossBody.replaceChildren(...tableEpochs(epochs).map((epoch) => h("tr", {},
      h("th", { scope: "row" }, String(epoch)), h("td", {}, numberSpan(`loss_${epoch}`)),
      ...references.map((_, k) => h("td", {}, numberSpan(`ref${k}_${epoch}`))))));
    setNumbers(root, learningRateTexts(problem, run, references, epochs));
    message.textContent = runMessage(run);
    result.hidden = run.divergedAt !== null;
    // the curves: the references cut at `epochs`; a diverging one may leave the plot at the top
    const visible = [...run.loss];
    const cut = references.map((reference) => reference.loss.slice(0, epochs));
    cut.forEach((loss, k) => { if (references[k].divergedAt === null) { visible.push(...loss); } });
    const [low, high] = decades(visible, 1.2, 1.2);
    lossChart.setX({ min: 0, max: epochs * 1.02, label: "epoch" });
    lossChart.setY({ min: low, max: high, log: true, label: "training error E" });
    cut.forEach((loss, k) => referenceLines[k].set(loss.map((v, i) => [i + 1, v])));
    lossLine.set(run.loss.map((v, i) => [i + 1, v]));
    lossLine.element.setAttribute("data-points", String(run.loss.length));
    if (run.predictions) {
      let smallest = Infinity;
      let largest = -Infinity;
      for (let d = 0; d < problem.m; d += 1) {
        smallest = Math.min(smallest, problem.t[d], run.predictions[d]);
        largest = Math.max(largest, problem.t[d], run.predictions[d]);
      }
      const [a, b] = snap(Math.max(smallest, -9.0) - 0.1, Math.min(largest, 9.0) + 0.1, 0.5);
      fitChart.setX({ min: a, max: b, label: "target t" });
      fitChart.setY({ min: a, max: b, label: "network output o" });
      diagonal.set([[a, a], [b, b]]);
      fitDots.forEach((dot, d) => dot.set(problem.t[d], run.predictions[d]));
    } else {
      fitDots.forEach((dot) => dot.set(NaN, NaN));
    }
  }
  const events = "change:eta change:epochs";
  model.on(events, update);
  update();
  return () => model.off(events, update);
}

export default { render };
