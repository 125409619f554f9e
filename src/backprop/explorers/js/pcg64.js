// numpy's default generator, PCG64 (XSL-RR 128/64), with its 32-bit buffer, so that a view
// draws what numpy's Generator draws in Python from a state its explorer ships
// (numpy/random/src/pcg64/pcg64.h and distributions.c): chapter 9's vanishing-gradient
// explorer makes its words here, chapter 12's post 002 explorer its points and orders.
const MASK_64 = (1n << 64n) - 1n;
const MASK_128 = (1n << 128n) - 1n;
const PCG_MULTIPLIER = (2549297995355413924n << 64n) + 4865540595714422341n;

export class PCG64 {
  /** From post002.py's generator_state: {state, inc (hex), has_uint32, uinteger}. */
  constructor({ state, inc, has_uint32: hasUint32, uinteger }) {
    this.state = BigInt(`0x${state}`);
    this.inc = BigInt(`0x${inc}`);
    this.hasUint32 = Boolean(hasUint32);
    this.uinteger = uinteger;
  }

  /** next_uint64: step the LCG, then rotate (high ^ low) right by the top 6 bits. */
  next64() {
    this.state = (this.state * PCG_MULTIPLIER + this.inc) & MASK_128;
    const xored = ((this.state >> 64n) ^ this.state) & MASK_64;
    const rotation = this.state >> 122n;
    return ((xored >> rotation) | (xored << ((64n - rotation) & 63n))) & MASK_64;
  }

  /** next_uint32: the low half of a 64-bit draw, the high half kept for the next call. */
  next32() {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    const draw = this.next64();
    this.hasUint32 = true;
    this.uinteger = Number(draw >> 32n);
    return Number(draw & 0xffffffffn);
  }

  /** next_double: the top 53 bits over 2^53, as Generator.uniform(0, 1) returns it. */
  nextDouble() {
    return Number(this.next64() >> 11n) / 2 ** 53;
  }

  /** random_interval(max) for max < 2^32: masked 32-bit draws until one is <= max. */
  interval(max) {
    if (max === 0) {
      return 0;
    }
    let mask = max;
    for (const shift of [1, 2, 4, 8, 16]) {
      mask |= mask >>> shift;
    }
    let value;
    do {
      value = (this.next32() & mask) >>> 0;
    } while (value > max);
    return value;
  }
}
