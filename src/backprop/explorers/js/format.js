// Numbers as the book prints them: the same strings as the Python engine's
// backprop.worked.format_number (and the explorers' Python side), so a number shown by an
// explorer in the page reads exactly as the chapter and the engine print it.

const MINUS = "\u2212";

/**
 * `value` with exactly `decimals` places, trailing zeros kept (0.47 -> "0.4700"; the book's
 * one rule for a computed number), and no minus zero (-0.00001 -> "0.0000"), as Python's
 * f"{value:.{decimals}f}" rounds: to the nearest, ties (exact binary values halfway
 * between) to even. JavaScript's toFixed rounds ties away from zero and switches to
 * exponent notation from 1e21, so both cases are handled here.
 */
export function formatNumber(value, decimals) {
  if (!Number.isFinite(value)) {
    return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
  }
  const text = formatFixed(value, decimals);
  return text.startsWith("-") && /^-[0.]*$/.test(text) ? text.slice(1) : text;
}

/**
 * A given number (input, target, learning rate, weight before the step), as
 * backprop.worked.format_given writes it: as given ("0.2", "1") when it has at most
 * `decimals` places, else as formatNumber.
 */
export function formatGiven(value, decimals) {
  let text = formatNumber(value, decimals);
  // "exact" up to float noise, as the engine's format_given: a slider moved from 0.55 by
  // 0.01 four times sends 0.5900000000000001, which is the given 0.59
  if (text.includes(".") && Math.abs(Number(text) - value) <= 1e-12 * Math.max(1, Math.abs(value))) {
    text = text.replace(/0+$/, "").replace(/\.$/, "");
  }
  return text === "-0" || text === "" ? "0" : text;
}

/**
 * The slider readout format (a d3-format code, as ipywidgets reads it) that writes `value`
 * as formatGiven does: ".1f" for 0.9, ".0f" for 1, ".4f" for -0.2608342 at four places.
 * As backprop.explorers.widget.given_readout.
 */
export function givenReadout(value, decimals) {
  const text = formatGiven(value, decimals);
  const point = text.indexOf(".");
  return `.${point < 0 ? 0 : text.length - point - 1}f`;
}

/** formatNumber with a typographic minus sign, for prose and formulas. */
export function formatProse(value, decimals) {
  return formatNumber(value, decimals).replace("-", MINUS);
}

/** formatGiven with a typographic minus sign: a given number in prose and formulas. */
export function formatGivenProse(value, decimals) {
  return formatGiven(value, decimals).replace("-", MINUS);
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

/**
 * `value` with `digits` significant digits as Python's f"{value:.{digits}g}": fixed
 * notation for exponents -4 to digits - 1, else "1.5e-07"; trailing zeros dropped; exact
 * ties rounded to even (toExponential rounds them away from zero).
 */
export function formatGeneral(value, digits) {
  if (!Number.isFinite(value)) {
    return Number.isNaN(value) ? "nan" : value > 0 ? "inf" : "-inf";
  }
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  if (value === 0) {
    return `${sign}0`;
  }
  const p = Math.max(1, digits);
  const exact = Math.abs(value).toExponential(Math.min(100, p - 1 + 25));
  const [exactMantissa, exactExponent] = exact.split("e");
  const exactDigits = exactMantissa.replace(".", "");
  const tail = exactDigits.slice(p);
  let kept;
  let exponent;
  if (tail[0] === "5" && /^50*$/.test(tail) && Number(exactDigits[p - 1]) % 2 === 0) {
    [kept, exponent] = [exactDigits.slice(0, p), Number(exactExponent)];
  } else {
    const [mantissa, rounded] = Math.abs(value).toExponential(p - 1).split("e");
    [kept, exponent] = [mantissa.replace(".", ""), Number(rounded)];
  }
  const strip = (whole, fraction) => {
    const trimmed = fraction.replace(/0+$/, "");
    return trimmed ? `${whole}.${trimmed}` : whole;
  };
  if (exponent >= -4 && exponent < p) {
    const text = exponent >= 0
      ? strip(kept.slice(0, exponent + 1), kept.slice(exponent + 1))
      : strip("0", "0".repeat(-exponent - 1) + kept);
    return sign + text;
  }
  const power = `${exponent < 0 ? "-" : "+"}${String(Math.abs(exponent)).padStart(2, "0")}`;
  return `${sign}${strip(kept[0], kept.slice(1))}e${power}`;
}
