// A visible character counter under every text box with a limit (notes: 2,000 characters).
// Progressive enhancement: without it the limit is still in the help text and enforced by the
// browser and the server. Screen readers hear the count only near the limit, not on every key.
(function () {
  "use strict";
  var NEAR = 100;

  function attach(box) {
    if (box.hasAttribute("data-counter-ready")) return;
    var max = parseInt(box.getAttribute("maxlength"), 10);
    if (!max) return;
    box.setAttribute("data-counter-ready", "");
    var counter = document.createElement("p");
    counter.className = "char-counter";
    counter.id = (box.id || "box") + "_counter";
    var describedBy = (box.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    describedBy.push(counter.id);
    box.setAttribute("aria-describedby", describedBy.join(" "));
    box.insertAdjacentElement("afterend", counter);
    var format = new Intl.NumberFormat(document.documentElement.lang || undefined);
    function update() {
      var used = box.value.length;
      counter.textContent = format.format(used) + " / " + format.format(max);
      var near = max - used <= NEAR;
      counter.classList.toggle("is-near", near);
      if (near) counter.setAttribute("aria-live", "polite");
      else counter.removeAttribute("aria-live");
    }
    box.addEventListener("input", update);
    update();
  }

  function scan(root) {
    var boxes = (root || document).querySelectorAll("textarea[maxlength]");
    for (var i = 0; i < boxes.length; i++) attach(boxes[i]);
  }

  document.addEventListener("DOMContentLoaded", function () { scan(document); });
  // htmx swaps bring new text boxes in (the quick log on today's page).
  document.addEventListener("htmx:load", function (event) { scan(event.detail.elt); });
})();
