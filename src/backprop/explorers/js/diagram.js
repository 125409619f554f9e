// A network diagram in SVG for the explorers: layers left to right, every edge labelled
// with its weight, every non-input unit with its bias (above it) and its delta (under it),
// each unit's value inside it. Built once for an architecture; an event only changes
// texts, data-keys and edge styles, so a redraw costs well under a millisecond.
//
// It reads without colour: every number carries its sign (typographic minus), and a
// negative weight's edge is dashed as well as vermillion (Okabe-Ito, see chart.js).
import { svgElement } from "./dom.js";
import { PALETTE } from "./chart.js";

const DIAGRAM_WIDTH = 520;
const DIAGRAM_RADIUS = 28;
const DIAGRAM_ROW = 104; // vertical distance between units of a layer
const DIAGRAM_MARGIN_X = 62;
const DIAGRAM_MARGIN_Y = 48; // room for the bias above the top unit and the delta under the bottom one

/** A text with an optional subscript, drawn with dy (baseline-shift is not in every browser). */
function diagramSymbol(parent, base, subscript) {
  parent.append(base);
  if (subscript !== undefined && subscript !== "") {
    const low = svgElement("tspan", { dy: 4, "font-size": "0.75em" });
    low.textContent = subscript;
    parent.append(low, svgElement("tspan", { dy: -4 }));
  }
}

/**
 * Where along its edge (0 = source, 1 = target) the label of the weight into unit j of a
 * layer with `count` units sits: edges into different units get different fractions, so
 * their labels stand at different x and never stack, and none comes nearer than a label's
 * width to a unit, its bias or its delta.
 */
export function labelFraction(j, count) {
  return count > 1 ? 0.32 + (0.36 * j) / (count - 1) : 0.5;
}

/**
 * The diagram of a network whose layers (input layer first) have the unit labels `labels`.
 * options: {description} for the SVG's aria-label.
 * Returns {svg, set(values)} where values = {nodes[k][u], biases[l][j], deltas[l][j],
 * edges[l][j][i]}, each entry {key, text} (edges also {value}, the weight, for the style).
 * Each shown number is a tspan with a data-key (the parity tests read them).
 */
export function networkDiagram(labels, options = {}) {
  const widest = Math.max(...labels.map((layer) => layer.length));
  const height = 2 * DIAGRAM_MARGIN_Y + 2 * DIAGRAM_RADIUS + DIAGRAM_ROW * (widest - 1);
  const svg = svgElement("svg", {
    viewBox: `0 0 ${DIAGRAM_WIDTH} ${height}`, width: DIAGRAM_WIDTH, height, role: "img",
    "aria-label": options.description ?? "network diagram",
    "font-size": 14, "text-anchor": "middle",
  });
  const columns = labels.length - 1;
  const position = labels.map((layer, k) => layer.map((_, u) => [
    DIAGRAM_MARGIN_X + ((DIAGRAM_WIDTH - 2 * DIAGRAM_MARGIN_X) * k) / columns,
    height / 2 + DIAGRAM_ROW * (u - (layer.length - 1) / 2),
  ]));
  const edgeGroup = svgElement("g");
  const labelGroup = svgElement("g");
  const nodeGroup = svgElement("g");
  svg.append(edgeGroup, nodeGroup, labelGroup);

  const numberAt = (parent, x, y, attributes = {}) => {
    const text = svgElement("text", { x, y, ...attributes });
    parent.append(text);
    return text;
  };
  const halo = { stroke: "#ffffff", "stroke-width": 5, "paint-order": "stroke", "stroke-linejoin": "round" };

  const edges = [];
  const biases = [];
  const deltas = [];
  for (let l = 0; l < columns; l += 1) {
    const into = labels[l + 1];
    edges.push(into.map((unit, j) => labels[l].map((source, i) => {
      const [x1, y1] = position[l][i];
      const [x2, y2] = position[l + 1][j];
      const line = svgElement("line", { x1, y1, x2, y2, "stroke-linecap": "round" });
      edgeGroup.append(line);
      const f = labelFraction(j, into.length);
      const text = numberAt(labelGroup, x1 + f * (x2 - x1), y1 + f * (y2 - y1) + 4, { ...halo, fill: PALETTE.ink });
      const title = svgElement("title");
      title.textContent = `weight w${unit},${source} from unit ${source} into unit ${unit}`;
      const value = svgElement("tspan");
      text.append(title, value);
      return { line, value };
    })));
    biases.push(into.map((unit, j) => {
      const [x, y] = position[l + 1][j];
      const text = numberAt(labelGroup, x, y - DIAGRAM_RADIUS - 8, { ...halo, fill: PALETTE.ink });
      diagramSymbol(text, "b", unit);
      text.append(" = ");
      const value = svgElement("tspan");
      text.append(value);
      return value;
    }));
    deltas.push(into.map((unit, j) => {
      const [x, y] = position[l + 1][j];
      const text = numberAt(labelGroup, x, y + DIAGRAM_RADIUS + 17, { ...halo, fill: PALETTE.ink });
      diagramSymbol(text, "\u03b4", unit);
      text.append(" = ");
      const value = svgElement("tspan");
      text.append(value);
      return value;
    }));
  }
  const nodes = labels.map((layer, k) => layer.map((unit, u) => {
    const [x, y] = position[k][u];
    nodeGroup.append(svgElement("circle", {
      cx: x, cy: y, r: DIAGRAM_RADIUS, fill: k === 0 ? "#eef2f6" : "#ffffff", stroke: PALETTE.ink, "stroke-width": 1.5,
    }));
    const name = numberAt(nodeGroup, x, y - 7, { "font-size": 10, fill: PALETTE.grey });
    name.textContent = k === 0 ? `input ${unit}` : `unit ${unit}`;
    const value = numberAt(nodeGroup, x, y + 10, { "font-weight": "bold", fill: PALETTE.ink });
    return value;
  }));

  // Width by |w| relative to the largest weight at the start, saturating above it, so a
  // moved weight changes its own edge only.
  let reference = 0;

  function set(values) {
    if (reference === 0) {
      reference = Math.max(1e-12, ...values.edges.flat(2).map((e) => Math.abs(e.value)));
    }
    const show = (node, entry) => {
      node.setAttribute("data-key", entry.key);
      node.textContent = entry.text;
    };
    values.edges.forEach((layer, l) => layer.forEach((row, j) => row.forEach((entry, i) => {
      const { line, value } = edges[l][j][i];
      show(value, entry);
      const w = entry.value;
      line.setAttribute("stroke", w > 0 ? PALETTE.blue : w < 0 ? PALETTE.vermillion : PALETTE.grey);
      line.setAttribute("stroke-width", (1 + 3 * Math.min(1, Math.abs(w) / reference)).toFixed(2));
      if (w < 0) {
        line.setAttribute("stroke-dasharray", "7 4");
      } else {
        line.removeAttribute("stroke-dasharray");
      }
    })));
    values.biases.forEach((layer, l) => layer.forEach((entry, j) => show(biases[l][j], entry)));
    values.deltas.forEach((layer, l) => layer.forEach((entry, j) => show(deltas[l][j], entry)));
    values.nodes.forEach((layer, k) => layer.forEach((entry, u) => show(nodes[k][u], entry)));
  }

  return { svg, set };
}
