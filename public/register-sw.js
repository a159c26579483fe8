// Registers the service worker on every page (a file, not an inline script, so the CSP stays strict).
if ("serviceWorker" in navigator) {
  window.addEventListener("load", function () {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function (err) {
      console.warn("service worker registration failed", err);
    });
  });
}
