// Chapter 9's vanishing-gradient explorer, computed in the page: the gradient norm of every
// layer of a deep network (depth hidden layers of 16 units, one linear output unit) after one
// backward pass, for sigmoid, tanh and ReLU. Its Python is vanishing_gradient.py
// (vanishing_gradient_explorer, vanishing_gradient_draws); its tests are
// tests/explorers/test_vanishing_gradient.py.
//
// The engine (backprop.experiments.gradient_norms_by_layer) draws each depth's network and
// batch from a fresh default_rng(seed). The page makes that generator's 64-bit words itself
// (js/pcg64.js, from the state in data.rng: 18 kB of words would not compress) and turns them
// into the same uniforms and normals numpy does, so it rebuilds every network of
// every depth and initialisation exactly; then it runs the engine's batch forward and backward
// pass (mean squared error over the 64 examples) in the engine's order of operations.
import { ACTIVATIONS } from "./js/network.js";
import { PCG64 } from "./js/pcg64.js";
import { formatGeneral } from "./js/format.js";
import { explorerRoot, h, messageLine, numberSpan, setNumbers } from "./js/dom.js";
import { PALETTE, chart, legend } from "./js/chart.js";

export const ACTIVATION_CHOICES = ["sigmoid", "tanh", "relu"];
export const SCHEME_CHOICES = ["auto", "lecture", "xavier", "he"];
const FLOOR = 1e-300; // a norm of exactly 0 is drawn here on the log axis, as before
const STYLES = {
  sigmoid: { color: PALETTE.blue, dash: "", shape: "circle" },
  tanh: { color: PALETTE.orange, dash: "7 4", shape: "square" },
  relu: { color: PALETTE.green, dash: "2 3", shape: "triangle" },
};

// ------------------------------------------------------------------ the seeded draws

function bytesOf(base64) {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i += 1) {
    bytes[i] = text.charCodeAt(i);
  }
  return bytes;
}

/** The first `count` 64-bit words of the generator, word p = [lo, hi] at 2p, 2p + 1. */
export function generatorWords(state, count) {
  const rng = new PCG64(state);
  const words = new Uint32Array(2 * count);
  for (let p = 0; p < count; p += 1) {
    const word = rng.next64();
    words[2 * p] = Number(word & 0xffffffffn);
    words[2 * p + 1] = Number(word >> 32n);
  }
  return words;
}

/**
 * The generator's words and the ziggurat's pieces, made once: {uniform(p), normal(p)};
 * after normal(p), `used` holds how many words that normal took (no array per draw).
 */
export function decodeDraws(data) {
  const words = generatorWords(data.rng, data.words);
  const widths = new Float64Array(bytesOf(data.widths).buffer);
  const slowValues = new Float64Array(bytesOf(data.slow.values).buffer);
  const slow = new Map(data.slow.positions.map((p, k) => [p, [slowValues[k], data.slow.used[k]]]));
  const draws = {
    size: words.length / 2,
    used: 1,
    /** numpy's next_double: (word >> 11) * 2**-53. */
    uniform(p) {
      return (words[2 * p + 1] * 2097152 + (words[2 * p] >>> 11)) * 1.1102230246251565e-16;
    },
    /** numpy's standard normal starting at word p. */
    normal(p) {
      const listed = slow.get(p);
      if (listed) {
        draws.used = listed[1];
        return listed[0];
      }
      // the ziggurat's one-word path: layer = bits 0-7, sign = bit 8, magnitude = bits 9-60
      const lo = words[2 * p];
      const magnitude = (words[2 * p + 1] & 0x1fffffff) * 8388608 + (lo >>> 9);
      const value = magnitude * widths[lo & 0xff];
      draws.used = 1;
      return (lo >>> 8) & 1 ? -value : value;
    },
  };
  return draws;
}

/** The initialisation the engine uses: "auto" is Xavier for sigmoid and tanh, He for ReLU. */
export function resolveScheme(scheme, activationName) {
  if (scheme === "auto" || scheme === undefined || scheme === null) {
    return activationName === "relu" ? "he" : "xavier";
  }
  return scheme;
}

/**
 * The network and batch gradient_norms_by_layer draws for this depth and initialisation,
 * word by word as Network.initialise and rng.normal take them. Matrices are row-major
 * Float64Arrays: weights[l][j * nIn + i] = w_ji.
 */
export function drawNetwork(draws, depth, scheme, width = 16, batch = 64) {
  const sizes = [...new Array(depth + 1).fill(width), 1];
  const weights = [];
  const biases = [];
  let p = 0;
  for (let l = 0; l < sizes.length - 1; l += 1) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const w = new Float64Array(nOut * nIn);
    const b = new Float64Array(nOut);
    if (scheme === "lecture") { // uniform(-0.05, 0.05) = -0.05 + 0.1 u, weights then biases
      for (let k = 0; k < w.length; k += 1) { w[k] = -0.05 + 0.1 * draws.uniform(p); p += 1; }
      for (let k = 0; k < b.length; k += 1) { b[k] = -0.05 + 0.1 * draws.uniform(p); p += 1; }
    } else if (scheme === "xavier") { // uniform(-limit, limit) = -limit + (2 limit) u
      const limit = Math.sqrt(6.0 / (nIn + nOut));
      const range = limit - -limit;
      for (let k = 0; k < w.length; k += 1) { w[k] = -limit + range * draws.uniform(p); p += 1; }
    } else if (scheme === "he") { // normal(0, sqrt(2 / n_in)) = 0 + scale z
      const scale = Math.sqrt(2.0 / nIn);
      for (let k = 0; k < w.length; k += 1) {
        w[k] = 0.0 + scale * draws.normal(p);
        p += draws.used;
      }
    } else {
      throw new Error(`unknown initialisation ${JSON.stringify(scheme)}`);
    }
    weights.push(w);
    biases.push(b);
  }
  const normals = (count) => {
    const values = new Float64Array(count);
    for (let k = 0; k < count; k += 1) {
      values[k] = 0.0 + 1.0 * draws.normal(p);
      p += draws.used;
    }
    return values;
  };
  const x = normals(batch * width);
  const t = normals(batch);
  if (p > draws.size) {
    throw new Error(`depth ${depth} needs ${p} words; the page has ${draws.size}`);
  }
  return { sizes, weights, biases, x, t, batch };
}

/**
 * The Frobenius norm of dE/dW of every layer after one backward pass (E = 1/(2m) sum (o - t)^2),
 * as Network.forward and Network.backward compute it: net = signal W^T + b, the output delta
 * (t - o) / m, delta_h = f'(o) (delta W) from the output down, dE/dW = -(delta^T signal).
 * @returns {Float64Array} norms[l] for layers 1 (next to the inputs) to depth + 1
 */
export function gradientNorms(network, activationName) {
  const { sizes, weights, biases, x, t, batch: m } = network;
  const layers = weights.length;
  const hidden = ACTIVATIONS[activationName].forward;
  const signals = [x];
  for (let l = 0; l < layers; l += 1) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const input = signals[l];
    const w = weights[l];
    const b = biases[l];
    const out = new Float64Array(m * nOut);
    const f = l < layers - 1 ? hidden : null; // the output unit is linear
    for (let d = 0; d < m; d += 1) {
      for (let j = 0; j < nOut; j += 1) {
        let net = 0;
        for (let i = 0; i < nIn; i += 1) {
          net += input[d * nIn + i] * w[j * nIn + i];
        }
        net += b[j];
        out[d * nOut + j] = f ? f(net) : net;
      }
    }
    signals.push(out);
  }
  const output = signals[layers];
  let delta = new Float64Array(m);
  for (let d = 0; d < m; d += 1) {
    delta[d] = (t[d] - output[d]) / m;
  }
  const norms = new Float64Array(layers);
  for (let l = layers - 1; l >= 0; l -= 1) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const input = signals[l];
    let squares = 0; // the squares of dE/dw_ji = -sum_d delta_dj x_di, added j, i in order
    for (let j = 0; j < nOut; j += 1) {
      for (let i = 0; i < nIn; i += 1) {
        let g = 0;
        for (let d = 0; d < m; d += 1) {
          g += delta[d * nOut + j] * input[d * nIn + i];
        }
        squares += g * g;
      }
    }
    norms[l] = Math.sqrt(squares);
    if (l > 0) {
      const w = weights[l];
      const o = signals[l];
      const below = new Float64Array(m * nIn); // sum_k delta_dk w_kh, then f'(o) times it
      for (let d = 0; d < m; d += 1) {
        for (let h2 = 0; h2 < nIn; h2 += 1) {
          let g = 0;
          for (let k = 0; k < nOut; k += 1) {
            g += delta[d * nOut + k] * w[k * nIn + h2];
          }
          below[d * nIn + h2] = g;
        }
      }
      // the engine's in-place order: sigmoid ((1 - o) o) g, tanh (1 - o o) g, relu g [o > 0]
      if (activationName === "sigmoid") {
        for (let k = 0; k < below.length; k += 1) { below[k] = ((1.0 - o[k]) * o[k]) * below[k]; }
      } else if (activationName === "tanh") {
        for (let k = 0; k < below.length; k += 1) { below[k] = (1.0 - o[k] * o[k]) * below[k]; }
      } else {
        for (let k = 0; k < below.length; k += 1) { below[k] = below[k] * (o[k] > 0.0 ? 1.0 : 0.0); }
      }
      delta = below;
    }
  }
  return norms;
}

/** Everything the explorer shows for one setting, as VanishingGradientState has it. */
export function vanishingGradientState(draws, depth, activationName, scheme, cache = new Map()) {
  const comparison = {};
  for (const name of ACTIVATION_CHOICES) {
    const resolved = resolveScheme(scheme, name);
    const key = `${depth}/${resolved}/${name}`;
    if (!cache.has(key)) {
      const networkKey = `${depth}/${resolved}`;
      if (!cache.has(networkKey)) {
        cache.set(networkKey, drawNetwork(draws, depth, resolved));
      }
      cache.set(key, gradientNorms(cache.get(networkKey), name));
    }
    comparison[name] = { activation: name, scheme: resolved, norms: cache.get(key) };
  }
  const norms = comparison[activationName].norms;
  const last = norms[norms.length - 1];
  const firstToLast = last === 0 ? NaN : norms[0] / last;
  const finite = norms.every(Number.isFinite);
  const message = !finite ? "diverged: a gradient overflowed to infinity or NaN"
    : norms.some((v) => v === 0) ? "some layers' gradients are exactly 0 (underflow or dead ReLUs)" : "";
  return { depth, selected: comparison[activationName], comparison, firstToLast, message };
}

/** A norm as the table shows it: 3 significant digits (Python's .3g); "overflow" if not finite. */
export function normText(value) {
  return Number.isFinite(value) ? formatGeneral(value, 3) : "overflow";
}

/** The texts of the shown numbers, by data-key. */
export function vanishingGradientTexts(state) {
  const texts = {
    activation: state.selected.activation,
    scheme: state.selected.scheme,
    depth: String(state.depth),
    ratio: state.message ? "" : formatGeneral(state.firstToLast, 3),
    verdict: state.message ? ""
      : state.firstToLast < 1e-2 ? " (it vanishes)." : state.firstToLast > 1e2 ? " (it explodes)." : ".",
  };
  for (const name of ACTIVATION_CHOICES) {
    state.comparison[name].norms.forEach((value, l) => { texts[`norm_${name}_${l + 1}`] = normText(value); });
  }
  return texts;
}

// ------------------------------------------------------------------------------ view

function decades(values, padLow, padHigh) {
  // log-axis limits snapped to whole decades (as the old matplotlib explorers had them)
  const shown = values.filter((v) => Number.isFinite(v) && v > 0);
  if (!shown.length) {
    return [0.1, 10];
  }
  const low = Math.max(Math.floor(Math.log10(Math.min(...shown)) - Math.log10(padLow)), -250);
  let high = Math.min(Math.ceil(Math.log10(Math.max(...shown)) + Math.log10(padHigh)), 250);
  if (high <= low) {
    high = low + 1;
  }
  return [10 ** low, 10 ** high];
}

function render({ model, el }) {
  const root = explorerRoot(el, "Vanishing-gradient explorer");
  const data = model.get("data");
  const draws = decodeDraws(data);
  const cache = new Map();
  const summary = h("p", { class: "bp-row" },
    numberSpan("activation"), " (", numberSpan("scheme"), " initialisation), ", numberSpan("depth"),
    " hidden layers of 16 units, one backward pass");
  const ratioText = h("span", {}, ": layer 1's gradient is ", h("b", {}, numberSpan("ratio")),
    " times the output layer's", numberSpan("verdict"));
  summary.append(ratioText);
  const message = messageLine();
  const plot = chart({
    width: 640, height: 300, x: { min: 0.5, max: 10.5, label: "layer (1 = next to the inputs; last = linear output layer)" },
    y: { min: 1e-3, max: 10, log: true, label: "\u2016\u2202E/\u2202W\u2016" },
    title: "gradient norm of every layer after one backward pass",
    description: "Gradient norm per layer on a log scale for sigmoid, tanh and ReLU networks; the numbers are in the table below.",
  });
  const lines = {};
  const markers = {};
  for (const name of ACTIVATION_CHOICES) {
    lines[name] = plot.line({ color: STYLES[name].color, dash: STYLES[name].dash });
    markers[name] = [];
  }
  const body = h("tbody");
  const table = h("table", { class: "bp-values" },
    h("caption", { class: "bp-visually-hidden" }, "Gradient norm of every layer for each activation"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "layer"),
      ...ACTIVATION_CHOICES.map((name) => h("th", { scope: "col" }, name)))),
    body);
  const details = h("details", {}, h("summary", {}, "the numbers: gradient norm of every layer"), table);
  root.append(summary, message, plot.svg, legend(ACTIVATION_CHOICES.map((name) => ({
    label: name, color: STYLES[name].color, dash: STYLES[name].dash,
  }))), details);

  function ensureRows(count) {
    while (body.children.length < count) {
      const layer = body.children.length + 1;
      body.append(h("tr", {}, h("th", { scope: "row" }, String(layer)),
        ...ACTIVATION_CHOICES.map((name) => h("td", {}, numberSpan(`norm_${name}_${layer}`)))));
    }
    while (body.children.length > count) {
      body.lastChild.remove();
    }
  }

  function update() {
    const depth = Math.round(Number(model.get("depth")));
    const activationName = ACTIVATION_CHOICES[Number(model.get("activation"))];
    const scheme = SCHEME_CHOICES[Number(model.get("scheme"))];
    if (!(depth >= 1 && depth <= data.max_depth) || !activationName || !scheme) {
      message.textContent = `could not compute this network: depth ${depth}, activation ${model.get("activation")}, initialisation ${model.get("scheme")}`;
      return;
    }
    const state = vanishingGradientState(draws, depth, activationName, scheme, cache);
    ensureRows(depth + 1);
    setNumbers(root, vanishingGradientTexts(state));
    message.textContent = state.message;
    ratioText.hidden = Boolean(state.message);
    const shown = [];
    const xMax = 10 * Math.ceil((depth + 1) / 10) + 0.5;
    for (const name of ACTIVATION_CHOICES) {
      for (const v of state.comparison[name].norms) {
        if (Number.isFinite(v)) {
          shown.push(v > 0 ? v : FLOOR);
        }
      }
    }
    const [low, high] = decades(shown, 1.5, 1.5);
    plot.setX({ min: 0.5, max: xMax, label: "layer (1 = next to the inputs; last = linear output layer)" });
    plot.setY({ min: low, max: high, log: true, label: "\u2016\u2202E/\u2202W\u2016" });
    for (const name of ACTIVATION_CHOICES) {
      const chosen = name === activationName;
      const points = Array.from(state.comparison[name].norms, (v, l) => [l + 1, v > 0 ? v : Number.isFinite(v) ? FLOOR : NaN]);
      lines[name].set(points);
      lines[name].element.setAttribute("stroke-width", chosen ? 2.6 : 1.2);
      lines[name].element.setAttribute("opacity", chosen ? 1 : 0.55);
      lines[name].element.setAttribute("data-points", String(points.length));
      while (markers[name].length < points.length) {
        markers[name].push(plot.dot({ color: STYLES[name].color, shape: STYLES[name].shape, radius: 3 }));
      }
      markers[name].forEach((marker, k) => {
        marker.set(...(k < points.length ? points[k] : [NaN, NaN]));
        marker.element.setAttribute("opacity", chosen ? 1 : 0.55);
      });
    }
  }
  const events = "change:depth change:activation change:scheme";
  model.on(events, update);
  update();
  return () => model.off(events, update);
}

export default { render };
