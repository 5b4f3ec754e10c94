/* BMN Learn: questions asked with no signal. The ask form's text is kept on the phone
   (IndexedDB "bmn-ask") with a key made on the phone, shown as "รอส่ง", and sent as JSON when a
   page opens, when the phone comes back online and from "Send now"; the server records a
   question once however often it comes. Photos need a signal (only the text is kept).
   Online, the form is sent as before, but kept here first: if that send never arrives (weak
   signal, the session ended) this sends it later. Logging out deletes the queue (offline.js). */
(function () {
  "use strict";
  if (!window.indexedDB) return;
  var STORE = "outbox", dbp = null, shownHere = {};
  // Whose questions this page may show and send: a phone passed on without logging out
  // sends nobody's question under another volunteer's login.
  function owner() { var box = document.getElementById("ask-outbox"); return box ? box.dataset.owner : null; }
  function mine(i) { return i.owner === owner(); }

  function open() {
    if (!dbp) dbp = new Promise(function (ok, fail) {
      var req = indexedDB.open("bmn-ask", 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: "key" }); };
      req.onsuccess = function () {
        var db = req.result;
        db.onversionchange = function () { db.close(); dbp = null; };  // logging out deletes it
        ok(db);
      };
      req.onerror = function () { fail(req.error); };
    });
    return dbp;
  }
  function tx(mode, fn) {
    return open().then(function (db) {
      return new Promise(function (ok, fail) {
        var t = db.transaction(STORE, mode), out = fn(t.objectStore(STORE));
        t.oncomplete = function () { ok(out && "result" in out ? out.result : out); };
        t.onerror = function () { fail(t.error); };
      });
    });
  }
  function all() { return tx("readonly", function (s) { return s.getAll(); }); }
  function put(item) { return tx("readwrite", function (s) { s.put(item); }); }
  function del(key) { return tx("readwrite", function (s) { s.delete(key); }); }
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  /* Sending: 201 recorded now; 200 the same question was there already (an item kept before
     the form itself was sent goes quietly then, and on any refusal: its page said why). */
  var sending = null;
  function sendPending() {
    if (sending) return sending;
    sending = all().then(function (items) {
      return items.filter(function (i) { return i.status === "pending" && mine(i); }).reduce(function (chain, i) {
        return chain.then(function () { return sendOne(i); });
      }, Promise.resolve());
    }).catch(function () {}).then(function () { sending = null; return render(); });
    return sending;
  }
  function sendOne(item) {
    return fetch(item.url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({ text: item.text, request_key: item.key })
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        item.login = r.status === 401;
        item.message = "";
        if (r.status === 201 || (r.ok && !item.form)) { item.status = "sent"; item.link = body.url; }
        else if (r.ok || (item.form && r.status < 500 && !item.login)) return del(item.key);
        else if (r.status === 429) item.message = body.message;
        else if (r.status < 500 && !item.login) { item.status = "refused"; item.message = body.message; }
        return put(item);
      });
    }, function () { /* no signal: it waits */ });
  }

  /* The list under the form: waiting, sent (with a link) or refused (with the reason); a
     sent or refused question is shown on one page, then goes. */
  function render() {
    var box = document.getElementById("ask-outbox");
    if (!box) return Promise.resolve();
    return all().then(function (items) {
      var d = box.dataset, list = document.getElementById("ask-outbox-list");
      var waiting = false, login = false, gone = [];
      list.textContent = "";
      items.sort(function (a, b) { return a.asked_at < b.asked_at ? 1 : -1; });
      items = items.filter(function (i) {
        if (!mine(i)) return false;
        if (i.status !== "pending" && i.shown && !shownHere[i.key]) { gone.push(i.key); return false; }
        return true;
      });
      items.forEach(function (i) {
        var li = el("li", { "data-status": i.status });
        li.appendChild(el("strong", null, i.title + " "));
        li.appendChild(el("span", { "class": "muted" }, i.text.length > 80 ? i.text.slice(0, 79) + "…" : i.text));
        li.appendChild(el("br"));
        if (i.status === "sent") {
          li.appendChild(el("span", { "class": "badge passed" }, d.sent));
          if (i.link) { li.appendChild(document.createTextNode(" ")); li.appendChild(el("a", { href: i.link }, d.see)); }
        } else if (i.status === "refused") {
          li.appendChild(el("span", { "class": "error" }, i.message || d.failed));
        } else {
          waiting = true; login = login || i.login;
          li.appendChild(el("span", { "class": "badge in_progress" }, d.pending));
          if (i.message) li.appendChild(el("span", { "class": "error" }, " " + i.message));
          if (i.photo) li.appendChild(el("p", { "class": "muted" }, d.photo));
        }
        if (i.status !== "pending" && !i.shown) { i.shown = true; shownHere[i.key] = 1; put(i); }
        list.appendChild(li);
      });
      gone.forEach(del);
      box.hidden = !items.length;
      var note = box.querySelector(".outbox-note");
      if (waiting && (login || !navigator.onLine)) note.textContent = login ? d.login : d.queued;
      else if (!waiting) note.textContent = "";
      document.getElementById("ask-login").hidden = !login;
      document.getElementById("ask-send-now").hidden = !waiting;
    });
  }

  /* The form: with no signal the question is kept here; online it is kept, then sent. */
  function watch(form) {
    var box = document.getElementById("ask-outbox"), d = box.dataset;
    var keyField = form.elements.request_key;
    // The server refused this form (its errors show): what was kept for it goes.
    var ready = form.hasAttribute("data-refused") ? del(keyField.value) : Promise.resolve();
    form.addEventListener("submit", function (e) {
      if (form.dataset.sending) return;
      var area = form.elements.text, text = area.value.trim();
      var photo = form.elements.photo && form.elements.photo.files.length > 0;
      var offline = !navigator.onLine;
      var error = form.querySelector(".ask-error") || form.insertBefore(el("p", { "class": "error ask-error", role: "alert" }), form.querySelector("button"));
      error.textContent = "";
      function again() {  // app.js disables the button once a form is sent; this one was not
        setTimeout(function () { form.querySelector("button").disabled = false; }, 10);
      }
      if (text.length < 5 || text.length > 1000) {
        if (offline) { e.preventDefault(); error.textContent = form.dataset.tooShort; again(); }
        return;  // online the server explains
      }
      e.preventDefault();
      var item = { key: offline ? newKey() : keyField.value, owner: owner(), text: text, url: form.dataset.askQueue,
        title: form.dataset.title, asked_at: new Date().toISOString(), status: "pending", form: !offline,
        photo: offline && photo };
      put(item).catch(function () {}).then(function () {
        if (!offline) { form.dataset.sending = "1"; form.submit(); return; }
        area.value = "";
        if (photo) form.elements.photo.value = "";
        again();
        return render().then(function () {
          box.scrollIntoView();
          return sendPending();
        });
      });
    });
    return ready;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-ask-queue]");
    var ready = form ? watch(form) : Promise.resolve();
    var now = document.getElementById("ask-send-now");
    if (now) now.addEventListener("click", sendPending);
    ready.catch(function () {}).then(sendPending);
  });
  window.addEventListener("online", sendPending);
})();
