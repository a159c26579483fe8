// Scans a barcode or QR code into a field with the camera where the browser has BarcodeDetector
// (typing works everywhere). Buttons `data-scan="<input id>"` are shown (via the `can-scan` class on
// <html>) only when scanning can work; clicks are delegated, so pages rendered later work too.
(function () {
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  document.documentElement.classList.add("can-scan");
  document.addEventListener("click", async function (ev) {
    var button = ev.target.closest && ev.target.closest("[data-scan]");
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-scan"));
    var video = document.getElementById("scan-video");
    if (!input || !video) return;
    try {
      var detector = new window.BarcodeDetector({ formats: ["qr_code", "code_128", "code_39", "data_matrix"] });
      var stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } });
      video.srcObject = stream;
      video.classList.remove("hidden");
      await video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.classList.add("hidden"); };
      var tick = async function () {
        var codes = await detector.detect(video).catch(function () { return []; });
        if (codes.length) {
          stop();
          input.value = codes[0].rawValue;
          input.form.requestSubmit();
        } else {
          requestAnimationFrame(tick);
        }
      };
      tick();
    } catch (e) {
      input.focus();
    }
  });
})();
