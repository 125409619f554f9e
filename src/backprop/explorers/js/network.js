// The network arithmetic of the explorers, in the page: forward pass, deltas, update and
// squared error for small fully connected networks, unit by unit on plain numbers.
//
// It mirrors the Python engine's float path (src/backprop/scalar.py and the activation
// table of src/backprop/activations.py) operation by operation, in the same order, so
// that the explorers show the engine's numbers: the parity tests in tests/explorers/
// compare every number an explorer shows with the engine's, and network.test.mjs checks
// this module on its own (Node's test runner, from `make test`).
//
// Layout, as in scalar.py: weights[l][j][i] is w_ji of layer l (unit j of layer l + 1
// receiving from unit i of layer l), biases[l][j] is b_j, and each layer has one
// activation name. Nothing here throws on overflow: it gives Infinity or NaN, and the
// explorers say so (see `allFinite`).

// Each activation: f(net) and f'(net) computed from the output o = f(net), with the
// local derivative written beside the forward rule.
export const ACTIVATIONS = {
  // sigma(net) = 1 / (1 + e^-net); sigma'(net) = o (1 - o). exp(-net) = Infinity for
  // net < -709 gives exactly the limit 0, as the engine's scalar sigmoid does.
  sigmoid: { forward: (net) => 1.0 / (1.0 + Math.exp(-net)), slope: (o) => o * (1.0 - o) },
  // tanh'(net) = 1 - o^2
  tanh: { forward: (net) => Math.tanh(net), slope: (o) => 1.0 - o * o },
  // relu'(net) = 1 where net > 0, else 0 (the kink takes 0); NaN stays NaN.
  relu: { forward: (net) => (net > 0.0 || net !== net ? net : 0.0), slope: (o) => (o > 0.0 ? 1.0 : 0.0) },
  // identity: f'(net) = 1
  linear: { forward: (net) => net, slope: () => 1.0 },
};

/** The activation called `name`, or an Error naming the known ones. */
export function activation(name) {
  const found = ACTIVATIONS[name];
  if (!found) {
    throw new Error(`unknown activation ${JSON.stringify(name)}; known: ${Object.keys(ACTIVATIONS).join(", ")}`);
  }
  return found;
}

/** sum_i a[i] * b[i], added left to right from 0 (Python's sum(map(mul, a, b))). */
export function dot(a, b) {
  let total = 0;
  for (let i = 0; i < a.length; i += 1) {
    total += a[i] * b[i];
  }
  return total;
}

/**
 * Net inputs and outputs of every layer for one example x.
 * net_j = sum_i w_ji x_i + b_j and o_j = f(net_j).
 * @returns {{nets: number[][], outputs: number[][]}}
 */
export function forward(weights, biases, activations, x) {
  const nets = [];
  const outputs = [];
  let signal = x;
  for (let l = 0; l < weights.length; l += 1) {
    const f = activation(activations[l]).forward;
    const net = weights[l].map((row, j) => dot(row, signal) + biases[l][j]);
    signal = net.map(f);
    nets.push(net);
    outputs.push(signal);
  }
  return { nets, outputs };
}

/**
 * Every layer's error terms (the lecture's sign) from the outputs and the targets:
 * delta_k = f'(net_k) (t_k - o_k) for output units, delta_h = f'(net_h) sum_k w_kh delta_k
 * for hidden ones, f' computed from the unit's output.
 * @returns {number[][]} deltas[l][j], one list per layer
 */
export function deltas(weights, activations, outputs, target) {
  const last = outputs.length - 1;
  const outSlope = activation(activations[last]).slope;
  let delta = outputs[last].map((o, k) => outSlope(o) * (target[k] - o));
  const result = [delta];
  for (let l = weights.length - 2; l >= 0; l -= 1) {
    const slope = activation(activations[l]).slope;
    const above = weights[l + 1];
    const below = delta;
    // column h of the weights above holds w_kh for every unit k above
    delta = outputs[l].map((o, h) => slope(o) * dot(above.map((row) => row[h]), below));
    result.push(delta);
  }
  return result.reverse();
}

/**
 * Mitchell's rule, returning new arrays: w_ji + (eta delta_j) x_ji and b_j + eta delta_j,
 * written in the order the engine uses so both give the same floats.
 * @param layerInputs what each layer received: [x, outputs[0], ..., outputs[L - 2]]
 */
export function update(weights, biases, deltaList, layerInputs, eta) {
  const newWeights = [];
  const newBiases = [];
  for (let l = 0; l < weights.length; l += 1) {
    const signal = layerInputs[l];
    newWeights.push(weights[l].map((row, j) => {
      const step = eta * deltaList[l][j];
      return row.map((w, i) => w + step * signal[i]);
    }));
    newBiases.push(biases[l].map((b, j) => b + eta * deltaList[l][j]));
  }
  return { weights: newWeights, biases: newBiases };
}

/** E = 1/2 sum_k (t_k - o_k)^2 for one example. */
export function squaredError(output, target) {
  const residual = target.map((t, k) => t - output[k]);
  return 0.5 * dot(residual, residual);
}

/**
 * One step of backpropagation on one example: the forward pass, E, the deltas, the
 * updated parameters and the outputs they give. Nothing is changed in place.
 */
export function trainStep(weights, biases, activations, x, target, eta) {
  const { nets, outputs } = forward(weights, biases, activations, x);
  const error = squaredError(outputs[outputs.length - 1], target);
  const deltaList = deltas(weights, activations, outputs, target);
  const updated = update(weights, biases, deltaList, [x, ...outputs.slice(0, -1)], eta);
  const after = forward(updated.weights, updated.biases, activations, x);
  const errorAfter = squaredError(after.outputs[after.outputs.length - 1], target);
  return {
    nets, outputs, error, deltas: deltaList,
    weights: updated.weights, biases: updated.biases,
    outputsAfter: after.outputs, netsAfter: after.nets, errorAfter,
  };
}

/**
 * One stochastic step in place (weights and biases are changed); returns E before it.
 * The same arithmetic as trainStep, as scalar.py's scalar_step fuses it.
 */
export function stepInPlace(weights, biases, activations, x, target, eta) {
  const { outputs } = forward(weights, biases, activations, x);
  const out = outputs[outputs.length - 1];
  const residual = target.map((t, k) => t - out[k]);
  const deltaList = deltas(weights, activations, outputs, target);
  const inputs = [x, ...outputs.slice(0, -1)];
  for (let l = 0; l < weights.length; l += 1) {
    const signal = inputs[l];
    for (let j = 0; j < weights[l].length; j += 1) {
      const step = eta * deltaList[l][j];
      const row = weights[l][j];
      for (let i = 0; i < row.length; i += 1) {
        row[i] = row[i] + step * signal[i];
      }
      biases[l][j] += step;
    }
  }
  return 0.5 * dot(residual, residual);
}

/** A deep copy of nested number lists (weights or biases). */
export function copyNested(lists) {
  return lists.map((item) => (Array.isArray(item) ? copyNested(item) : item));
}

/** True if every number in the (nested) lists is finite. */
export function allFinite(value) {
  if (Array.isArray(value)) {
    return value.every(allFinite);
  }
  return Number.isFinite(value);
}
