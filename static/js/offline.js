// BMN Learn offline: registers the service worker, hints LINE users to open their browser,
// and runs the "save for offline" page (sizes, free space, saving, storage used, clearing).
(function () {
  "use strict";
  var sw = navigator.serviceWorker;
  var CACHE = "bmn-offline";
  var en = document.documentElement.lang === "en";
  if (sw) {
    sw.register("/sw.js").catch(function () {});
    // Back online: the service worker refreshes what was saved if a trainer published.
    window.addEventListener("online", function () { post({ type: "refresh" }); });
  }
  function post(msg) {
    return sw.ready.then(function (reg) { reg.active.postMessage(msg); });
  }

  // Logging out on a shared phone: the saved pages that show the volunteer (home, readiness
  // card), the quiz packs bound to them and their unsent questions go; lessons stay, and
  // quizzes waiting to be sent too (the server checks whose they are).
  document.addEventListener("submit", function (e) {
    var form = e.target;
    if (!/\/logout$/.test(form.getAttribute("action") || "") || form.dataset.cleared) return;
    e.preventDefault();
    var done = [];
    if (window.caches) done.push(caches.open(CACHE).then(function (c) {
      return Promise.all(["/", "/ready"].map(function (u) { return c.delete(u); }));
    }));
    if (window.indexedDB) done.push(new Promise(function (ok) {
      var r = indexedDB.open("bmn-quiz", 1);
      r.onupgradeneeded = function () {
        r.result.createObjectStore("packs", { keyPath: "number" });
        r.result.createObjectStore("outbox", { keyPath: "client_id" });
      };
      r.onsuccess = function () {
        var t = r.result.transaction("packs", "readwrite");
        t.objectStore("packs").clear();
        t.oncomplete = t.onerror = function () { r.result.close(); ok(); };
      };
      r.onerror = ok;
    }));
    // Questions asked with no signal and not sent yet go too (support-outbox.js).
    if (window.indexedDB) done.push(new Promise(function (ok) {
      var r = indexedDB.deleteDatabase("bmn-ask");
      r.onsuccess = r.onerror = r.onblocked = function () { ok(); };
    }));
    Promise.all(done).catch(function () {}).then(function () {
      form.dataset.cleared = "1";
      form.submit();
    });
  });

  // LINE's in-app browser cannot install the app or keep offline data reliably.
  if (/ Line\//.test(navigator.userAgent)) {
    var main = document.querySelector("main");
    var url = new URL(location.href);
    url.searchParams.set("openExternalBrowser", "1");
    var hint = document.createElement("p");
    hint.className = "note line-hint";
    hint.textContent = en ? "Inside LINE this app cannot be installed or saved for use without signal. "
      : "ในแอป LINE ติดตั้งแอปหรือบันทึกไว้ใช้ตอนไม่มีสัญญาณไม่ได้ ";
    var link = document.createElement("a");
    link.href = url.href;
    link.textContent = en ? "Open in the phone's browser" : "เปิดในเบราว์เซอร์ของโทรศัพท์";
    hint.appendChild(link);
    if (main) main.insertBefore(hint, main.firstChild);
  }

  var form = document.getElementById("offline-save");
  if (!form) return;
  var $ = function (id) { return document.getElementById(id); };
  var d = form.dataset;
  var status = $("offline-status");
  var button = form.querySelector("button");
  var list = null;
  function say(el, text) { el.textContent = text; }
  function fill(text, value) { return text.replace("{}", value); }
  function mb(bytes) { return (bytes / 1048576).toFixed(1) + " MB"; }
  if (!sw || !window.caches || !window.isSecureContext) { say(status, d.noSupport); return; }

  function listUrl() {
    var scope = form.elements.scope.value;
    var w = Math.round((Math.min(innerWidth, 736) - 24) * (devicePixelRatio || 1));
    return "/offline/list?scope=" + scope +
      (scope === "category" ? "&n=" + form.elements.n.value : "") + "&w=" + w;
  }
  function sizes() {
    var url = listUrl();
    return fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) {
        // A slower answer for an earlier choice (the page's first list, say) must not
        // overwrite the sizes of the category chosen since.
        if (url !== listUrl()) return;
        list = { url: url, data: data };
        say($("offline-size"), fill(d.size, mb(data.bytes)));
        say($("offline-clip-size"), "(" + mb(data.clip_bytes) + ")");
        $("offline-clips").disabled = !data.clips.length;
      }).catch(function () { say(status, d.failed); });
  }
  form.addEventListener("change", function (e) {
    if (e.target.name === "n") form.elements.scope.value = "category";
    if (e.target.name !== "clips") sizes();
  });

  function show() {
    var est = navigator.storage && navigator.storage.estimate ? navigator.storage.estimate()
      : Promise.resolve({});
    var saved = caches.match("/offline/meta", { cacheName: CACHE })
      .then(function (r) { return r ? r.json() : null; });
    return Promise.all([est, saved]).then(function (both) {
      var m = both[1];
      var what = !m ? "" : m.scope === "category" ? fill(d.scopeCategory, m.category)
        : m.scope === "all" ? d.scopeAll : d.scopeBasics;
      say($("offline-saved"), m ? fill(fill(d.saved, what),
        new Date(m.savedAt).toLocaleString(en ? "en-GB" : "th-TH",
          { dateStyle: "medium", timeStyle: "short" })) : d.nothing);
      say($("offline-used"), fill(d.used, mb(both[0].usage || 0)));
      $("offline-clear").disabled = !m;
    });
  }

  function onMessage(e) {
    var msg = e.data || {};
    if (msg.type === "progress") say(status, fill(d.saving, msg.done + "/" + msg.total));
    if (msg.type === "failed") { say(status, d.failed); button.disabled = false; }
    if (msg.type === "saved") {
      var quiz = window.BMNQuiz && window.BMNQuiz.fetchPacks(msg.meta.quizzes || []);
      Promise.resolve(quiz).catch(function () {}).then(function () {
        say(status, d.done);
        button.disabled = false;
        show();
      });
    }
  }
  sw.addEventListener("message", onMessage);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    var clips = form.elements.clips.checked;
    var ready = list && list.url === listUrl() ? Promise.resolve() : sizes();
    var persist = navigator.storage && navigator.storage.persist ? navigator.storage.persist()
      : Promise.resolve(false);
    Promise.all([ready, persist]).then(function () {
      return navigator.storage && navigator.storage.estimate ? navigator.storage.estimate() : {};
    }).then(function (est) {
      var need = list.data.bytes + (clips ? list.data.clip_bytes : 0);
      if (est.quota && est.quota - (est.usage || 0) < need * 1.2) {
        say(status, fill(d.noSpace, mb(need)));
        setTimeout(function () { button.disabled = false; }, 0);
        return;
      }
      say(status, fill(d.saving, "0"));
      return post({ type: "save", list: list.url, clips: clips });
    }).catch(function () { say(status, d.failed); button.disabled = false; });
  });

  $("offline-clear").addEventListener("click", function () {
    caches.delete(CACHE).then(function () { say(status, d.cleared); return show(); });
  });

  sizes();
  show();
  post({ type: "refresh" }).catch(function () {});
})();
