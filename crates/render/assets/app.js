// corroborate web UI: keyboard shortcut and live updates. No dependencies.
"use strict";
(function () {
  // "/" focuses the search box.
  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (e.key === "/" && !(t instanceof HTMLInputElement) && !(t instanceof HTMLTextAreaElement)) {
      var q = document.getElementById("q");
      if (q) { e.preventDefault(); q.focus(); q.select(); }
    }
  });
  // Live updates: when the store changes, say so in the reserved status line
  // (fixed height, so nothing on the page moves).
  var live = document.getElementById("live");
  if (!live || !window.fetch) { return; }
  var seen = null;
  function poll() {
    fetch("/health", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (h) {
      var now = h.articles + "/" + h.stories;
      if (seen !== null && now !== seen) {
        live.innerHTML = "";
        var a = document.createElement("a");
        a.href = window.location.href;
        a.textContent = "New articles were analysed: reload to see them.";
        live.appendChild(a);
      }
      seen = now;
    }).catch(function () { /* server gone: keep quiet */ });
  }
  poll();
  window.setInterval(poll, 5000);
})();
