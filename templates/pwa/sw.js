// ITB Care's service worker, served as /sw.js by itbcare/pwa.py. Hand-written and small.
//
// - The app shell (styles, scripts, icons, the offline page) is kept when the worker installs and
//   answered from the cache first. Its cache is named from the static files' hashed names: a
//   deploy that changes them installs a new worker, which deletes the old cache.
// - Pages: from the network, with a short timeout. A page whose answer carries X-Offline-Copy
//   (today's page, the plan page, the exercise pages) is kept, under the person it names; offline
//   (or when the network is too slow) that same URL is answered from its copy, marked with the
//   time it was kept, and only while the browser is signed in as that person. Any other page
//   offline: the offline page. Nothing else is ever kept: no POST, no export, no report, no
//   shared page, no htmx fragment, no other URL.
// - Signing out (or a page seen signed out, or another person) drops every copy.
"use strict";

const VERSION = "{{ version }}";
const SHELL_CACHE = "itbcare-shell-" + VERSION;
const PAGES_CACHE = "itbcare-pages";
const META_CACHE = "itbcare-meta";
const SHELL = {{ shell|safe }};
const OFFLINE_URL = {{ offline_url|safe }};
const STATIC_URL = {{ static_url|safe }};
const COPY_HEADER = {{ copy_header|safe }};
const ACCOUNT_KEY = "/__itbcare/account";
const TIMEOUT_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE)
      .then((cache) => cache.addAll(SHELL.map((url) => new Request(url, { credentials: "same-origin", cache: "reload" }))))
      .then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(
        names.filter((name) => name.startsWith("itbcare-shell-") && name !== SHELL_CACHE).map((name) => caches.delete(name))
      ))
      .then(() => self.clients.claim())
  );
});

// --- Whose copies these are ----------------------------------------------------------------------

async function currentAccount() {
  const meta = await caches.open(META_CACHE);
  const stored = await meta.match(ACCOUNT_KEY);
  return stored ? stored.text() : "";
}

async function setAccount(account) {
  const previous = await currentAccount();
  if (previous !== account) await caches.delete(PAGES_CACHE); // another person, or nobody: no copies
  const meta = await caches.open(META_CACHE);
  await meta.put(ACCOUNT_KEY, new Response(account));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "account") event.waitUntil(setAccount(String(data.account || "")));
  if (data.type === "signout") event.waitUntil(caches.delete(PAGES_CACHE).then(() => setAccount("")));
});

// Background Sync: ask the open pages to send the offline queue (static/js/offline.js).
self.addEventListener("sync", (event) => {
  if (event.tag !== "itbcare-queue") return;
  event.waitUntil(
    self.clients.matchAll({ type: "window" }).then((list) => list.forEach((client) => client.postMessage({ type: "flush" })))
  );
});

// --- Answers ---------------------------------------------------------------------------------------

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return; // writes go to the network; the page queues them offline
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(STATIC_URL)) {
    event.respondWith(shellFirst(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request, url));
  }
});

async function shellFirst(request) {
  const cached = await caches.match(request, { cacheName: SHELL_CACHE });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === "basic") {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone()); // static files are the same for everybody
  }
  return response;
}

async function page(request, url) {
  const network = fetch(request).then(async (response) => {
    const account = response.headers.get(COPY_HEADER);
    if (account && response.ok && !response.redirected && !url.search && response.url === url.href) {
      await keep(account, url.href, response.clone());
    }
    return response;
  });
  network.catch(() => null); // offline: answered below
  const slow = new Promise((resolve) => setTimeout(resolve, TIMEOUT_MS, "slow"));
  try {
    const first = await Promise.race([network, slow]);
    if (first !== "slow") return first;
    const copy = await copyOf(url);
    return copy || (await network);
  } catch (error) {
    return (await copyOf(url)) || (await caches.match(OFFLINE_URL, { cacheName: SHELL_CACHE })) || Response.error();
  }
}

async function keep(account, href, response) {
  await setAccount(account);
  const headers = new Headers(response.headers);
  headers.set("X-Kept-At", String(Date.now()));
  const body = await response.blob();
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(href, new Response(body, { status: response.status, statusText: response.statusText, headers: headers }));
}

async function copyOf(url) {
  if (url.search) return null;
  const account = await currentAccount();
  if (!account) return null;
  const cache = await caches.open(PAGES_CACHE);
  const copy = await cache.match(url.href);
  if (!copy || copy.headers.get(COPY_HEADER) !== account) return null;
  // Mark it: the page's script shows "You're offline — showing what you saw at HH:MM".
  const keptAt = copy.headers.get("X-Kept-At") || "";
  const html = (await copy.text()).replace("<html ", '<html data-offline-copy="' + keptAt.replace(/\D/g, "") + '" ');
  return new Response(html, { status: 200, headers: copy.headers });
}
