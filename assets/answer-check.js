/* "Check my answer" boxes of the student edition (written by tools/answer_checks.py).

   Each box holds, per answer, its decimals, a salt and the hex SHA-256 of
   salt + ":" + the answer in canonical form; never the answer. The reader's number is
   rounded to each answer's decimals (half away from zero, on its decimal digits, so no
   binary floating point is involved), written in the same canonical form (fixed point,
   no plus sign, no exponent, "0" for "-0"), hashed with crypto.subtle and compared.
   crypto.subtle exists only in a secure context (https://, http://localhost or
   127.0.0.1, file:// in Chromium); elsewhere the box says so. No dependencies; ES2017. */
(function () {
  "use strict";

  var NUMBER = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d{1,4}))?$/i;

  /* The reader's text as {negative, digits, point}: the value is 0.<digits> shifted left
     by `point` places, i.e. digits with a decimal point after `point` of them. Accepts
     "0.4700", "-0.0079", ".47", "4.7e-1", "0,47", a Unicode minus and spaces; null
     for anything else (two separators, letters, an empty string). */
  function parseNumber(text) {
    var cleaned = String(text).replace(/[\s\u00a0\u2009\u202f]/g, "").replace(/\u2212/g, "-");
    if (cleaned.indexOf(",") >= 0) {
      // A decimal comma, as many locales write it; with a point as well it is ambiguous.
      if (cleaned.indexOf(".") >= 0 || cleaned.indexOf(",") !== cleaned.lastIndexOf(",")) {
        return null;
      }
      cleaned = cleaned.replace(",", ".");
    }
    var match = NUMBER.exec(cleaned);
    if (!match) return null;
    var whole = match[2], fraction = match[3] || "";
    if (whole.length + fraction.length === 0) return null;
    return {
      negative: match[1] === "-",
      digits: whole + fraction,
      point: whole.length + Number(match[4] || 0)
    };
  }

  /* Adds one to a string of decimal digits ("0999" -> "1000"). */
  function increment(digits) {
    var out = digits.split(""), i = out.length - 1;
    while (i >= 0 && out[i] === "9") { out[i] = "0"; i -= 1; }
    if (i < 0) return "1" + out.join("");
    out[i] = String(Number(out[i]) + 1);
    return out.join("");
  }

  /* The parsed number rounded half away from zero to `decimals` places, canonical. */
  function canonical(number, decimals) {
    var digits = number.digits, kept = number.point + decimals;
    if (kept < 0) { digits = new Array(1 - kept).join("0") + digits; kept = 0; }
    if (kept > digits.length) digits += new Array(kept - digits.length + 1).join("0");
    var scaled = digits.slice(0, kept) || "0";
    if (digits.charAt(kept) >= "5") scaled = increment(scaled);
    scaled = scaled.replace(/^0+/, "");
    while (scaled.length < decimals + 1) scaled = "0" + scaled;
    var whole = scaled.slice(0, scaled.length - decimals);
    var text = decimals > 0 ? whole + "." + scaled.slice(scaled.length - decimals) : whole;
    var zero = !/[1-9]/.test(scaled);
    return (number.negative && !zero ? "-" : "") + text;
  }

  function hexDigest(text) {
    var bytes = new TextEncoder().encode(text);
    return window.crypto.subtle.digest("SHA-256", bytes).then(function (buffer) {
      return Array.prototype.map.call(new Uint8Array(buffer), function (byte) {
        return ("0" + byte.toString(16)).slice(-2);
      }).join("");
    });
  }

  function listOf(numbers) {
    if (numbers.length === 1) return String(numbers[0]);
    return numbers.slice(0, -1).join(", ") + " and " + numbers[numbers.length - 1];
  }

  function placesOf(answers) {
    var places = [];
    answers.forEach(function (answer) {
      if (places.indexOf(answer.decimals) < 0) places.push(answer.decimals);
    });
    places.sort(function (a, b) { return a - b; });
    return places.join(" or ") + (places.length === 1 && places[0] === 1 ? " decimal place"
                                                                         : " decimal places");
  }

  function show(result, state, message) {
    result.setAttribute("data-state", state);
    result.textContent = message;
  }

  /* "217,600" and "1,796,010": a whole number with its thousands grouped by commas, as the
     book prints whole numbers. */
  var GROUPED = /^[-\u2212]?[1-9]\d{0,2}(,\d{3})+$/;

  /* The reader's text as a number for an answer with `decimals` places: for a whole-number
     answer a grouped number is read with its commas as thousands separators (read as a
     decimal comma, "217,600" would round to 218 and match no whole answer anyway);
     otherwise as parseNumber reads it. */
  function readNumber(text, decimals) {
    var cleaned = String(text).replace(/[\s\u00a0\u2009\u202f]/g, "");
    if (decimals === 0 && GROUPED.test(cleaned)) return parseNumber(cleaned.replace(/,/g, ""));
    return parseNumber(text);
  }

  function check(box, input, result, answers) {
    var readings = answers.map(function (answer) { return readNumber(input.value, answer.decimals); });
    if (!readings.some(Boolean)) {
      show(result, "invalid", "Please type one number, such as 0.4700, -0.0079 or 4.7e-1.");
      return Promise.resolve();
    }
    if (!(window.crypto && window.crypto.subtle && window.TextEncoder)) {
      show(result, "unavailable", "This browser cannot check answers on this page: open the " +
           "book from https://, from http://localhost or from a file on your computer.");
      return Promise.resolve();
    }
    var asked = input.value;
    return Promise.all(answers.map(function (answer, index) {
      var number = readings[index];
      if (!number) return false;
      return hexDigest(answer.salt + ":" + canonical(number, answer.decimals))
        .then(function (digest) { return digest === answer.digest; });
    })).then(function (matches) {
      if (input.value !== asked) return;  // the reader typed on; a newer check will answer
      var parts = [];
      matches.forEach(function (match, index) { if (match) parts.push(index + 1); });
      if (parts.length) {
        show(result, "right", "Right: that matches the solution's answer" +
             (parts.length > 1 ? "s " : " ") + listOf(parts) + " (of " + answers.length + ").");
      } else {
        show(result, "wrong", "Not right: that matches none of this exercise's " +
             answers.length + (answers.length === 1 ? " answer" : " answers") +
             " (checked to " + placesOf(answers) + ").");
      }
    }, function () {
      show(result, "unavailable", "This browser could not compute the check.");
    });
  }

  function wire(box) {
    var input = box.querySelector(".answer-check-input");
    var button = box.querySelector(".answer-check-button");
    var result = box.querySelector(".answer-check-result");
    var answers;
    try {
      answers = JSON.parse(box.getAttribute("data-answers"));
    } catch (error) {
      answers = null;
    }
    if (!input || !button || !result || !Array.isArray(answers) || !answers.length) return;
    button.addEventListener("click", function () { check(box, input, result, answers); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        check(box, input, result, answers);
      }
    });
    input.addEventListener("input", function () { show(result, "", ""); });
    box.setAttribute("data-ready", "true");
  }

  function wireAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".answer-check"), wire);
  }

  // Exposed for the tests, which compare the rounding with tools/answer_checks.py.
  window.courseAnswerCheck = {
    canonical: function (text, decimals) {
      var number = readNumber(text, decimals);
      return number ? canonical(number, decimals) : null;
    }
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wireAll);
  } else {
    wireAll();
  }
})();
