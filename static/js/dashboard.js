// BMN Learn officers' dashboard: refresh the live part every few seconds while the tab is
// visible. Sends the last ETag, so an unchanged dashboard costs a 304. Without this file the
// page has a refresh link.
(function () {
  "use strict";
  var live = document.getElementById("live");
  var stamp = document.getElementById("updated");
  if (!live || !window.fetch) return;
  var url = live.getAttribute("data-url");
  var etag = live.getAttribute("data-etag") || "";
  var every = Math.max(Number(live.getAttribute("data-interval")) || 10, 1) * 1000;
  var timer = null;
  var busy = false;
  var last = Date.now();
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // Thai time always: the server's X-Updated, else this clock shown in Asia/Bangkok (UTC+7,
  // no daylight saving), never the phone's own zone.
  function mark(serverTime) {
    if (!stamp) return;
    if (serverTime) { stamp.textContent = serverTime; return; }
    var d = new Date(Date.now() + 7 * 3600 * 1000);
    stamp.textContent = pad(d.getUTCHours()) + ":" + pad(d.getUTCMinutes()) + ":" + pad(d.getUTCSeconds());
  }
  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    last = Date.now();
    var updated = "";
    fetch(url, { headers: { "If-None-Match": etag }, credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.redirected) { location.reload(); return null; } // logged out: show the login page
        updated = r.headers.get("X-Updated") || "";
        if (r.status === 304) return null;
        if (!r.ok) throw new Error(r.status);
        etag = r.headers.get("ETag") || etag;
        return r.text();
      })
      .then(function (html) {
        if (html !== null) live.innerHTML = html;
        mark(updated);
        live.removeAttribute("data-stale");
      })
      .catch(function () { live.setAttribute("data-stale", ""); })
      .then(function () { busy = false; });
  }
  function start() {
    clearInterval(timer);
    timer = setInterval(poll, every);
  }
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) { clearInterval(timer); timer = null; return; }
    if (Date.now() - last >= every) poll();
    start();
  });
  start();
})();
