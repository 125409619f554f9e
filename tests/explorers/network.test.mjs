// Node's test runner (`node --test tests/explorers/`, from `make test`): the explorers'
// in-page arithmetic (src/backprop/explorers/js/network.js) and number format (format.js)
// on their own. test_network_js.py compares the same module with the Python engine.
import { test } from "node:test";
import assert from "node:assert/strict";
import {
  ACTIVATIONS, activation, allFinite, copyNested, deltas, forward, squaredError, stepInPlace, trainStep,
} from "../../src/backprop/explorers/js/network.js";
import { formatFixed, formatGiven, formatGivenProse, formatNumber, formatProse } from "../../src/backprop/explorers/js/format.js";

// A seeded generator (mulberry32), so the random networks are the same on every run.
function generator(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomNetwork(random, sizes, names) {
  const weights = [];
  const biases = [];
  for (let l = 0; l + 1 < sizes.length; l += 1) {
    weights.push(Array.from({ length: sizes[l + 1] }, () => Array.from({ length: sizes[l] }, () => 2 * random() - 1)));
    biases.push(Array.from({ length: sizes[l + 1] }, () => 2 * random() - 1));
  }
  return { weights, biases, activations: names };
}

function errorOf(net, x, target) {
  const { outputs } = forward(net.weights, net.biases, net.activations, x);
  return squaredError(outputs[outputs.length - 1], target);
}

test("each activation's slope is the derivative of its forward rule", () => {
  for (const name of ["sigmoid", "tanh", "relu", "linear"]) {
    const f = ACTIVATIONS[name];
    for (const net of [-2.3, -0.4, 0.7, 1.9]) {
      const h = 1e-6;
      const numeric = (f.forward(net + h) - f.forward(net - h)) / (2 * h);
      assert.ok(Math.abs(f.slope(f.forward(net)) - numeric) < 1e-8, `${name} at ${net}`);
    }
  }
});

test("the sigmoid has no overflow and hits its limits; relu keeps NaN and gives 0 at the kink", () => {
  assert.equal(ACTIVATIONS.sigmoid.forward(-1000), 0);
  assert.equal(ACTIVATIONS.sigmoid.forward(1000), 1);
  assert.equal(ACTIVATIONS.sigmoid.slope(ACTIVATIONS.sigmoid.forward(0)), 0.25);
  assert.equal(ACTIVATIONS.relu.slope(ACTIVATIONS.relu.forward(0)), 0);
  assert.ok(Number.isNaN(ACTIVATIONS.relu.forward(NaN)));
  assert.throws(() => activation("softplus"), /unknown activation "softplus"; known: sigmoid, tanh, relu, linear/);
});

test("the deltas are minus the gradient of E with respect to each net input (finite differences)", () => {
  const random = generator(7);
  for (const names of [["sigmoid", "sigmoid"], ["tanh", "linear"], ["sigmoid", "tanh", "sigmoid"]]) {
    const sizes = [3, ...names.map((_, l) => (l === names.length - 1 ? 2 : 3))];
    const net = randomNetwork(random, sizes, names);
    const x = [0.3, -0.8, 0.5];
    const target = [0.9, 0.1];
    const { outputs } = forward(net.weights, net.biases, net.activations, x);
    const d = deltas(net.weights, net.activations, outputs, target);
    // dE/db_j = dE/dnet_j, and delta_j = -dE/dnet_j
    for (let l = 0; l < net.biases.length; l += 1) {
      for (let j = 0; j < net.biases[l].length; j += 1) {
        const h = 1e-6;
        const up = copyNested(net.biases);
        const down = copyNested(net.biases);
        up[l][j] += h;
        down[l][j] -= h;
        const numeric = (errorOf({ ...net, biases: up }, x, target) - errorOf({ ...net, biases: down }, x, target)) / (2 * h);
        assert.ok(Math.abs(d[l][j] + numeric) < 1e-8, `${names} layer ${l} unit ${j}: ${d[l][j]} vs ${-numeric}`);
      }
    }
  }
});

test("a small step lowers E, and trainStep agrees with stepInPlace", () => {
  const random = generator(11);
  const net = randomNetwork(random, [2, 2, 1], ["sigmoid", "sigmoid"]);
  const x = [1, 0];
  const target = [1];
  const step = trainStep(net.weights, net.biases, net.activations, x, target, 0.5);
  assert.ok(step.errorAfter < step.error);
  const weights = copyNested(net.weights);
  const biases = copyNested(net.biases);
  const before = stepInPlace(weights, biases, net.activations, x, target, 0.5);
  assert.equal(before, step.error);
  assert.deepEqual(weights, step.weights);
  assert.deepEqual(biases, step.biases);
  // trainStep changed nothing in place
  assert.notDeepEqual(net.weights, step.weights);
});

test("overflow gives Infinity or NaN, never an exception, and allFinite says so", () => {
  const net = { weights: [[[1e308, 1e308]]], biases: [[0]], activations: ["linear"] };
  const step = trainStep(net.weights, net.biases, net.activations, [10, 10], [0], 10);
  assert.equal(allFinite(step.outputs), false);
  assert.equal(allFinite([[1, 2], [3]]), true);
});

test("numbers are formatted as Python's format spec rounds them (fixed places, ties to even, no exponents)", () => {
  const cases = [
    [0.125, 2, "0.12"], [-0.125, 2, "-0.12"], [0.375, 2, "0.38"], [2.5, 0, "2"], [3.5, 0, "4"],
    [0.47, 4, "0.4700"], [1 / 3, 4, "0.3333"], [-2.675, 2, "-2.67"], [-0.00001, 4, "0.0000"],
    [1e22, 2, "10000000000000000000000.00"], [0.1 + 0.2, 4, "0.3000"], [-0.0, 4, "0.0000"],
    [-0.4, 0, "0"], [2, 3, "2.000"],
  ];
  for (const [value, decimals, expected] of cases) {
    assert.equal(formatNumber(value, decimals), expected, `${value} to ${decimals}`);
  }
  assert.equal(formatFixed(97.75, 1), "97.8"); // 97.75 is exactly a tie: to even
  assert.equal(formatFixed(0.25, 1), "0.2");
  assert.equal(formatFixed(-1.5, 0), "-2");
  assert.equal(formatProse(-0.5, 4), "\u22120.5000");
  // given numbers as given when exact at the places, else fixed
  assert.equal(formatGiven(0.2, 4), "0.2");
  assert.equal(formatGiven(-0.0, 4), "0");
  assert.equal(formatGiven(1, 4), "1");
  assert.equal(formatGiven(0.123456, 4), "0.1235");
  assert.equal(formatGivenProse(-0.5, 4), "\u22120.5");
  assert.equal(formatGivenProse(-0.123456, 4), "\u22120.1235");
  assert.equal(formatNumber(NaN, 4), "nan");
});
