// The worked-example explorer of chapters 7 and 10, computed in the page: one step of
// backpropagation on the lecture's 3-2-1 or 2-2-2 network, on a diagram (before or after
// the step, with a table of the same numbers), as E before and after, and as the worked
// solution's formulas with the numbers plugged in. Its Python is worked.py
// (worked_example_explorer); its tests are tests/explorers/test_worked_example.py.
//
// Every number shown is a span (or tspan) whose data-key is the engine's name for it:
// backprop.worked_solution's values (net_4, o_4, E, delta_6, dw_6,4, db_6, w_6,4 and b_6
// the new values, o_after_6, E_after) and the numbers its lines plug in (x_1, t_6, eta,
// w_old_6,4 and b_old_6 the values before the step, minus_net_4, one_minus_o_4,
// residual_6, ...). Formulas are HTML, not MathJax: typesetting on every event would not
// fit the 16 ms budget and renders differently between front ends.
import { allFinite, trainStep } from "./js/network.js";
import { formatGiven, formatGivenProse, formatNumber, formatProse, givenReadout } from "./js/format.js";
import { explorerRoot, h, messageLine, numberSpan, setNumbers } from "./js/dom.js";
import { networkDiagram } from "./js/diagram.js";

const MINUS_SIGN = "\u2212";

const WORKED_STYLE = `
.bp-worked .bp-toolbar { display: flex; flex-wrap: wrap; gap: 0.4em; align-items: center; margin: 0.4em 0; }
.bp-worked button { font: inherit; padding: 0.25em 0.8em; border: 1px solid #52606d; border-radius: 4px; background: #ffffff; color: #1f2933; cursor: pointer; }
.bp-worked button[aria-pressed="true"] { background: #1f2933; color: #ffffff; }
.bp-worked button:disabled { opacity: 0.5; cursor: not-allowed; }
.bp-worked button:focus-visible { outline: 3px solid #0072B2; outline-offset: 2px; }
.bp-worked .bp-eq { margin: 0.15em 0 0.15em 1em; text-indent: -1em; padding-left: 1em; overflow-wrap: anywhere; }
.bp-worked .bp-eq.bp-cont { padding-left: 3em; }
.bp-worked .bp-solution h4 { font-size: 1em; margin: 0.8em 0 0.2em; }
.bp-worked .bp-solution section { margin-bottom: 0.4em; }
.bp-worked .bp-caption { font-size: 0.9em; color: #3e4c59; }
.bp-worked details { margin: 0.4em 0; }
.bp-worked .bp-table-wrap { overflow-x: auto; }
.bp-worked[data-diverged="true"] .bp-when-finite { display: none; }
.bp-worked .bp-carried:empty { display: none; }
`;

// ------------------------------------------------------------------ pure computations

/** The slider values as the step's arrays: {weights, biases, x, t, eta} (new arrays). */
export function stepArrays(parameters, valueOf, sizes) {
  const weights = sizes.slice(1).map((n, l) => Array.from({ length: n }, () => new Array(sizes[l]).fill(0)));
  const biases = sizes.slice(1).map((n) => new Array(n).fill(0));
  const x = new Array(sizes[0]).fill(0);
  const t = new Array(sizes[sizes.length - 1]).fill(0);
  let eta = 0;
  for (const p of parameters) {
    const v = Number(valueOf(p.name));
    if (p.kind === "weight") {
      weights[p.layer][p.index[0]][p.index[1]] = v;
    } else if (p.kind === "bias") {
      biases[p.layer][p.index[0]] = v;
    } else if (p.kind === "input") {
      x[p.index[0]] = v;
    } else if (p.kind === "target") {
      t[p.index[0]] = v;
    } else {
      eta = v;
    }
  }
  return { weights, biases, x, t, eta };
}

/**
 * One step (js/network.js trainStep) named as the engine's WorkedStep (weights and biases
 * before it, newWeights and newBiases after it), and whether all of it is finite, as
 * WorkedStep.finite decides: outputs, deltas, new parameters, outputs after and both E.
 */
export function workedStep(arrays, activations) {
  const { weights, biases, x, t, eta } = arrays;
  const step = trainStep(weights, biases, activations, x, t, eta);
  const finite = Number.isFinite(step.error) && Number.isFinite(step.errorAfter)
    && allFinite(step.outputs) && allFinite(step.deltas) && allFinite(step.weights)
    && allFinite(step.biases) && allFinite(step.outputsAfter);
  return {
    x, t, eta, weights, biases, nets: step.nets, outputs: step.outputs, error: step.error,
    deltas: step.deltas, newWeights: step.weights, newBiases: step.biases,
    outputsAfter: step.outputsAfter, errorAfter: step.errorAfter, finite,
  };
}

const places = (text) => (text.includes(".") ? text.split(".")[1].length : 0);
// exact for the places shown (10 ** p is exact up to 1e22): the same double as Python's
const halfUnit = (p) => 0.5 / 10 ** p;
const SLACK = 1e-7;
const EXTRA_DECIMALS = 8;
const DIGITS = 15;

/** Whether `text` is `value` rounded to its places (ties either way unless `strict`). */
function closeTo(value, text, strict) {
  const half = halfUnit(places(text));
  const gap = Math.abs(value - Number(text));
  return strict ? gap < half * (1 - SLACK) : gap <= half * (1 + SLACK);
}

/**
 * The factors of each line of the worked solution, as backprop.worked_solution writes
 * them (its WorkedSolution.texts, by "<line>:<factor>"): with `decimals` places, or more
 * where the line would not check by hand from the numbers it shows.
 */
export function lineTexts(step, labels, activations, decimals) {
  // A quantity one line of a section needs with more places is shown with them in every line
  // of that section (worked.py's floors): written again until no line needs more.
  let floors = new Map();
  for (let pass = 0; pass <= EXTRA_DECIMALS; pass += 1) {
    const texts = writeLines(step, labels, activations, decimals, floors);
    const needed = new Map(floors);
    let more = false;
    for (const [key, text] of Object.entries(texts)) {
      const [line, factor] = key.split(":");
      const floor = `${sectionOfLine(line)}|${factor}`;
      if (factor !== undefined && CARRIED.test(factor) && places(text) > decimals
        && places(text) > (needed.get(floor) ?? 0)) {
        needed.set(floor, places(text));
        more = true;
      }
    }
    if (!more) {
      return texts;
    }
    floors = needed;
  }
  throw new Error("worked solution: the places did not settle");
}

function writeLines(step, labels, activations, decimals, floors) {
  const texts = {};
  const D = decimals;
  let consistent = true;
  let strict = true;
  let section = "";
  const close = (value, text) => closeTo(value, text, strict);
  const show = (value, p, given = false, name = "") => {
    if (given) {
      const text = formatGiven(value, D);
      if (places(text) < D || Number(text) === value) {
        return text;
      }
    }
    p = Math.max(p, floors.get(`${section}|${name}`) ?? 0);
    const text = formatNumber(value, p);
    if (text.replace("-", "").replace(".", "").replace(/^0+/, "").length > DIGITS) {
      consistent = false; // beyond a double's digits: the places mean nothing
    }
    if (p > D && !(Math.abs(Number(text) - Number(formatNumber(value, D))) < halfUnit(D) * (1 - SLACK))) {
      consistent = false;
    }
    return text;
  };
  const fit = (line, build) => {
    section = sectionOfLine(line);
    let result;
    search: for (const s of [true, false]) {
      for (let p = D; p <= D + EXTRA_DECIMALS; p += 1) {
        consistent = true;
        strict = s;
        result = build(p);
        if (result[1] && consistent) {
          break search;
        }
      }
      if (!s) {
        // only where a double has too few digits (values of 1e5 and more)
        result = build(D);
      }
    }
    for (const [name, text] of Object.entries(result[0])) {
      texts[`${line}:${name}`] = text;
    }
    return result[0];
  };
  const num = (value) => formatNumber(value, D);
  // a weight the step leaves exactly as it was is still the given number (0.4, not 0.4000)
  const newText = (old, value) => (value === old ? formatGiven(value, D) : num(value));
  const last = labels.length - 2;
  const inputs = [step.x, ...step.outputs.slice(0, -1)];
  const sourceKey = (l, i) => `${l === 0 ? "x" : "o"}_${labels[l][i]}`;

  for (let l = 0; l <= last; l += 1) {
    labels[l + 1].forEach((unit, j) => {
      const netJ = step.nets[l][j];
      const result = num(netJ);
      fit(`net_${unit}`, (p) => {
        const t = {};
        let total = 0;
        labels[l].forEach((s, i) => {
          t[sourceKey(l, i)] = show(inputs[l][i], p, l === 0, sourceKey(l, i));
          t[`w_${unit},${s}`] = show(step.weights[l][j][i], p, true);
          total += Number(t[sourceKey(l, i)]) * Number(t[`w_${unit},${s}`]);
        });
        t[`b_${unit}`] = show(step.biases[l][j], p, true);
        total += Number(t[`b_${unit}`]);
        return [t, close(total, result)];
      });
      const o = num(step.outputs[l][j]);
      const name = activations[l];
      if (name === "sigmoid") {
        fit(`o_${unit}`, (p) => {
          const e = show(-netJ, p, false, `minus_net_${unit}`);
          const value = Number(e) > 709 ? 0 : 1 / (1 + Math.exp(Number(e)));
          return [{ [`minus_net_${unit}`]: e }, close(value, o)];
        });
      } else if (name === "tanh" || name === "relu") {
        fit(`o_${unit}`, (p) => {
          const n = show(netJ, p, false, `net_${unit}`);
          const value = name === "tanh" ? Math.tanh(Number(n)) : Math.max(0, Number(n));
          return [{ [`net_${unit}`]: n }, close(value, o)];
        });
      }
    });
  }

  const outputs = labels[last + 1];
  const error = (key, outs, prefix) => {
    const result = num(key === "E" ? step.error : step.errorAfter);
    fit(key, (p) => {
      const t = {};
      let total = 0;
      outputs.forEach((u, k) => {
        t[`t_${u}`] = show(step.t[k], p, true);
        t[`${prefix}${u}`] = show(outs[k], p, false, `${prefix}${u}`);
        const diff = Number(t[`t_${u}`]) - Number(t[`${prefix}${u}`]);
        total += diff * diff;
      });
      return [t, close(0.5 * total, result)];
    });
  };
  error("E", step.outputs[last], "o_");

  outputs.forEach((u, k) => {
    const name = activations[last];
    const o = step.outputs[last][k];
    const result = num(step.deltas[last][k]);
    fit(`delta_${u}`, (p) => {
      const oText = show(o, p, false, `o_${u}`);
      const tText = show(step.t[k], p, true);
      // with o's places, which a floor may have raised above p
      const r = formatNumber(Number(tText) - Number(oText), Math.max(places(oText), places(tText)));
      const t = { [`residual_${u}`]: r };
      let value;
      if (name === "sigmoid") {
        t[`o_${u}`] = oText;
        t[`one_minus_o_${u}`] = formatNumber(1 - Number(oText), places(oText));
        value = Number(oText) * Number(t[`one_minus_o_${u}`]) * Number(r);
      } else if (name === "tanh") {
        // the slope itself rounded, not 1 - (o as shown)^2, as worked.py does
        t[`one_minus_o_sq_${u}`] = formatNumber(1 - o * o, p);
        value = Number(t[`one_minus_o_sq_${u}`]) * Number(r);
      } else if (name === "relu") {
        t[`indicator_${u}`] = step.nets[last][k] > 0 ? "1" : "0";
        value = Number(t[`indicator_${u}`]) * Number(r);
      } else {
        // a linear output: delta is t - o itself, written from t and o
        delete t[`residual_${u}`];
        t[`t_${u}`] = tText;
        t[`o_${u}`] = oText;
        value = Number(r);
      }
      return [t, close(value, result)];
    });
  });
  for (let l = last - 1; l >= 0; l -= 1) {
    labels[l + 1].forEach((u, h) => {
      const name = activations[l];
      const o = step.outputs[l][h];
      const result = num(step.deltas[l][h]);
      fit(`delta_${u}`, (p) => {
        const t = {};
        let total = 0;
        labels[l + 2].forEach((down, k) => {
          t[`w_${down},${u}`] = show(step.weights[l + 1][k][h], p, true);
          t[`delta_${down}`] = show(step.deltas[l + 1][k], p, false, `delta_${down}`);
          total += Number(t[`w_${down},${u}`]) * Number(t[`delta_${down}`]);
        });
        let value;
        if (name === "sigmoid") {
          t[`o_${u}`] = show(o, p, false, `o_${u}`);
          t[`one_minus_o_${u}`] = formatNumber(1 - Number(t[`o_${u}`]), places(t[`o_${u}`]));
          value = Number(t[`o_${u}`]) * Number(t[`one_minus_o_${u}`]) * total;
        } else if (name === "tanh") {
          t[`one_minus_o_sq_${u}`] = formatNumber(1 - o * o, p);
          value = Number(t[`one_minus_o_sq_${u}`]) * total;
        } else if (name === "relu") {
          t[`indicator_${u}`] = step.nets[l][h] > 0 ? "1" : "0";
          value = Number(t[`indicator_${u}`]) * total;
        } else {
          value = total;
        }
        return [t, close(value, result)];
      });
    });
  }

  texts.eta = formatGiven(step.eta, D);
  const updateLine = (key, old, delta, deltaKey, source, change, result) => {
    const changeKey = `${source ? "dw_" : "db_"}${key.slice(2)}`;
    fit(key, (p) => {
      const t = { [key]: show(old, p, true), eta: show(step.eta, p, true), [deltaKey]: show(delta, p, false, deltaKey) };
      let product = Number(t.eta) * Number(t[deltaKey]);
      if (source) {
        t[source[0]] = show(source[1], p, source[2], source[0]);
        product *= Number(t[source[0]]);
      }
      // an exact zero change (an input of 0) is written exactly, as a given: 0.4 + (0)
      t[changeKey] = change === 0 ? "0" : show(change, Math.max(D, p - 2));
      return [t, close(product, t[changeKey]) && close(Number(t[key]) + Number(t[changeKey]), result)];
    });
  };
  for (let l = last; l >= 0; l -= 1) {
    labels[l + 1].forEach((unit, j) => {
      const delta = step.deltas[l][j];
      labels[l].forEach((s, i) => {
        // (eta delta) x, as worked_solution computes the change
        updateLine(`w_${unit},${s}`, step.weights[l][j][i], delta, `delta_${unit}`,
          [sourceKey(l, i), inputs[l][i], l === 0], step.eta * delta * inputs[l][i],
          newText(step.weights[l][j][i], step.newWeights[l][j][i]));
      });
      updateLine(`b_${unit}`, step.biases[l][j], delta, `delta_${unit}`, null, step.eta * delta * 1,
        newText(step.biases[l][j], step.newBiases[l][j]));
    });
  }
  error("E_after", step.outputsAfter[last], "o_after_");
  return texts;
}

/** The text of every shown number by data-key, formatted as the engine formats them. */
export function workedTexts(step, labels, activations, decimals) {
  const f = (value) => formatProse(value, decimals);
  const texts = {};
  const last = labels.length - 2;
  // given numbers (inputs, weights and biases before the step, and a weight the step leaves
  // exactly as it was) as given, as worked.py and the book's tables write them
  const given = (value) => formatGivenProse(value, decimals);
  const after = (old, value) => (value === old ? given(value) : f(value));
  const changeText = (value) => (value === 0 ? "0" : f(value)); // an exact zero as given
  labels[0].forEach((unit, i) => { texts[`x_${unit}`] = given(step.x[i]); });
  const inputs = [step.x, ...step.outputs.slice(0, -1)];
  for (let l = 0; l <= last; l += 1) {
    labels[l + 1].forEach((unit, j) => {
      const delta = step.deltas[l][j];
      Object.assign(texts, {
        [`net_${unit}`]: f(step.nets[l][j]), [`o_${unit}`]: f(step.outputs[l][j]), [`delta_${unit}`]: f(delta),
        [`o_after_${unit}`]: f(step.outputsAfter[l][j]),
        [`b_old_${unit}`]: given(step.biases[l][j]), [`db_${unit}`]: changeText(step.eta * delta),
        [`b_${unit}`]: after(step.biases[l][j], step.newBiases[l][j]),
      });
      labels[l].forEach((source, i) => {
        // (eta delta) x, as worked_solution writes it; old + change is trainStep's new weight
        texts[`w_old_${unit},${source}`] = given(step.weights[l][j][i]);
        texts[`dw_${unit},${source}`] = changeText(step.eta * delta * inputs[l][i]);
        texts[`w_${unit},${source}`] = after(step.weights[l][j][i], step.newWeights[l][j][i]);
      });
    });
  }
  for (const [key, text] of Object.entries(lineTexts(step, labels, activations, decimals))) {
    texts[key] = text.replace("-", MINUS_SIGN);
  }
  const change = step.errorAfter - step.error;
  Object.assign(texts, {
    E: f(step.error), E_after: f(step.errorAfter), E_change: f(change),
    E_direction: change < 0 ? "down" : change > 0 ? "up" : "unchanged",
  });
  return texts;
}

// The quantities a line may carry with more places than its own line gives them (worked.py's
// _CARRIED), and the section of the worked solution each line is in.
const CARRIED = /^(minus_net|net|o_after|o|delta)_([^,]+)$/;
const PLACES_IN_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
const sectionOfLine = (line) => (line === "E" ? "error" : line === "E_after" ? "after"
  : line.startsWith("net_") || line.startsWith("o_") ? "forward"
    : line.startsWith("delta_") ? "backward" : "update");

/**
 * By section, [kind, unit, text] of each quantity its lines carry with more than `decimals`
 * places, in the order they first appear, each with its most places: worked_solution's
 * `carried` through carried_quantities (a sigmoid line's -net given as net). `texts` are
 * workedTexts' (line factors by "<line>:<factor>", minus signs as U+2212).
 */
export function carriedBySection(texts, decimals) {
  const sections = { forward: new Map(), error: new Map(), backward: new Map(), update: new Map(), after: new Map() };
  for (const [key, text] of Object.entries(texts)) {
    const [line, factor] = key.split(":");
    if (factor === undefined || !CARRIED.test(factor) || places(text) <= decimals) {
      continue;
    }
    const carried = sections[sectionOfLine(line)];
    if (!carried.has(factor) || places(text) > places(carried.get(factor))) {
      carried.set(factor, text);
    }
  }
  const out = {};
  for (const [name, carried] of Object.entries(sections)) {
    out[name] = [...carried].map(([factor, text]) => {
      const [, kind, unit] = CARRIED.exec(factor);
      return kind === "minus_net"
        ? ["net", unit, text.startsWith(MINUS_SIGN) ? text.slice(1) : `${MINUS_SIGN}${text}`]
        : [kind, unit, text];
    });
  }
  return out;
}

// ------------------------------------------------------------------------- the view

/** Inline parts: strings, nodes and (nested) arrays of them. */
const parts = (...items) => items.flat(Infinity);
const sub = (base, index) => [base, h("sub", {}, index)];
const sup = (base, index) => [base, h("sup", {}, index)];
const net = (unit) => sub("net", unit);
const par = (key) => ["(", numberSpan(key), ")"];
const joined = (items, separator) => items.flatMap((item, n) => (n === 0 ? [item] : [separator, item]));
const eq = (...items) => h("div", { class: "bp-eq bp-formula" }, ...parts(items));
const cont = (...items) => h("div", { class: "bp-eq bp-cont bp-formula" }, ...parts(items));

/** The worked solution's five sections as HTML, each number a span with its data-key. */
function solution(labels, activations) {
  const last = labels.length - 2;
  const source = (l, i) => sub(l === 0 ? "x" : "o", labels[l][i]);
  const sourceKey = (l, i) => (l === 0 ? `x_${labels[0][i]}` : `o_${labels[l][i]}`);
  const section = (name, title, ...content) => h("section", { "data-section": name },
    h("h4", {}, ...parts(title)), ...content);
  // the sentence under a section that names what its lines carry with more places (set by carriedNote)
  const note = (name) => h("p", { class: "bp-caption bp-carried", "data-key": `carried_${name}` });

  const forward = [];
  for (let l = 0; l <= last; l += 1) {
    labels[l + 1].forEach((unit, j) => {
      const symbolic = joined(labels[l].map((s, i) => [source(l, i), sub("w", `${unit},${s}`)]), " + ");
      const line = `net_${unit}`;
      const plugged = joined(labels[l].map((s, i) => [par(`${line}:${sourceKey(l, i)}`), par(`${line}:w_${unit},${s}`)]), " + ");
      forward.push(eq(net(unit), " = ", symbolic, " + ", sub("b", unit)),
        cont("= ", plugged, " + ", par(`${line}:b_${unit}`), " = ", numberSpan(`net_${unit}`)));
      const name = activations[l];
      const rule = name === "sigmoid"
        ? ["\u03c3(", net(unit), ") = 1\u2009/\u2009(1 + ", sup("e", numberSpan(`o_${unit}:minus_net_${unit}`)), ")"]
        : name === "tanh" ? ["tanh(", net(unit), ") = tanh(", numberSpan(`o_${unit}:net_${unit}`), ")"]
          : name === "relu" ? ["max(0, ", net(unit), ") = max(0, ", numberSpan(`o_${unit}:net_${unit}`), ")"]
            : [net(unit)];
      forward.push(eq(sub("o", unit), " = ", rule, " = ", numberSpan(`o_${unit}`)));
    });
  }

  const squares = (line, outputKey) => joined(labels[last + 1].map((u) => [
    "(", numberSpan(`${line}:t_${u}`), ` ${MINUS_SIGN} `, numberSpan(`${line}:${outputKey}${u}`), ")",
    h("sup", {}, "2")]), " + ");
  // a function: one DOM node cannot stand in two formulas
  const halfSum = () => joined(labels[last + 1].map((u) => [
    "(", sub("t", u), ` ${MINUS_SIGN} `, sub("o", u), ")", h("sup", {}, "2")]), " + ");
  const error = eq("E = \u00bd[", halfSum(), "] = \u00bd[", squares("E", "o_"), "] = ", numberSpan("E"));

  const residual = (u) => ["(", sub("t", u), ` ${MINUS_SIGN} `, sub("o", u), ")"];
  const outputDeltas = labels[last + 1].map((u) => {
    const name = activations[last];
    const key = (factor) => `delta_${u}:${factor}_${u}`;
    const [symbolic, plugged] = name === "sigmoid"
      ? [[sub("o", u), `(1 ${MINUS_SIGN} `, sub("o", u), ")", residual(u)],
        [numberSpan(key("o")), " \u00d7 ", numberSpan(key("one_minus_o")), " \u00d7 ", par(key("residual"))]]
      : name === "tanh"
        ? [[`(1 ${MINUS_SIGN} `, sub("o", u), h("sup", {}, "2"), ")", residual(u)],
          [numberSpan(key("one_minus_o_sq")), " \u00d7 ", par(key("residual"))]]
        : name === "relu"
          ? [["\ud835\udfd9[", net(u), " > 0]", residual(u)], [numberSpan(key("indicator")), " \u00d7 ", par(key("residual"))]]
          : [[sub("t", u), ` ${MINUS_SIGN} `, sub("o", u)], [numberSpan(key("t")), ` ${MINUS_SIGN} `, par(key("o"))]];
    return eq(sub("\u03b4", u), " = ", symbolic, " = ", plugged, " = ", numberSpan(`delta_${u}`));
  });
  const backward = [section("backward", "Backward pass: output error terms.", ...outputDeltas)];
  for (let l = last - 1; l >= 0; l -= 1) {
    const lines = labels[l + 1].map((u) => {
      const above = labels[l + 2];
      const symbolicSum = joined(above.map((k) => [sub("w", `${k},${u}`), sub("\u03b4", k)]), " + ");
      const line = `delta_${u}`;
      const total = joined(above.map((k) => [par(`${line}:w_${k},${u}`), par(`${line}:delta_${k}`)]), " + ");
      const name = activations[l];
      const [local, localNumbers] = name === "sigmoid"
        ? [[sub("o", u), `(1 ${MINUS_SIGN} `, sub("o", u), ")"],
          [numberSpan(`${line}:o_${u}`), " \u00d7 ", numberSpan(`${line}:one_minus_o_${u}`)]]
        : name === "tanh" ? [[`(1 ${MINUS_SIGN} `, sub("o", u), h("sup", {}, "2"), ")"], [numberSpan(`${line}:one_minus_o_sq_${u}`)]]
          : name === "relu" ? [["\ud835\udfd9[", net(u), " > 0]"], [numberSpan(`${line}:indicator_${u}`)]]
            : [[], ["1"]];
      return eq(sub("\u03b4", u), " = ", local, "[", symbolicSum, "] = ", localNumbers, " \u00d7 [", total, "] = ",
        numberSpan(`delta_${u}`));
    });
    backward.push(section("backward", "Backward pass: hidden error terms.", ...lines));
  }
  backward[backward.length - 1].append(note("backward"));

  const updates = [];
  for (let l = last; l >= 0; l -= 1) {
    labels[l + 1].forEach((unit, j) => {
      labels[l].forEach((s, i) => {
        const key = `${unit},${s}`;
        const line = `w_${key}:`;
        updates.push(eq(sub("w", key), h("sup", {}, "new"), " = ", numberSpan(`${line}w_${key}`), " + ",
          par(`${line}eta`), par(`${line}delta_${unit}`), par(`${line}${sourceKey(l, i)}`), " = ",
          numberSpan(`${line}w_${key}`), " + ", par(`${line}dw_${key}`), " = ", numberSpan(`w_${key}`)));
      });
      const line = `b_${unit}:`;
      updates.push(eq(sub("b", unit), h("sup", {}, "new"), " = ", numberSpan(`${line}b_${unit}`), " + ",
        par(`${line}eta`), par(`${line}delta_${unit}`), "(1) = ", numberSpan(`${line}b_${unit}`), " + ",
        par(`${line}db_${unit}`), " = ", numberSpan(`b_${unit}`)));
    });
  }
  const rule = [sub("w", "ji"), " \u2190 ", sub("w", "ji"), " + \u03b7\u2009", sub("\u03b4", "j"), sub("x", "ji")];
  const outputsAfter = joined(labels[last + 1].map((u) => [
    sub("o", u), ": ", numberSpan(`o_${u}`), " \u2192 ", numberSpan(`o_after_${u}`)]), ", ");

  return h("div", { class: "bp-solution" },
    section("forward", "Forward pass.", ...forward, note("forward")),
    section("error", "Error before the update.", error, note("error")),
    ...backward,
    section("update", ["Weight updates with ", h("span", { class: "bp-formula" }, ...parts(rule)),
      " and ", h("span", { class: "bp-formula" }, "\u03b7 = ", numberSpan("eta")), "."], ...updates, note("update")),
    section("after", "After the update, the same input gives",
      eq(outputsAfter),
      eq(sup("E", "new"), " = \u00bd[", halfSum(), "] = \u00bd[", squares("E_after", "o_after_"), "] = ", numberSpan("E_after")),
      note("after")));
}

/** Each section's sentence on carried places, as worked.py's carried_note writes it. */
function carriedNote(root, texts, decimals) {
  const symbol = (kind, unit) => (kind === "net" ? net(unit) : kind === "o" ? sub("o", unit)
    : kind === "o_after" ? [sub("o", unit), h("sup", {}, "new")] : sub("\u03b4", unit));
  for (const [name, carried] of Object.entries(carriedBySection(texts, decimals))) {
    const element = root.querySelector(`[data-key="carried_${name}"]`);
    if (!carried.length) {
      element.replaceChildren();
      continue;
    }
    const shown = joined(carried.map(([kind, unit, text]) => h("span", { class: "bp-formula" },
      ...parts(symbol(kind, unit)), " = ", text)), ", ");
    const one = carried.length === 1;
    element.replaceChildren(h("em", {}, "More places where a line needs them:"), " ", ...parts(shown),
      `, rounded to ${PLACES_IN_WORDS[decimals] ?? decimals} places in ${one ? "its" : "their"} own line${one ? "" : "s"}; `
      + "each line above checks by hand from the numbers it shows.");
  }
}

/** The same numbers as the diagram, as two tables (the diagram's text alternative). */
function tables(labels, stage) {
  const cell = (key) => h("td", {}, numberSpan(key));
  const head = (...names) => h("tr", {}, ...names.map((name) => h("th", { scope: "col" }, ...parts(name))));
  const units = h("table", { class: "bp-values" },
    h("caption", {}, "Units: net input, output before the step, error term, output after the step"),
    head("unit", "net", "o", "\u03b4", sup("o", "new")));
  labels[0].forEach((u) => units.append(h("tr", {}, h("th", { scope: "row" }, `input ${u}`), h("td", {}, ""),
    cell(`x_${u}`), h("td", {}, ""), cell(`x_${u}`))));
  labels.slice(1).forEach((layer) => layer.forEach((u) => units.append(h("tr", {},
    h("th", { scope: "row" }, `unit ${u}`), cell(`net_${u}`), cell(`o_${u}`), cell(`delta_${u}`), cell(`o_after_${u}`)))));
  const params = h("table", { class: "bp-values" },
    h("caption", {}, "Weights and biases: before the step, change \u03b7\u03b4x, after the step"),
    head("", "before", "change", "after"));
  labels.slice(1).forEach((layer, l) => layer.forEach((u) => {
    labels[l].forEach((s) => params.append(h("tr", {}, h("th", { scope: "row" }, ...sub("w", `${u},${s}`)),
      cell(`w_old_${u},${s}`), cell(`dw_${u},${s}`), cell(`w_${u},${s}`))));
    params.append(h("tr", {}, h("th", { scope: "row" }, ...sub("b", u)),
      cell(`b_old_${u}`), cell(`db_${u}`), cell(`b_${u}`)));
  }));
  return h("details", {}, h("summary", {}, "The diagram's numbers as tables"),
    h("div", { class: "bp-table-wrap" }, units, params), stage);
}

/** The diagram's entries {key, text, value} for the stage "before" or "after" the step. */
function diagramValues(step, labels, texts, after) {
  const entry = (key, value) => ({ key, text: texts[key], value });
  return {
    nodes: labels.map((layer, k) => layer.map((u) => (k === 0 ? entry(`x_${u}`)
      : entry(after ? `o_after_${u}` : `o_${u}`)))),
    biases: labels.slice(1).map((layer) => layer.map((u) => entry(after ? `b_${u}` : `b_old_${u}`))),
    deltas: labels.slice(1).map((layer) => layer.map((u) => entry(`delta_${u}`))),
    edges: labels.slice(1).map((layer, l) => layer.map((u, j) => labels[l].map((s, i) => {
      const key = `${u},${s}`;
      return after ? entry(`w_${key}`, step.newWeights[l][j][i]) : entry(`w_old_${key}`, step.weights[l][j][i]);
    }))),
  };
}

function render({ model, el }) {
  const data = model.get("data");
  const { labels, activations, parameters, decimals } = data;
  const sizes = labels.map((layer) => layer.length);
  const root = explorerRoot(el, `Worked example explorer: one step of backpropagation on the ${sizes.join("-")} network`);
  root.classList.add("bp-worked");
  const doc = el.ownerDocument;
  if (!doc.getElementById("bp-worked-style")) {
    doc.head.append(h("style", { id: "bp-worked-style" }, WORKED_STYLE));
  }

  const last = labels[labels.length - 1];
  const summary = h("p", { class: "bp-row bp-when-finite" },
    h("b", {}, "E before the step"), " = ", numberSpan("E"), ", ", h("b", {}, "E after the step"), " = ",
    numberSpan("E_after"), " (change ", numberSpan("E_change"), ", ", numberSpan("E_direction"), "). Outputs: ",
    ...parts(joined(last.map((u) => [h("span", { class: "bp-formula" }, ...sub("o", u)), ": ",
      numberSpan(`o_${u}`), " \u2192 ", numberSpan(`o_after_${u}`)]), ", ")), ".");
  const message = messageLine();
  const before = h("button", { type: "button", "aria-pressed": "true" }, "before the step");
  const after = h("button", { type: "button", "aria-pressed": "false" }, "after the step");
  const stepButton = h("button", { type: "button", title: "move the sliders to the updated weights and biases" },
    "take the step");
  const resetButton = h("button", { type: "button", title: "back to the example's values" }, "reset");
  const toolbar = h("div", { class: "bp-toolbar" },
    h("span", { role: "group", "aria-label": "diagram", class: "bp-toolbar" }, "diagram: ", before, after),
    stepButton, resetButton);
  const caption = h("p", { class: "bp-row bp-caption bp-when-finite", "aria-live": "polite" });
  const names = ["input", ...labels.slice(1, -1).map(() => "hidden"), "output"];
  const diagram = networkDiagram(labels, {
    description: `Network diagram: ${labels.map((layer, k) => `${names[k]} units ${layer.join(", ")}`).join("; ")}; `
      + "each edge is labelled with its weight, each unit shows its output, its bias above and its error term "
      + "below. The same numbers are in the tables after the diagram.",
  });
  const figure = h("div", { class: "bp-when-finite" }, diagram.svg);
  const stage = h("p", { class: "bp-row" });
  const table = h("div", { class: "bp-when-finite" }, tables(labels, stage));
  const formulas = h("div", { class: "bp-when-finite" }, solution(labels, activations));
  root.append(summary, message, toolbar, caption, figure, table, formulas);

  let hold = false;
  let sending = false; // setValues sends the readouts with its values, in one message
  let current = null;

  // Each slider's readout (linked to readout_<name>) writes its number as the view writes
  // a number before the step: as given (0.9, not 0.9000), else at the view's places.
  function setReadouts() {
    let changed = false;
    for (const p of parameters) {
      const format = givenReadout(model.get(p.name), decimals);
      if (model.get(`readout_${p.name}`) !== format) {
        model.set(`readout_${p.name}`, format);
        changed = true;
      }
    }
    if (changed && !sending) {
      model.save_changes();
    }
  }

  function update() {
    if (hold) {
      return;
    }
    setReadouts();
    const arrays = stepArrays(parameters, (name) => model.get(name), sizes);
    current = workedStep(arrays, activations);
    const showAfter = Boolean(model.get("after"));
    before.setAttribute("aria-pressed", String(!showAfter));
    after.setAttribute("aria-pressed", String(showAfter));
    stepButton.disabled = !current.finite;
    root.setAttribute("data-diverged", String(!current.finite));
    if (!current.finite) {
      message.textContent = data.message;
      return;
    }
    message.textContent = "";
    const texts = workedTexts(current, labels, activations, decimals);
    diagram.set(diagramValues(current, labels, texts, showAfter));
    setNumbers(root, texts);
    carriedNote(root, texts, decimals);
    caption.textContent = showAfter
      ? "After the step: the updated weights and biases w + \u03b7\u03b4x, and the outputs they give for the same "
        + "input; the \u03b4 are those that made the step."
      : "Before the step: the current weights and biases, the outputs o of the forward pass (in the units) and "
        + "the error terms \u03b4 of the backward pass (under the units).";
    stage.textContent = showAfter ? "The diagram shows the network after the step." : "The diagram shows the network before the step.";
  }

  /** Set several values with one redraw, and send them (the linked sliders follow). */
  function setValues(values) {
    hold = true;
    try {
      for (const [name, value] of Object.entries(values)) {
        model.set(name, value);
      }
    } finally {
      hold = false;
    }
    sending = true;
    try {
      update();
    } finally {
      sending = false;
    }
    model.save_changes();
  }
  // The sliders hold values in their range; the engine's sliders clamp the same way.
  const clamp = (p, v) => Math.min(Math.max(v, p.min), p.max);

  const onBefore = () => setValues({ after: false });
  const onAfter = () => setValues({ after: true });
  const onStep = () => {
    if (!current || !current.finite) {
      return;
    }
    const values = {};
    for (const p of parameters) {
      if (p.kind === "weight") {
        values[p.name] = clamp(p, current.newWeights[p.layer][p.index[0]][p.index[1]]);
      } else if (p.kind === "bias") {
        values[p.name] = clamp(p, current.newBiases[p.layer][p.index[0]]);
      }
    }
    setValues(values);
  };
  const onReset = () => setValues(Object.fromEntries(parameters.map((p) => [p.name, clamp(p, p.value)])));
  before.addEventListener("click", onBefore);
  after.addEventListener("click", onAfter);
  stepButton.addEventListener("click", onStep);
  resetButton.addEventListener("click", onReset);

  // one listener per value: not every front end's model splits "change:a change:b"
  const events = ["change:after", ...parameters.map((p) => `change:${p.name}`)];
  for (const event of events) {
    model.on(event, update);
  }
  update();
  return () => events.forEach((event) => model.off(event, update));
}

export default { render };
