// ITB Care offline: the service worker's registration, the offline queue of writes, the marks.
// Every page works without it; with it, a log or a tick saved offline is kept on this phone
// (IndexedDB) and sent when the connection returns (rehab/replay.py answers it).
//
// - Queue: the quick log, the log page's form and the exercise ticks, submitted while offline,
//   are stored with a key made here (sent as `write_key`, so the server applies each at most
//   once) and the moment they were saved. They are filed under the signed-in person's key on
//   this device (<meta name="offline-account">): another person signed in here never sees or
//   sends them. They are sent oldest first on page load, on the `online` event and on the
//   worker's Background Sync. A refused CSRF token is fetched afresh and the entry sent again;
//   a signed-out answer leaves the queue as it is, for after sign-in. What the server could not
//   apply (a conflict with another device, answers to check) comes back as a notice with its
//   values, kept until the person acts on it.
// - A page answered from the device's copy is marked "You're offline — showing what you saw at
//   HH:MM" (the worker sets data-offline-copy on <html>).
// - Today's page offers "Install" where the browser does (never again once dismissed).
(function () {
  "use strict";

  var meta = document.querySelector('meta[name="offline-account"]');
  var account = meta ? meta.getAttribute("content") : "";
  var zone = meta ? meta.getAttribute("data-time-zone") : undefined;
  var lang = document.documentElement.lang || undefined;
  var isCopy = document.documentElement.hasAttribute("data-offline-copy");
  var QUEUED = "form.log-form, form.toggle-form, form.offline-apply";
  var DB_NAME = "itbcare-offline";

  function words(name) {
    var box = document.getElementById("offline-notices");
    return box ? box.getAttribute("data-" + name) || "" : "";
  }

  function clock(ms) {
    try {
      return new Intl.DateTimeFormat(lang, { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: zone || undefined }).format(new Date(ms));
    } catch (e) {
      return new Date(ms).toTimeString().slice(0, 5);
    }
  }

  function announce(text) {
    var live = document.getElementById("live-region");
    if (!live) return;
    live.textContent = "";
    window.setTimeout(function () { live.textContent = text; }, 50);
  }

  // --- The service worker ---------------------------------------------------------------------

  // A message to the worker controlling this page (none yet on a first visit: nothing to tell).
  function worker(message) {
    var controller = "serviceWorker" in navigator ? navigator.serviceWorker.controller : null;
    if (controller) controller.postMessage(message);
    return Promise.resolve();
  }

  if ("serviceWorker" in navigator && window.isSecureContext) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* the site works without it */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "flush") flush();
    });
    // Who is signed in (nobody: ""), said only by a page that came from the network: the worker
    // drops every kept page when that changes.
    if (!isCopy && !document.getElementById("offline-page") && navigator.onLine) {
      worker({ type: "account", account: account });
    }
  }

  // --- IndexedDB --------------------------------------------------------------------------------

  var dbPromise = null;
  function db() {
    if (!window.indexedDB) return Promise.reject(new Error("no IndexedDB"));
    if (!dbPromise) {
      dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          var base = request.result;
          base.createObjectStore("queue", { keyPath: "key" }).createIndex("account", "account");
          base.createObjectStore("notices", { keyPath: "key" }).createIndex("account", "account");
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return dbPromise;
  }

  function run(stores, mode, work) {
    return db().then(function (base) {
      return new Promise(function (resolve, reject) {
        var tx = base.transaction(stores, mode);
        var result;
        tx.oncomplete = function () { resolve(result); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
        result = work(tx);
      });
    });
  }

  function mine(store) {
    if (!account) return Promise.resolve([]);
    return db().then(function (base) {
      return new Promise(function (resolve, reject) {
        var request = base.transaction(store).objectStore(store).index("account").getAll(account);
        request.onsuccess = function () {
          resolve(request.result.sort(function (a, b) { return a.savedAt - b.savedAt; }));
        };
        request.onerror = function () { reject(request.error); };
      });
    });
  }

  // --- Queueing a write made offline --------------------------------------------------------------

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64;
    b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function describe(form, fields) {
    var day = (form.getAttribute("action").match(/\d{4}-\d{2}-\d{2}/) || [""])[0];
    var button = form.querySelector("button");
    if (form.matches("form.toggle-form") && button) return button.textContent.replace(/\s+/g, " ").trim() + " · " + day;
    var pain = fields.filter(function (f) { return f[0] === "pain_worst"; })[0];
    return day + (pain ? " · " + pain[1] + "/10" : "");
  }

  function queue(form, submitter) {
    var data;
    try { data = new FormData(form, submitter || undefined); } catch (e) { data = new FormData(form); }
    var fields = [];
    data.forEach(function (value, name) {
      if (typeof value === "string" && name !== "csrfmiddlewaretoken") fields.push([name, value]);
    });
    var item = {
      key: newKey(),
      account: account,
      url: new URL(form.getAttribute("action"), location.href).pathname,
      fields: fields,
      savedAt: Date.now(),
      label: describe(form, fields),
    };
    var notice = form.closest("[data-offline-notice]");
    return run(["queue", "notices"], "readwrite", function (tx) {
      tx.objectStore("queue").put(item);
      if (notice) tx.objectStore("notices").delete(notice.getAttribute("data-offline-notice"));
    }).then(function () {
      var saved = document.createElement("p");
      saved.className = "notice offline-saved";
      saved.setAttribute("role", "status");
      saved.textContent = words("queued");
      if (!notice) form.insertAdjacentElement("afterend", saved);
      announce(words("queued"));
      if ("serviceWorker" in navigator) {
        navigator.serviceWorker.ready.then(function (r) { if (r.sync) r.sync.register("itbcare-queue"); }).catch(function () {});
      }
      return render();
    });
  }

  // Submitting a queued kind of form while offline: kept here instead (the capture phase runs
  // before htmx's own listener on the form, which never sees the event).
  window.addEventListener("submit", function (event) {
    var form = event.target;
    if (!account || !window.indexedDB || !form.matches || !form.matches(QUEUED) || navigator.onLine) return;
    event.preventDefault();
    event.stopPropagation();
    queue(form, event.submitter);
  }, true);

  // Online as far as the browser knows, but the request never reached the server.
  document.addEventListener("htmx:sendError", function (event) {
    var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
    if (account && form && form.matches(QUEUED)) queue(form);
  });

  // --- Sending the queue ---------------------------------------------------------------------------

  function pageToken() {
    var input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return input ? input.value : "";
  }

  function freshToken() {
    return fetch("/offline/token", { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (data) { return data.token; });
  }

  // One sending of a queued write: {status, json} (json null if the answer was not the queue's).
  function post(item, token) {
    var body = new FormData();
    item.fields.forEach(function (f) { body.append(f[0], f[1]); });
    body.append("csrfmiddlewaretoken", token);
    body.append("write_key", item.key);
    body.append("saved_at", String(item.savedAt));
    body.append("sent_at", String(Date.now()));
    body.append("account", item.account);
    return fetch(item.url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-Offline-Replay": "1", "X-CSRFToken": token },
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") === -1) return { status: response.status, json: null };
      return response.json().then(function (json) { return { status: response.status, json: json }; });
    });
  }

  function sendOne(item) {
    return post(item, pageToken() || "none").then(function (answer) {
      if (answer.status !== 403 || answer.json) return answer; // a JSON 403: saved for another person
      return freshToken().then(function (token) { return post(item, token); }); // a stale token: again
    }).then(function (answer) {
      var json = answer.json;
      if (json && json.outcome === "applied") {
        return run(["queue"], "readwrite", function (tx) { tx.objectStore("queue").delete(item.key); }).then(function () {
          announce(words("sent"));
          return true;
        });
      }
      if ((json && json.html) || answer.status === 404) {
        var html = json && json.html ? json.html : "";
        var notice = { key: item.key, account: account, savedAt: item.savedAt, html: html, label: item.label };
        return run(["queue", "notices"], "readwrite", function (tx) {
          tx.objectStore("queue").delete(item.key);
          tx.objectStore("notices").put(notice);
        }).then(function () { return true; });
      }
      return false; // signed out, another person signed in, a server error, a stale token: kept for later
    }, function () { return false; }); // no connection after all
  }

  var flushing = null;
  function flush() {
    if (flushing) return flushing;
    if (!account || !navigator.onLine || !window.indexedDB) return Promise.resolve();
    var work = function () {
      return mine("queue").then(function (items) {
        var next = function (i) {
          if (i >= items.length) return null;
          return sendOne(items[i]).then(function (ok) { return ok ? next(i + 1) : null; });
        };
        return next(0);
      });
    };
    var locked = navigator.locks ? navigator.locks.request("itbcare-queue", work) : work();
    flushing = Promise.resolve(locked).catch(function () {}).then(render).then(function () { flushing = null; });
    return flushing;
  }

  // --- What this phone holds, shown on every page ----------------------------------------------------

  function render() {
    var box = document.getElementById("offline-notices");
    if (!box || !account || !window.indexedDB) return Promise.resolve();
    return Promise.all([mine("queue"), mine("notices")]).then(function (found) {
      var items = found[0], notices = found[1];
      box.textContent = "";
      notices.forEach(function (notice) {
        var holder = document.createElement("div");
        if (notice.html) {
          holder.innerHTML = notice.html; // the server's own notice (rehab/replay.py)
        } else {
          var p = document.createElement("p");
          p.className = "notice";
          p.textContent = words("lost") + " " + notice.label;
          var dismiss = document.createElement("button");
          dismiss.type = "button";
          dismiss.className = "button button-secondary";
          dismiss.setAttribute("data-offline-dismiss", notice.key);
          dismiss.textContent = words("dismiss");
          holder.appendChild(p);
          holder.appendChild(dismiss);
        }
        holder.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
          input.value = pageToken() || input.value;
        });
        box.appendChild(holder);
      });
      if (items.length) {
        var section = document.createElement("section");
        section.className = "card notice offline-waiting";
        section.setAttribute("aria-label", words("waiting"));
        var p = document.createElement("p");
        p.textContent = words("waiting");
        var list = document.createElement("ul");
        items.forEach(function (item) {
          var li = document.createElement("li");
          li.textContent = item.label + " (" + clock(item.savedAt) + ")";
          list.appendChild(li);
        });
        section.appendChild(p);
        section.appendChild(list);
        box.appendChild(section);
      }
    }).catch(function () {});
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-offline-dismiss]");
    if (!button) return;
    var key = button.getAttribute("data-offline-dismiss");
    run(["notices"], "readwrite", function (tx) { tx.objectStore("notices").delete(key); }).then(render);
  });

  // Applying an offline entry from its notice (online): the notice goes with it.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form.offline-apply") || event.defaultPrevented) return;
    var notice = form.closest("[data-offline-notice]");
    if (!notice) return;
    event.preventDefault();
    var key = notice.getAttribute("data-offline-notice");
    run(["notices"], "readwrite", function (tx) { tx.objectStore("notices").delete(key); })
      .catch(function () {})
      .then(function () { HTMLFormElement.prototype.submit.call(form); });
  });

  // Signing out deletes what this phone holds (Clear-Site-Data): first send what waits, and ask
  // before deleting what still can't be sent.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-sign-out]") || form.hasAttribute("data-confirmed")) return;
    event.preventDefault();
    var go = function () {
      form.setAttribute("data-confirmed", "");
      worker({ type: "signout" }).catch(function () {}).then(function () { HTMLFormElement.prototype.submit.call(form); });
    };
    Promise.resolve(navigator.onLine ? flush() : null)
      .then(function () { return mine("queue"); })
      .then(function (items) {
        if (items.length && !window.confirm(form.getAttribute("data-sign-out"))) return;
        go();
      }, go);
  });

  // --- The offline mark on a kept copy --------------------------------------------------------------

  function markCopy() {
    if (!isCopy) return;
    var kept = parseInt(document.documentElement.getAttribute("data-offline-copy"), 10);
    var mark = document.getElementById("offline-mark");
    var time = document.getElementById("offline-time");
    if (!mark || !time || !kept) return;
    time.textContent = clock(kept);
    mark.hidden = false;
  }

  // --- Install (where the browser offers it; never again once dismissed) ----------------------------

  var installEvent = null;
  window.addEventListener("beforeinstallprompt", function (event) {
    var hint = document.getElementById("install-hint");
    var dismissed = false;
    try { dismissed = localStorage.getItem("itbcare-install-dismissed") === "1"; } catch (e) { /* private mode */ }
    if (!hint || dismissed) return;
    event.preventDefault();
    installEvent = event;
    hint.hidden = false;
  });
  document.addEventListener("click", function (event) {
    var hint = document.getElementById("install-hint");
    if (!hint || !event.target.closest) return;
    if (event.target.closest("[data-install]") && installEvent) {
      installEvent.prompt();
      installEvent = null;
      hint.hidden = true;
    } else if (event.target.closest("[data-install-dismiss]")) {
      try { localStorage.setItem("itbcare-install-dismissed", "1"); } catch (e) { /* private mode */ }
      hint.hidden = true;
    }
  });

  // --- When to send -----------------------------------------------------------------------------------

  window.addEventListener("online", flush);
  document.addEventListener("DOMContentLoaded", function () {
    markCopy();
    render().then(flush);
  });

  // For tests and support: what waits, and sending one queued write (without removing it).
  window.itbOffline = {
    pending: function () { return mine("queue"); },
    notices: function () { return mine("notices"); },
    flush: flush,
    send: function (item) { return post(item, pageToken()); },
  };
})();
