// BMN Learn service worker: pages try the network first and fall back to the saved copy
// after 3 s (weak signal is not "online"); saved media and fingerprinted files come from the
// cache. Saving and refreshing a scope also runs here (messages from offline.js).
"use strict";
var CACHE = "bmn-offline";
var META = "/offline/meta";
var TIMEOUT = 3000;
var CHECK_EVERY = 60000;
var lastCheck = 0;
var busy = null;
var TEXT = {
  th: ["หน้านี้เป็นสำเนาที่บันทึกไว้เมื่อ ", "th-TH", "ยังไม่ได้บันทึกหน้านี้ไว้ใช้ตอนไม่มีสัญญาณ", "กลับหน้าแรก"],
  en: ["This is the saved copy from ", "en-GB", "This page was not saved for use without signal.", "Home"]
};

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

function meta() {
  return caches.match(META, { cacheName: CACHE }).then(function (r) { return r ? r.json() : null; });
}

// A copy of a response marked with the time it was saved (shown on offline pages).
function stamp(res, when) {
  return res.blob().then(function (body) {
    var h = new Headers(res.headers);
    h.set("X-Saved-At", String(when || Date.now()));
    return new Response(body, { status: res.status, statusText: res.statusText, headers: h });
  });
}

function lookup(req) {
  var url = new URL(req.url);
  return caches.match(req, { cacheName: CACHE, ignoreVary: true,
    ignoreSearch: url.pathname === "/offline/quiz" });
}

// Fetch each URL and keep it; `report(done, total)` after each one.
function store(cache, urls, when, report) {
  var done = 0;
  var queue = urls.slice();
  function next() {
    var url = queue.shift();
    if (!url) return Promise.resolve();
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (res) {
      if (!res.ok || res.redirected) throw new Error(url + ": " + res.status);
      return stamp(res, when).then(function (s) { return cache.put(url, s); });
    }).then(function () {
      done += 1;
      if (report) report(done, urls.length);
      return next();
    });
  }
  return Promise.all([next(), next(), next()]);
}

// Save what the list at `list` names (clips too when asked), then record it in META.
function save(list, clips, report) {
  var when = Date.now();
  return fetch(list, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
    if (!r.ok) throw new Error(list + ": " + r.status);
    return r.json();
  }).then(function (data) {
    return caches.open(CACHE).then(function (cache) {
      var pages = data.pages.map(function (p) { return p.url; });
      var files = data.files.concat(clips ? data.clips : []).map(function (f) { return f.url; });
      return Promise.all(files.map(function (u) { return cache.match(u); })).then(function (hit) {
        var missing = files.filter(function (u, i) { return !hit[i] || u.indexOf("/media/") !== 0; });
        return store(cache, pages.concat(missing), when, report);
      }).then(function () {
        var m = { version: data.version, savedAt: when, list: list, clips: !!clips,
          scope: data.scope, category: data.category, quizzes: data.quizzes,
          aliases: data.aliases, pages: pages, bytes: data.bytes + (clips ? data.clip_bytes : 0) };
        return cache.put(META, new Response(JSON.stringify(m), {
          headers: { "Content-Type": "application/json" } })).then(function () { return m; });
      });
    });
  });
}

// When online: if a trainer published since the save, save the same scope again.
function refresh() {
  if (busy || Date.now() - lastCheck < CHECK_EVERY) return busy || Promise.resolve();
  lastCheck = Date.now();
  busy = meta().then(function (m) {
    if (!m) return;
    return fetch("/offline/version", { cache: "no-store" }).then(function (r) { return r.json(); })
      .then(function (v) { if (v.version !== m.version) return save(m.list, m.clips); });
  }).catch(function () {}).then(function () { busy = null; });
  return busy;
}

self.addEventListener("message", function (e) {
  var d = e.data || {};
  var src = e.source;
  function tell(msg) { if (src) src.postMessage(msg); }
  if (d.type === "save") {
    e.waitUntil(save(d.list, d.clips, function (done, total) {
      tell({ type: "progress", done: done, total: total });
    }).then(function (m) { tell({ type: "saved", meta: m }); },
      function (err) { tell({ type: "failed", error: String(err) }); }));
  } else if (d.type === "refresh") {
    lastCheck = 0;
    e.waitUntil(refresh().then(function () { tell({ type: "refreshed" }); }));
  }
});

// The saved page with a notice (in the page's language) saying when it was saved.
function annotate(res) {
  var when = Number(res.headers.get("X-Saved-At")) || Date.now();
  return res.text().then(function (html) {
    var t = TEXT[/<html[^>]*lang="en/.test(html) ? "en" : "th"];
    var date = new Date(when).toLocaleString(t[1], { dateStyle: "medium", timeStyle: "short" });
    var note = '<p class="flash offline-copy" role="status" data-saved-at="' + when + '">' +
      t[0] + date + "</p>";
    var h = new Headers(res.headers);
    h.set("X-Offline-Copy", "1");
    return new Response(html.replace(/<main[^>]*>/, function (m) { return m + note; }),
      { status: 200, headers: h });
  });
}

function notSaved() {
  var t = TEXT.th;
  return new Response('<!doctype html><html lang="th"><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>BMN Learn</title>' +
    "<main><p>" + t[2] + '</p><p><a href="/">' + t[3] + "</a></p></main></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

function page(e) {
  var req = e.request;
  var net = fetch(req);
  var timer;
  var late = new Promise(function (resolve) { timer = setTimeout(resolve, TIMEOUT); });
  var fresh = net.then(function (res) {
    clearTimeout(timer);
    if (!res.ok && res.type !== "opaqueredirect") throw new Error(res.status);
    if (res.ok && res.type === "basic") {
      var copy = res.clone();
      e.waitUntil(lookup(req).then(function (old) {
        if (old && !res.redirected) {
          return stamp(copy).then(function (s) {
            return caches.open(CACHE).then(function (c) { return c.put(req, s); });
          });
        }
      }).then(refresh));
    }
    return res;
  });
  function saved() {
    return lookup(req).then(function (hit) { return hit ? annotate(hit) : null; });
  }
  return Promise.race([fresh, late.then(saved)]).then(function (res) {
    // Past the timeout with nothing saved: keep waiting for the network.
    return res || fresh;
  }).catch(function () {
    return saved().then(function (hit) { return hit || net.catch(notSaved); });
  });
}

// A saved file (or the saved variant standing in for it); a range of it for video.
function file(req) {
  var url = new URL(req.url);
  var opts = { cacheName: CACHE };
  return caches.match(url.pathname + url.search, opts).then(function (hit) {
    if (hit || url.pathname.indexOf("/media/") !== 0) return hit;
    return meta().then(function (m) {
      var alias = m && m.aliases && m.aliases[url.pathname];
      return alias ? caches.match(alias, opts) : null;
    });
  }).then(function (hit) {
    if (!hit) {
      return fetch(req).then(function (res) {
        if (res.ok && res.status === 200 && url.pathname.indexOf("/static/") === 0 && url.search) {
          var copy = res.clone();
          caches.has(CACHE).then(function (has) {
            if (has) return caches.open(CACHE).then(function (c) { c.put(url.pathname + url.search, copy); });
          });
        }
        return res;
      });
    }
    var range = /bytes=(\d*)-(\d*)/.exec(req.headers.get("Range") || "");
    if (!range) return hit;
    return hit.blob().then(function (blob) {
      var start = range[1] ? Number(range[1]) : Math.max(0, blob.size - Number(range[2]));
      var end = range[1] && range[2] ? Math.min(Number(range[2]), blob.size - 1) : blob.size - 1;
      return new Response(blob.slice(start, end + 1), { status: 206, headers: {
        "Content-Type": hit.headers.get("Content-Type") || "",
        "Content-Range": "bytes " + start + "-" + end + "/" + blob.size,
        "Content-Length": String(end - start + 1) } });
    });
  });
}

self.addEventListener("fetch", function (e) {
  var req = e.request;
  var url = new URL(req.url);
  if (req.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname === "/sw.js" || url.pathname.indexOf("/offline/list") === 0 ||
      url.pathname === "/offline/version") return;
  if (req.mode === "navigate") return e.respondWith(page(e));
  if (url.pathname.indexOf("/media/") === 0 || url.pathname.indexOf("/static/") === 0) {
    return e.respondWith(file(req));
  }
  e.respondWith(fetch(req).catch(function () {
    return lookup(req).then(function (hit) { return hit || Response.error(); });
  }));
});
