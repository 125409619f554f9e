// Chapter 12's post 002 explorer, computed in the page: post 002's 2-2-2-1 network (two
// sigmoid hidden layers of two units, a linear output) trained by stochastic updates on 50
// points of the unit square towards 2 x1 + 3 x2 + 10, then its surface cut at x2 = 0, 0.5
// and 1, the least-squares plane through its outputs, the held-out error and the error per
// epoch. Its Python is post002.py (post002_explorer, which ships each seed's start in
// `data`: the initial weights and numpy's generator state); its tests are tests/explorers/test_post002.py.
//
// The training is the engine's float path (backprop.scalar.scalar_step, which
// backprop.train takes for this small network) unrolled for 2-2-2-1 on typed arrays: the
// same operations in the same order as js/network.js's stepInPlace, without its per-step
// arrays, so 25,000 steps take a few milliseconds.
import { ACTIVATIONS } from "./js/network.js";
import { formatFixed, formatGeneral } from "./js/format.js";
import { explorerRoot, h, messageLine, numberSpan, setNumbers, svgElement } from "./js/dom.js";
import { PALETTE, chart, legend } from "./js/chart.js";
import { PCG64 } from "./js/pcg64.js";

const TYPOGRAPHIC_MINUS = "\u2212";
// post002.py's OUTPUT_LIMIT: outputs beyond it (the target lies in [10, 15]) are a run
// blowing up, whose least-squares plane is rounding noise.
const OUTPUT_LIMIT = 1e6;
const sigmoid = ACTIVATIONS.sigmoid.forward; // 1 / (1 + exp(-net)), as the engine's scalar

// ------------------------------------------------------------------ the seeded draws
// numpy's default generator (js/pcg64.js), so that the view draws what Generator.uniform
// and Generator.permutation draw in Python from the state post002.py ships.

/** post002_target: 2 x1 + 3 x2 + 10, in numpy's order. */
const target = (x1, x2) => 2.0 * x1 + 3.0 * x2 + 10.0;

/**
 * The draws of one seed, as Post002Training takes them after the initial weights: the
 * training points, the test points (x1, x2 interleaved: uniform(size=(n, 2))), then one
 * permutation of the training points per epoch (Generator.permutation: a Fisher-Yates
 * shuffle of 0..n-1 from the last position down). Returns them with their targets and
 * the initial weights, in one object.
 */
export function drawSeed(run, { n_train: nTrain, n_test: nTest, max_epochs: maxEpochs }) {
  const rng = new PCG64(run.rng);
  const uniforms = (count) => Float64Array.from({ length: count }, () => rng.nextDouble());
  const train = uniforms(2 * nTrain);
  const test = uniforms(2 * nTest);
  const orders = new Uint8Array(maxEpochs * nTrain);
  for (let e = 0; e < maxEpochs; e += 1) {
    const a = orders.subarray(e * nTrain, (e + 1) * nTrain);
    for (let k = 0; k < nTrain; k += 1) {
      a[k] = k;
    }
    for (let i = nTrain - 1; i > 0; i -= 1) {
      const j = rng.interval(i);
      const swap = a[i];
      a[i] = a[j];
      a[j] = swap;
    }
  }
  const targets = (points) => {
    const t = new Float64Array(points.length / 2);
    for (let k = 0; k < t.length; k += 1) {
      t[k] = target(points[2 * k], points[2 * k + 1]);
    }
    return t;
  };
  return {
    n: nTrain, train, test, tTrain: targets(train), tTest: targets(test), orders,
    // w[0..3] = W1 (w11 w12 w21 w22), w[4..7] = W2, w[8..9] = W3; b[0..1], b[2..3], b[4]
    weights: Float64Array.from(run.weights.flat(2)),
    biases: Float64Array.from(run.biases.flat()),
  };
}

// ------------------------------------------------------------------------ training
/**
 * Train a copy of the seed's initial network for `epochs` epochs with learning rate `eta`.
 * Every step is scalar_step for 2-2-2-1 written out: the forward pass (each net input
 * sum_i w_ji x_i summed left to right, then + b_j), the residual t - o, the deltas from the
 * weights before the step, each layer updated top down as w + (eta delta) x. An epoch
 * whose summed error is not finite stops the training, as backprop.train does.
 *
 * @returns {{w: Float64Array, b: Float64Array, loss: number[], divergedAt: number|null}}
 */
export function train(seedDraws, eta, epochs) {
  const { n, train: x, tTrain: t, orders } = seedDraws;
  const w = Float64Array.from(seedDraws.weights);
  const b = Float64Array.from(seedDraws.biases);
  const loss = [];
  let w0 = w[0], w1 = w[1], w2 = w[2], w3 = w[3];
  let v0 = w[4], v1 = w[5], v2 = w[6], v3 = w[7];
  let u0 = w[8], u1 = w[9];
  let b0 = b[0], b1 = b[1], c0 = b[2], c1 = b[3], d0 = b[4];
  let divergedAt = null;
  for (let e = 0; e < epochs; e += 1) {
    let error = 0.0;
    const base = e * n;
    for (let k = 0; k < n; k += 1) {
      const p = orders[base + k];
      const x0 = x[2 * p];
      const x1 = x[2 * p + 1];
      // forward: first hidden layer, second hidden layer, linear output
      const h0 = sigmoid(w0 * x0 + w1 * x1 + b0);
      const h1 = sigmoid(w2 * x0 + w3 * x1 + b1);
      const g0 = sigmoid(v0 * h0 + v1 * h1 + c0);
      const g1 = sigmoid(v2 * h0 + v3 * h1 + c1);
      const o = u0 * g0 + u1 * g1 + d0;
      const r = t[p] - o;
      const dOut = 1.0 * r; // linear output: f' = 1
      // output layer: the deltas below from its old weights, then its update
      const dg0 = g0 * (1.0 - g0) * (u0 * dOut);
      const dg1 = g1 * (1.0 - g1) * (u1 * dOut);
      let step = eta * dOut;
      u0 = u0 + step * g0;
      u1 = u1 + step * g1;
      d0 += step;
      // second hidden layer: column h of its weights holds w_0h, w_1h
      const dh0 = h0 * (1.0 - h0) * (v0 * dg0 + v2 * dg1);
      const dh1 = h1 * (1.0 - h1) * (v1 * dg0 + v3 * dg1);
      step = eta * dg0;
      v0 = v0 + step * h0;
      v1 = v1 + step * h1;
      c0 += step;
      step = eta * dg1;
      v2 = v2 + step * h0;
      v3 = v3 + step * h1;
      c1 += step;
      // first hidden layer
      step = eta * dh0;
      w0 = w0 + step * x0;
      w1 = w1 + step * x1;
      b0 += step;
      step = eta * dh1;
      w2 = w2 + step * x0;
      w3 = w3 + step * x1;
      b1 += step;
      error += 0.5 * (r * r);
    }
    if (!Number.isFinite(error)) {
      divergedAt = e + 1;
      break;
    }
    loss.push(error);
  }
  w.set([w0, w1, w2, w3, v0, v1, v2, v3, u0, u1]);
  b.set([b0, b1, c0, c1, d0]);
  return { w, b, loss, divergedAt };
}

/** The trained network's output at (x1, x2). */
export function predict(w, b, x0, x1) {
  const h0 = sigmoid(w[0] * x0 + w[1] * x1 + b[0]);
  const h1 = sigmoid(w[2] * x0 + w[3] * x1 + b[1]);
  const g0 = sigmoid(w[4] * h0 + w[5] * h1 + b[2]);
  const g1 = sigmoid(w[6] * h0 + w[7] * h1 + b[3]);
  return w[8] * g0 + w[9] * g1 + b[4];
}

/** numpy's pairwise sum of a Float64Array (np.add.reduce, blocks of 8, split at 128). */
export function pairwiseSum(values, start = 0, count = values.length) {
  if (count < 8) {
    let total = 0.0;
    for (let k = start; k < start + count; k += 1) {
      total += values[k];
    }
    return total;
  }
  if (count <= 128) {
    const r = values.slice(start, start + 8);
    let k = 8;
    for (; k < count - (count % 8); k += 8) {
      for (let m = 0; m < 8; m += 1) {
        r[m] += values[start + k + m];
      }
    }
    let total = (r[0] + r[1] + (r[2] + r[3])) + (r[4] + r[5] + (r[6] + r[7]));
    for (; k < count; k += 1) {
      total += values[start + k];
    }
    return total;
  }
  let half = Math.floor(count / 2);
  half -= half % 8;
  return pairwiseSum(values, start, half) + pairwiseSum(values, start + half, count - half);
}

/**
 * The least-squares plane a x1 + b x2 + c through values z on the grid x1 x x1 (z[i * m + j]
 * at (x1[j], x1[i]), as numpy's meshgrid orders it), from the normal equations (a 3 x 3
 * solve; the design is fixed and well conditioned).
 */
export function leastSquaresPlane(grid, z) {
  const m = grid.length;
  let sxx = 0, sxy = 0, syy = 0, sx = 0, sy = 0, sxz = 0, syz = 0, sz = 0;
  for (let i = 0; i < m; i += 1) {
    for (let j = 0; j < m; j += 1) {
      const p = grid[j], q = grid[i], v = z[i * m + j];
      sxx += p * p; sxy += p * q; syy += q * q; sx += p; sy += q;
      sxz += p * v; syz += q * v; sz += v;
    }
  }
  const count = m * m;
  // Gaussian elimination on [[sxx sxy sx | sxz], [sxy syy sy | syz], [sx sy n | sz]]
  const rows = [[sxx, sxy, sx, sxz], [sxy, syy, sy, syz], [sx, sy, count, sz]];
  for (let c = 0; c < 3; c += 1) {
    for (let r = c + 1; r < 3; r += 1) {
      const f = rows[r][c] / rows[c][c];
      for (let k = c; k < 4; k += 1) {
        rows[r][k] -= f * rows[c][k];
      }
    }
  }
  const solution = [0, 0, 0];
  for (let r = 2; r >= 0; r -= 1) {
    let s = rows[r][3];
    for (let k = r + 1; k < 3; k += 1) {
      s -= rows[r][k] * solution[k];
    }
    solution[r] = s / rows[r][r];
  }
  return solution;
}

/**
 * Everything the explorer shows for one setting (numbers unformatted): the engine's
 * post002_state. Diverged runs have no surface, plane or held-out error; runs blowing up
 * (outputs beyond OUTPUT_LIMIT) have them but show a message instead.
 */
export function post002State(seedDraws, grid, slices, eta, epochs) {
  const run = train(seedDraws, eta, epochs);
  const state = {
    eta, epochs, loss: run.loss, divergedAt: run.divergedAt, diverged: run.divergedAt !== null, blowingUp: false,
  };
  state.target = slices.map((c) => Array.from(grid, (x1) => target(x1, c)));
  if (state.diverged) {
    return state;
  }
  const { w, b } = run;
  state.fitted = slices.map((c) => Array.from(grid, (x1) => predict(w, b, x1, c)));
  const m = grid.length;
  const surface = new Float64Array(m * m);
  for (let i = 0; i < m; i += 1) {
    for (let j = 0; j < m; j += 1) {
      surface[i * m + j] = predict(w, b, grid[j], grid[i]);
    }
  }
  // a surface that overflowed is reported as diverged (post002_state does the same)
  if (!state.fitted.every((row) => row.every(Number.isFinite)) || !surface.every(Number.isFinite)) {
    state.diverged = true;
    return state;
  }
  let largest = 0;
  for (const v of surface) {
    largest = Math.max(largest, Math.abs(v));
  }
  state.blowingUp = largest > OUTPUT_LIMIT;
  state.plane = leastSquaresPlane(grid, surface);
  const { test, tTest } = seedDraws;
  const squares = new Float64Array(tTest.length);
  for (let k = 0; k < tTest.length; k += 1) {
    const difference = predict(w, b, test[2 * k], test[2 * k + 1]) - tTest[k];
    squares[k] = difference * difference;
  }
  const mse = pairwiseSum(squares) / squares.length;
  state.testMse = Number.isFinite(mse) ? mse : NaN;
  return state;
}

// ---------------------------------------------------------------------- formatting
/** f"{value:.3f}" with a typographic minus, and no "-0.000" for a value that rounds to 0. */
export function planeNumber(value) {
  const text = formatFixed(value, 3);
  return /^-0\.0+$/.test(text) ? text.slice(1) : text.replace("-", TYPOGRAPHIC_MINUS);
}

/** The message post002_state gives for a run diverged or blowing up ("" for the others). */
export function post002Message(state) {
  if (!state.diverged) {
    return state.blowingUp
      ? "blowing up: the network's outputs passed a million (the target lies between 10 and 15); "
        + "the learning rate is too large"
      : "";
  }
  const where = state.divergedAt !== null ? ` at epoch ${state.divergedAt}` : "";
  return `diverged${where}: the error grew without bound (learning rate too large)`;
}

/** The texts of the shown numbers, by data-key, formatted as the engine's are. */
export function post002Texts(state, seed, slices) {
  const texts = {
    eta: formatGeneral(state.eta, 3),
    epochs: String(state.epochs),
    seed: String(seed),
  };
  if (state.diverged || state.blowingUp) {
    return texts;
  }
  const [a, b, c] = state.plane;
  const sign = (text) => (text.startsWith(TYPOGRAPHIC_MINUS) ? ["\u2212", text.slice(1)] : ["+", text]);
  const [bSign, bText] = sign(planeNumber(b));
  const [cSign, cText] = sign(planeNumber(c));
  Object.assign(texts, {
    plane_a: planeNumber(a), plane_b_sign: bSign, plane_b: bText, plane_c_sign: cSign, plane_c: cText,
    test_mse: formatGeneral(state.testMse, 4).replace("-", TYPOGRAPHIC_MINUS),
    last_loss: formatGeneral(state.loss[state.loss.length - 1], 4),
  });
  // the slices at x1 = 0, 1/2 and 1: the network and the target
  const m = state.fitted[0].length;
  slices.forEach((_, s) => {
    [0, (m - 1) / 2, m - 1].forEach((j, col) => {
      texts[`fit_${s}_${col}`] = planeNumber(state.fitted[s][j]);
    });
  });
  return texts;
}

// ---------------------------------------------------------------------------- view
/** The range of the fit chart, as the old figure chose it: at least [9, 16], whole units. */
function fitRange(state) {
  let low = 9.0;
  let high = 16.0;
  if (!state.diverged && !state.blowingUp) {
    for (const row of state.fitted) {
      for (const v of row) {
        low = Math.min(low, v - 0.2);
        high = Math.max(high, v + 0.2);
      }
    }
  }
  return { min: Math.floor(Math.max(low, -100)), max: Math.ceil(Math.min(high, 100)) };
}

/** A log range of whole decades around the finite positive losses. */
function lossRange(loss) {
  const positive = loss.filter((v) => v > 0 && Number.isFinite(v));
  if (!positive.length) {
    return { min: 0.01, max: 100, log: true };
  }
  const low = Math.floor(Math.log10(Math.min(...positive)));
  const high = Math.ceil(Math.log10(Math.max(...positive)));
  return { min: 10 ** low, max: 10 ** Math.max(high, low + 1), log: true };
}

function render({ model, el }) {
  const root = explorerRoot(el, "Post 002 explorer: training the 2-2-2-1 network");
  const data = model.get("data");
  const grid = data.x1;
  const slices = data.x2_slices;
  const seeds = new Map(); // the draws by seed (drawing them takes a few milliseconds)
  const draws = (seed) => {
    if (!seeds.has(seed)) {
      seeds.set(seed, drawSeed(data.runs[seed], data));
    }
    return seeds.get(seed);
  };
  const colours = [PALETTE.blue, PALETTE.vermillion, PALETTE.green];
  const markers = ["circle", "square", "triangle"];
  const i = (text) => h("i", {}, text);
  const sub = (text) => h("sub", {}, text);
  const x = (k) => h("span", { class: "bp-formula" }, i("x"), sub(String(k)));

  const setting = h("p", { class: "bp-row" },
    "\u03b7 = ", numberSpan("eta"), ", ", numberSpan("epochs"), " epochs, seed ", numberSpan("seed"));
  const fitted = h("p", { class: "bp-row" },
    "The closest plane to the network's surface is ",
    numberSpan("plane_a"), " ", x(1), " ", numberSpan("plane_b_sign"), " ", numberSpan("plane_b"), " ", x(2),
    " ", numberSpan("plane_c_sign"), " ", numberSpan("plane_c"),
    " (target 2\u2009", x(1), " + 3\u2009", x(2), " + 10); held-out mean squared error ",
    h("b", {}, numberSpan("test_mse")), "; training error in the last epoch ", numberSpan("last_loss"), ".");
  const message = messageLine();
  const fitChart = chart({
    width: 560, height: 260, x: { min: 0, max: 1, label: "x\u2081" }, y: { min: 9, max: 16, label: "output" },
    title: "the surface cut at three values of x\u2082 (solid: network, dashed: target)",
  });
  const targetLines = colours.map((color) => fitChart.line({ color, dash: "6 4", width: 1.4 }));
  const fitLines = colours.map((color) => fitChart.line({ color, width: 2.4 }));
  const fitDots = colours.map((color, s) => [0, 1, 2].map(() => fitChart.dot({ color, radius: 4, shape: markers[s] })));
  const sliceLabels = slices.map((c, s) => {
    const label = svgElement("text", { "font-size": 11, "text-anchor": "end", fill: colours[s] });
    label.textContent = `x\u2082 = ${c}`;
    fitChart.svg.append(label);
    return label;
  });
  const lossChart = chart({
    width: 560, height: 200, x: { min: 0, max: 200, label: "epoch" },
    y: { min: 0.01, max: 100, log: true, label: "error" },
    title: "training error summed over each epoch",
  });
  const lossLine = lossChart.line({ color: PALETTE.blue });
  const table = h("table", { class: "bp-values" },
    h("caption", { style: "caption-side: top; text-align: left; font-size: 0.85rem" },
      "The network's output at three points of each slice (the target in brackets)"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "slice"),
      ...["0", "0.5", "1"].map((v) => h("th", { scope: "col" }, "x\u2081 = ", v)))),
    h("tbody", {}, ...slices.map((c, s) => h("tr", {},
      h("th", { scope: "row" }, `x\u2082 = ${c}`),
      ...[0, 0.5, 1].map((v, col) => h("td", {}, numberSpan(`fit_${s}_${col}`),
        ` (${formatFixed(target(v, c), 1)})`))))));
  const legendList = legend([
    ...slices.map((c, s) => ({ label: `network, x\u2082 = ${c}`, color: colours[s] })),
    { label: "target 2x\u2081 + 3x\u2082 + 10 (dashed, same colours)", color: PALETTE.grey, dash: "6 4" },
  ]);
  // what a diverged run has not got is taken out of the page, not only hidden
  const fittedSlot = h("div", {}, fitted);
  const tableSlot = h("div", {}, table);
  root.append(setting, fittedSlot, message, fitChart.svg, legendList, tableSlot, lossChart.svg);

  function update() {
    const eta = Number(model.get("eta"));
    const epochs = Math.round(Number(model.get("epochs")));
    const seed = Math.round(Number(model.get("seed")));
    if (!(eta > 0) || !Number.isFinite(eta) || !(epochs >= 1 && epochs <= data.max_epochs)
        || !(seed >= 0 && seed < data.runs.length)) {
      message.textContent = `could not train this setting: eta = ${eta}, ${epochs} epochs, seed ${seed}`;
      return;
    }
    const state = post002State(draws(seed), grid, slices, eta, epochs);
    const texts = post002Texts(state, seed, slices);
    setNumbers(setting, texts);
    const shown = !(state.diverged || state.blowingUp); // a surface worth drawing
    message.textContent = post002Message(state);
    if (!shown) {
      fittedSlot.replaceChildren();
      tableSlot.replaceChildren();
    } else {
      setNumbers(fitted, texts);
      setNumbers(table, texts);
      fittedSlot.replaceChildren(fitted);
      tableSlot.replaceChildren(table);
    }
    const range = fitRange(state);
    fitChart.setY({ ...range, label: "output" });
    slices.forEach((c, s) => {
      targetLines[s].set(grid.map((x1, j) => [x1, state.target[s][j]]));
      fitLines[s].set(!shown ? [] : grid.map((x1, j) => [x1, state.fitted[s][j]]));
      const m = grid.length;
      [0, (m - 1) / 2, m - 1].forEach((j, col) => {
        fitDots[s][col].set(grid[j], shown ? state.fitted[s][j] : NaN);
      });
      const end = state.target[s][grid.length - 1];
      sliceLabels[s].setAttribute("x", fitChart.sx(1) - 4);
      sliceLabels[s].setAttribute("y", fitChart.sy(Math.min(end + 0.15, range.max)) - 2);
    });
    fitChart.svg.setAttribute("aria-label", !shown
      ? `The target plane cut at x\u2082 = 0, 0.5 and 1 (dashed lines); ${message.textContent}, so no fitted surface is drawn.`
      : `The network's surface cut at x\u2082 = ${slices.join(", ")} (solid) against the target (dashed); `
        + `the closest plane is ${texts.plane_a} x\u2081 ${texts.plane_b_sign} ${texts.plane_b} x\u2082 `
        + `${texts.plane_c_sign} ${texts.plane_c}. The values at x\u2081 = 0, 0.5 and 1 are in the table below.`);
    const span = Math.max(epochs, 2);
    const block = span <= 50 ? 10 : 50;
    lossChart.setX({ min: 0, max: Math.ceil(span / block) * block, label: "epoch" });
    lossChart.setY({ ...lossRange(state.loss), label: "error" });
    lossLine.set(state.loss.map((v, e) => [e + 1, v]));
    const last = state.loss.length ? formatGeneral(state.loss[state.loss.length - 1], 4) : "none";
    lossChart.svg.setAttribute("aria-label",
      `Training error summed over each epoch, for ${state.loss.length} epochs on a log scale; the last is ${last}.`);
  }
  model.on("change:eta change:epochs change:seed", update);
  update();
  return () => model.off("change:eta change:epochs change:seed", update);
}

export default { render };
