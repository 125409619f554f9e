// Numbers as the book prints them: the same strings as the Python engine's
// backprop.worked.format_number (and the explorers' Python side), so a number shown by an
// explorer in the page reads exactly as the chapter and the engine print it.

const MINUS = "\u2212";

/**
 * `value` rounded to `decimals` places, trailing zeros dropped (0.20 -> "0.2", -0 -> "0"),
 * as Python's f"{value:.{decimals}f}" rounds: to the nearest, ties (exact binary values
 * halfway between) to even. JavaScript's toFixed rounds ties away from zero and switches
 * to exponent notation from 1e21, so both cases are handled here.
 */
export function formatNumber(value, decimals) {
  if (!Number.isFinite(value)) {
    return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
  }
  let text = formatFixed(value, decimals);
  if (text.includes(".")) {
    text = text.replace(/0+$/, "").replace(/\.$/, "");
  }
  return text === "-0" || text === "" ? "0" : text;
}

/** formatNumber with a typographic minus sign, for prose and formulas. */
export function formatProse(value, decimals) {
  return formatNumber(value, decimals).replace("-", MINUS);
}

/** `value` with exactly `decimals` places, as Python's f"{value:.{decimals}f}" (finite values). */
export function formatFixed(value, decimals) {
  if (Math.abs(value) >= 1e21) {
    // an integer-valued double: its exact digits, then the zeros Python prints
    const digits = BigInt(value).toString();
    return decimals > 0 ? `${digits}.${"0".repeat(decimals)}` : digits;
  }
  // An exact tie has at most decimals + 1 significant decimals after the point, so 25 more
  // exact digits (toFixed is exact) show whether the value is one.
  const exact = Math.abs(value).toFixed(Math.min(100, decimals + 25));
  const point = exact.indexOf(".");
  const tail = exact.slice(point + 1 + decimals);
  if (tail[0] === "5" && /^5?0*$/.test(tail)) {
    // ties to even: keep the truncated digits if the last kept digit is even
    const kept = exact.slice(0, decimals > 0 ? point + 1 + decimals : point);
    const last = Number(kept[kept.length - 1]);
    // an odd last digit: toFixed rounds the tie away from zero, which is to the even one
    const text = last % 2 === 0 ? kept : Math.abs(value).toFixed(decimals);
    return value < 0 ? `-${text}` : text;
  }
  return value.toFixed(decimals);
}
