// ITB Care's only script of its own: small progressive enhancements on top of htmx.
// Every page works without it; nothing here is needed to submit a form.
(function () {
  "use strict";

  // The form whose button had focus when it sent an htmx request (its action URL).
  var focusedFormAction = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    focusedFormAction = form && form.contains(document.activeElement) ? form.getAttribute("action") : null;
  });

  // After htmx swaps new content in, move focus to its heading (or a marked element) and
  // announce it, so keyboard and screen-reader users land where the content changed. When the
  // swap replaced the very button that was pressed (ticking an exercise), focus goes to the same
  // button in the new content instead of falling back to the top of the page.
  document.addEventListener("htmx:afterSettle", function (event) {
    // With an outerHTML swap the old target is gone from the page: look in the live document.
    var target = event.detail.target;
    var root = target && target.isConnected ? target : document;
    var titled = root.closest ? root.closest("[data-page-title]") : null;
    titled = titled || root.querySelector("[data-page-title]");
    if (titled) document.title = titled.getAttribute("data-page-title");
    var focusable = root.querySelector("[data-focus-after-swap]");
    if (focusable) {
      if (!focusable.hasAttribute("tabindex")) focusable.setAttribute("tabindex", "-1");
      focusable.focus();
    } else if (focusedFormAction) {
      var forms = root.querySelectorAll("form[action]");
      for (var i = 0; i < forms.length; i++) {
        if (forms[i].getAttribute("action") === focusedFormAction) {
          var button = forms[i].querySelector("button");
          if (button) button.focus();
          break;
        }
      }
    }
    focusedFormAction = null;
    var message = root.querySelector("[data-announce]");
    var live = document.getElementById("live-region");
    if (live && message) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = message.getAttribute("data-announce"); }, 50);
    }
  });

  // Print buttons (a plain link to the printable page works without JavaScript).
  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });

  // Print buttons are hidden until this script runs (without it, use the browser's own print).
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-print][hidden]").forEach(function (el) { el.hidden = false; });
  });

  // Sign-up: preselect the browser's own time zone. A zone outside the grouped list (an alias
  // such as "Asia/Calcutta") is added at the top: the server accepts every real zone name.
  document.addEventListener("DOMContentLoaded", function () {
    var select = document.querySelector("select[data-guess-time-zone]");
    if (!select || !window.Intl) return;
    try {
      var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (!zone || !/^[A-Za-z0-9_+\-\/]+$/.test(zone)) return;
      if (!select.querySelector('option[value="' + zone + '"]')) {
        select.insertBefore(new Option(zone.replace(/_/g, " "), zone), select.firstChild);
      }
      select.value = zone;
    } catch (e) { /* keep the server's default */ }
  });
})();
