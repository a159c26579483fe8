// Millwright service worker: caches the app shell (wasm, js, css, icons, offline page) under a
// versioned cache, serves static assets and pages network-first, pages with the offline page as
// the fallback when the network is gone. API calls are never cached.
const VERSION = "mw-shell-v2";
const SHELL = [
  "/offline",
  "/pkg/millwright.js",
  "/pkg/millwright.wasm",
  "/pkg/millwright.css",
  "/manifest.webmanifest",
  "/register-sw.js",
  "/icons/icon-192.png",
  "/icons/icon-512.png",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(VERSION).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/sfn/")) return;

  if (req.mode === "navigate") {
    event.respondWith(
      fetch(req).catch(() => caches.open(VERSION).then((c) => c.match("/offline")))
    );
    return;
  }
  if (url.pathname.startsWith("/pkg/") || url.pathname.startsWith("/icons/")) {
    // the shell files: network first (revalidated, a 304 when unchanged), the cache when offline.
    // The bundle is split into a main module and chunks loaded as pages are visited, under fixed
    // names: serving a cached main module of one build with a fresh chunk of another would break.
    event.respondWith(
      caches.open(VERSION).then((cache) =>
        fetch(req)
          .then((res) => {
            if (res.ok) cache.put(req, res.clone());
            return res;
          })
          .catch(() => cache.match(req))
      )
    );
  }
});
