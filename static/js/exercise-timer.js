// The exercise page's hold timer (a get-ready countdown, then the hold) and rep counter.
// An enhancement only: the dosage text on the page says the same without JavaScript, which is
// why the widget is `hidden` until this script shows it. Words come from data-text-* attributes,
// translated by the server.
(function () {
  "use strict";

  function holdTimer(box) {
    var count = parseInt(box.getAttribute("data-count"), 10);
    var ready = parseInt(box.getAttribute("data-ready"), 10) || 0;
    var phase = box.querySelector("[data-timer-phase]");
    var seconds = box.querySelector("[data-timer-seconds]");
    var status = box.querySelector("[data-timer-status]");
    var start = box.querySelector("[data-timer-start]");
    var stop = box.querySelector("[data-timer-stop]");
    var timer = null;
    var left = 0;
    var holding = false;

    function say(text) {
      phase.textContent = text;
      status.textContent = text;
    }

    function halt() {
      if (timer !== null) window.clearInterval(timer);
      timer = null;
      box.removeAttribute("data-running");
    }

    function beginHold() {
      holding = true;
      left = count;
      box.setAttribute("data-running", "hold");
      say(box.getAttribute("data-text-hold"));
      seconds.textContent = String(left);
    }

    function tick() {
      left -= 1;
      if (left > 0) {
        seconds.textContent = String(left);
        return;
      }
      if (!holding) {
        beginHold();
        return;
      }
      seconds.textContent = "0";
      halt();
      say(box.getAttribute("data-text-done"));
    }

    start.addEventListener("click", function () {
      halt();
      holding = false;
      if (ready > 0) {
        left = ready;
        box.setAttribute("data-running", "ready");
        say(box.getAttribute("data-text-ready"));
        seconds.textContent = String(left);
      } else {
        beginHold();
      }
      timer = window.setInterval(tick, 1000);
    });

    stop.addEventListener("click", function () {
      if (timer === null) return;
      halt();
      say(box.getAttribute("data-text-stopped"));
      seconds.textContent = String(count);
    });
  }

  function repCounter(box) {
    var count = parseInt(box.getAttribute("data-count"), 10);
    var shown = box.querySelector("[data-rep-count]");
    var status = box.querySelector("[data-timer-status]");
    var reps = 0;

    function show() {
      shown.textContent = String(reps);
      status.textContent = reps >= count ? " " + box.getAttribute("data-text-reps-done") : "";
      box.setAttribute("data-reps", String(reps));
    }

    box.querySelector("[data-rep-add]").addEventListener("click", function () {
      reps += 1;
      show();
    });
    box.querySelector("[data-rep-reset]").addEventListener("click", function () {
      reps = 0;
      show();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-exercise-timer]").forEach(function (box) {
      if (box.getAttribute("data-exercise-timer") === "hold") holdTimer(box);
      else repCounter(box);
      box.hidden = false;
    });
  });
})();
