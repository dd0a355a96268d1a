// The live dashboard: asks GET /api/v1/changes every few seconds (not while the tab is hidden)
// and, when the records' version has moved, fetches the sections again and puts them in place.
// Without this script the page is complete; it is only never redrawn.
(function () {
  "use strict";
  var root = document.querySelector("[data-live-dashboard]");
  if (!root || !window.fetch) { return; }
  var version = root.getAttribute("data-version");
  var source = root.getAttribute("data-source");
  var every = Math.max(1000, parseInt(root.getAttribute("data-interval"), 10) || 5000);
  var status = document.getElementById("live-status");
  var busy = false;

  function say(key) {
    if (!status) { return; }
    var text = status.getAttribute("data-" + key);
    if (text) { status.textContent = text + " " + new Date().toLocaleTimeString(); }
    status.setAttribute("data-state", key);
  }

  function get(url, asJSON) {
    return fetch(url, { credentials: "same-origin", redirect: "error", cache: "no-store" }).then(function (r) {
      if (!r.ok) { throw new Error(String(r.status)); }
      return asJSON ? r.json() : r.text();
    });
  }

  function tick() {
    if (busy || document.hidden) { return; }
    busy = true;
    get("/api/v1/changes", true)
      .then(function (answer) {
        if (answer.version === version) { return false; }
        return get(source, false).then(function (html) {
          root.innerHTML = html;
          version = answer.version;
          root.setAttribute("data-version", version);
          return true;
        });
      })
      .then(function (redrawn) { say(redrawn ? "updated" : "checked"); })
      .catch(function () { say("offline"); })
      .then(function () { busy = false; });
  }

  root.setAttribute("data-live", "on");
  say("checked");
  window.setInterval(tick, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { tick(); } });
})();
