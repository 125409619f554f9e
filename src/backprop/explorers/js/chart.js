// A small SVG chart for the explorers' curves: linear or log axes with ticks, lines that
// move (their points are replaced on each event), dots and guide lines. The figures stay
// light (no library) and redraw in well under a millisecond.
import { svgElement } from "./dom.js";

// Okabe-Ito: told apart with every common colour-vision deficiency.
export const PALETTE = {
  blue: "#0072B2", orange: "#E69F00", green: "#009E73", vermillion: "#D55E00",
  sky: "#56B4E9", purple: "#CC79A7", yellow: "#F0E442", ink: "#1f2933", grey: "#7b8794",
};

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit >= 5 ? 10 : unit >= 2 ? 5 : unit >= 1 ? 2 : 1) * power;
}

/** Tick positions for an axis {min, max, log}. */
export function ticks(axis, count = 5) {
  if (axis.log) {
    const low = Math.ceil(Math.log10(axis.min));
    const high = Math.floor(Math.log10(axis.max));
    const every = Math.max(1, Math.ceil((high - low + 1) / (count + 2)));
    const values = [];
    for (let e = low; e <= high; e += every) {
      values.push(10 ** e);
    }
    return values;
  }
  const step = niceStep(axis.max - axis.min, count);
  const values = [];
  for (let v = Math.ceil(axis.min / step) * step; v <= axis.max + step * 1e-9; v += step) {
    values.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  }
  return values;
}

function tickLabel(value, axis) {
  if (axis.log) {
    const exponent = Math.round(Math.log10(value));
    return exponent === 0 ? "1" : exponent === 1 ? "10" : `1e${exponent}`.replace("-", "\u2212");
  }
  return String(Number(value.toPrecision(6))).replace("-", "\u2212");
}

/**
 * A chart: options {width, height, x: {min, max, label, log}, y: {...}, title, description}.
 * Returns {svg, line(style), dot(style), vline(style), hline(value, style), text(...), setY(axis)}.
 */
export function chart(options) {
  const width = options.width ?? 520;
  const height = options.height ?? 220;
  const margin = { left: 58, right: 12, top: options.title ? 22 : 10, bottom: 40, ...options.margin };
  const svg = svgElement("svg", {
    viewBox: `0 0 ${width} ${height}`, width, height, role: "img",
    "aria-label": options.description ?? options.title ?? "chart",
  });
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  let xAxis = options.x;
  let yAxis = options.y;
  const scale = (axis, value, size, flip) => {
    const position = axis.log
      ? (Math.log10(value) - Math.log10(axis.min)) / (Math.log10(axis.max) - Math.log10(axis.min))
      : (value - axis.min) / (axis.max - axis.min);
    return flip ? size * (1 - position) : size * position;
  };
  const sx = (value) => margin.left + scale(xAxis, value, plotWidth, false);
  const sy = (value) => margin.top + scale(yAxis, value, plotHeight, true);
  const clampY = (value) => Math.min(Math.max(value, yAxis.min), yAxis.max);

  const axes = svgElement("g", { "aria-hidden": "true" });
  svg.append(axes);
  const layer = svgElement("g");
  svg.append(layer);
  const clipId = `bp-clip-${Math.random().toString(36).slice(2)}`;
  const clip = svgElement("clipPath", { id: clipId });
  clip.append(svgElement("rect", { x: margin.left, y: margin.top, width: plotWidth, height: plotHeight }));
  svg.prepend(clip);
  layer.setAttribute("clip-path", `url(#${clipId})`);

  function drawAxes() {
    axes.replaceChildren();
    const frame = svgElement("rect", {
      x: margin.left, y: margin.top, width: plotWidth, height: plotHeight,
      fill: "none", stroke: "#9aa5b1",
    });
    axes.append(frame);
    for (const value of ticks(xAxis, options.xTicks ?? 6)) {
      const x = sx(value);
      axes.append(svgElement("line", { x1: x, x2: x, y1: margin.top, y2: margin.top + plotHeight, stroke: "#e4e7eb" }));
      const label = svgElement("text", { x, y: margin.top + plotHeight + 15, "text-anchor": "middle", "font-size": 11, fill: "#3e4c59" });
      label.textContent = tickLabel(value, xAxis);
      axes.append(label);
    }
    for (const value of ticks(yAxis, options.yTicks ?? 4)) {
      const y = sy(value);
      axes.append(svgElement("line", { x1: margin.left, x2: margin.left + plotWidth, y1: y, y2: y, stroke: "#e4e7eb" }));
      const label = svgElement("text", { x: margin.left - 6, y: y + 4, "text-anchor": "end", "font-size": 11, fill: "#3e4c59" });
      label.textContent = tickLabel(value, yAxis);
      axes.append(label);
    }
    if (xAxis.label) {
      const label = svgElement("text", { x: margin.left + plotWidth / 2, y: height - 6, "text-anchor": "middle", "font-size": 12, fill: "#1f2933" });
      label.textContent = xAxis.label;
      axes.append(label);
    }
    if (yAxis.label) {
      const label = svgElement("text", {
        x: 14, y: margin.top + plotHeight / 2, "text-anchor": "middle", "font-size": 12, fill: "#1f2933",
        transform: `rotate(-90 14 ${margin.top + plotHeight / 2})`,
      });
      label.textContent = yAxis.label;
      axes.append(label);
    }
    if (options.title) {
      const title = svgElement("text", { x: margin.left, y: 15, "font-size": 12, "font-weight": "bold", fill: "#1f2933" });
      title.textContent = options.title;
      axes.append(title);
    }
  }
  drawAxes();

  return {
    svg,
    sx,
    sy,
    /** A polyline; set(points) with points [[x, y], ...] (non-finite points break the line). */
    line(style = {}) {
      const path = svgElement("path", {
        fill: "none", stroke: style.color ?? PALETTE.blue, "stroke-width": style.width ?? 2,
        ...(style.dash ? { "stroke-dasharray": style.dash } : {}),
        ...(style.opacity ? { opacity: style.opacity } : {}),
      });
      layer.append(path);
      return {
        element: path,
        set(points) {
          let d = "";
          let pen = "M";
          for (const [x, y] of points) {
            if (!Number.isFinite(x) || !Number.isFinite(y) || (yAxis.log && y <= 0)) {
              pen = "M";
              continue;
            }
            d += `${pen}${sx(x).toFixed(2)},${sy(clampY(y)).toFixed(2)}`;
            pen = "L";
          }
          path.setAttribute("d", d);
        },
      };
    },
    /** A dot (a marker: circle, square or triangle); set(x, y) moves it, hidden if not finite. */
    dot(style = {}) {
      const r = style.radius ?? 5;
      const shape = style.shape ?? "circle";
      const element = shape === "circle"
        ? svgElement("circle", { r })
        : svgElement("path", { d: shape === "square" ? `M${-r},${-r}h${2 * r}v${2 * r}h${-2 * r}z` : `M0,${-r * 1.2}L${r * 1.1},${r * 0.8}L${-r * 1.1},${r * 0.8}z` });
      element.setAttribute("fill", style.color ?? PALETTE.blue);
      element.setAttribute("stroke", style.stroke ?? "white");
      element.setAttribute("stroke-width", 1.5);
      layer.append(element);
      return {
        element,
        set(x, y) {
          const shown = Number.isFinite(x) && Number.isFinite(y);
          element.setAttribute("visibility", shown ? "visible" : "hidden");
          if (shown) {
            const at = [sx(x).toFixed(2), sy(clampY(y)).toFixed(2)];
            if (shape === "circle") {
              element.setAttribute("cx", at[0]);
              element.setAttribute("cy", at[1]);
            } else {
              element.setAttribute("transform", `translate(${at[0]},${at[1]})`);
            }
          }
        },
      };
    },
    /** A vertical guide; set(x). */
    vline(style = {}) {
      const element = svgElement("line", {
        y1: margin.top, y2: margin.top + plotHeight, stroke: style.color ?? PALETTE.ink,
        "stroke-width": style.width ?? 1, ...(style.dash ? { "stroke-dasharray": style.dash } : {}),
      });
      layer.append(element);
      return {
        element,
        set(x) {
          element.setAttribute("x1", sx(x));
          element.setAttribute("x2", sx(x));
        },
      };
    },
    /** A fixed horizontal line at y with an optional label. */
    hline(value, style = {}) {
      const y = sy(value);
      layer.append(svgElement("line", {
        x1: margin.left, x2: margin.left + plotWidth, y1: y, y2: y, stroke: style.color ?? PALETTE.grey,
        "stroke-dasharray": style.dash ?? "2 3",
      }));
      if (style.label) {
        // above the line, or below it where the line runs along the top of the frame
        const below = y - margin.top < 14;
        const label = svgElement("text", { x: margin.left + 4, y: below ? y + 13 : y - 4, "font-size": 11, fill: "#52606d" });
        label.textContent = style.label;
        layer.append(label);
      }
    },
    /** Change the y axis (e.g. a log range that follows the data) and redraw the axes. */
    setY(axis) {
      yAxis = axis;
      drawAxes();
    },
    setX(axis) {
      xAxis = axis;
      drawAxes();
    },
  };
}

/**
 * A legend as HTML (read by screen readers, unlike SVG text): entries [{label, color, dash}].
 */
export function legend(entries) {
  const list = document.createElement("ul");
  list.className = "bp-legend";
  list.style.cssText = "list-style:none;padding:0;margin:0.2em 0;display:flex;flex-wrap:wrap;gap:0.4em 1.2em;font-size:0.85rem";
  for (const entry of entries) {
    const item = document.createElement("li");
    const swatch = svgElement("svg", { width: 28, height: 10, "aria-hidden": "true" });
    swatch.append(svgElement("line", {
      x1: 0, x2: 28, y1: 5, y2: 5, stroke: entry.color, "stroke-width": 2.5,
      ...(entry.dash ? { "stroke-dasharray": entry.dash } : {}),
    }));
    swatch.style.cssText = "display:inline;vertical-align:middle;margin-right:0.3em";
    item.append(swatch, entry.label);
    list.append(item);
  }
  return list;
}
