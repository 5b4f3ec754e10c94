/* BMN Learn: quizzes taken with no connection. Signed quiz packs are fetched while online
   and kept in IndexedDB; a quiz taken from a pack is kept there too, with an id made on the
   phone, until the server has recorded it (it records it once however often it is sent).
   Sends when a page opens, when the phone comes back online and from "Send now". */
(function () {
  "use strict";
  var DB = "bmn-quiz", PACKS = "packs", OUTBOX = "outbox";
  var dbp = null;

  function open() {
    if (!dbp) dbp = new Promise(function (ok, fail) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () {
        req.result.createObjectStore(PACKS, { keyPath: "number" });
        req.result.createObjectStore(OUTBOX, { keyPath: "client_id" });
      };
      req.onsuccess = function () { ok(req.result); };
      req.onerror = function () { fail(req.error); };
    });
    return dbp;
  }
  function tx(store, mode, fn) {
    return open().then(function (db) {
      return new Promise(function (ok, fail) {
        var t = db.transaction(store, mode), out = fn(t.objectStore(store));
        t.oncomplete = function () { ok(out && "result" in out ? out.result : out); };
        t.onerror = function () { fail(t.error); };
      });
    });
  }
  function all(store) { return tx(store, "readonly", function (s) { return s.getAll(); }); }
  function get(store, key) { return tx(store, "readonly", function (s) { return s.get(key); }); }
  function put(store, value) { return tx(store, "readwrite", function (s) { s.put(value); }); }
  function del(store, key) { return tx(store, "readwrite", function (s) { s.delete(key); }); }

  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    });
  }
  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = new Uint8Array(16); crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }

  /* Packs: new ones for these indicator numbers (replacing saved ones). */
  function fetchPacks(numbers) {
    return post("/quiz-packs", { numbers: numbers }).then(function (r) {
      if (!r.ok) throw new Error("packs " + r.status);
      return r.json();
    }).then(function (data) {
      return Promise.all(data.packs.map(function (p) {
        p.saved_at = new Date().toISOString();
        return put(PACKS, p);
      })).then(function () { return data.packs.length; });
    });
  }

  /* The outbox: send what waits; statuses: pending, sent, refused. */
  var sending = null;
  function sendPending() {
    if (sending) return sending;
    sending = all(OUTBOX).then(function (items) {
      var waiting = items.filter(function (i) { return i.status === "pending"; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function () { return sendOne(item); });
      }, Promise.resolve());
    }).catch(function () {}).then(function () { sending = null; return render(); });
    return sending;
  }
  function sendOne(item) {
    return post("/quiz-packs/submit", {
      token: item.token, client_id: item.client_id, answers: item.answers, taken_at: item.taken_at
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (r.ok) { item.status = "sent"; item.result = body; }
        else if (r.status === 409) { item.status = "refused"; item.message = body.message; }
        else if (r.status === 401) { item.login = true; }
        item.tried_at = new Date().toISOString();
        return put(OUTBOX, item);
      });
    }, function () { item.offline = true; return put(OUTBOX, item); });
  }

  function render() {
    var box = document.getElementById("quiz-outbox");
    if (!box) return Promise.resolve();
    return all(OUTBOX).then(function (items) {
      var list = document.getElementById("quiz-outbox-list"), d = box.dataset;
      list.textContent = "";
      box.hidden = !items.length;
      var login = false, waiting = false;
      items.sort(function (a, b) { return a.taken_at < b.taken_at ? 1 : -1; });
      items.forEach(function (i) {
        var li = el("li", { "data-status": i.status });
        li.appendChild(el("strong", null, i.title + " "));
        if (i.status === "sent") {
          var r = i.result;
          li.appendChild(el("span", null, d.sent + ": " + fill(d.score, { score: r.score, total: r.total }) +
            " · " + (r.passed ? d.passed : d.failed) + " "));
          li.appendChild(el("a", { href: r.result_url }, d.see));
        } else if (i.status === "refused") {
          li.appendChild(el("span", { "class": "error" }, i.message));
        } else {
          waiting = true; login = login || i.login;
          li.appendChild(el("span", { "class": "badge in_progress" }, d.pending));
        }
        list.appendChild(li);
      });
      var note = box.querySelector(".outbox-note") || box.insertBefore(el("p", { "class": "outbox-note" }), list);
      note.textContent = !waiting ? "" : (login ? d.login : (navigator.onLine ? "" : d.offline));
      document.getElementById("quiz-login").hidden = !login;
      document.getElementById("quiz-send-now").hidden = !waiting;
    });
  }

  /* The page that runs a saved pack. */
  function runQuiz(root) {
    var d = root.dataset, n = parseInt(new URLSearchParams(location.search).get("n"), 10);
    get(PACKS, n).then(function (pack) {
      if (!pack) { root.appendChild(el("p", { "class": "note" }, d.none)); return; }
      var form = el("form", { novalidate: "" });
      form.appendChild(el("p", { "class": "muted" }, pack.title));
      form.appendChild(el("p", null, fill(d.passMark, { mark: pack.pass_mark })));
      pack.questions.forEach(function (q, i) { form.appendChild(question(q, i, d)); });
      var error = el("p", { "class": "error", role: "alert", hidden: "" }, d.missing);
      form.appendChild(error);
      form.appendChild(el("button", { "class": "block" }, d.send));
      form.addEventListener("submit", function (e) {
        e.preventDefault();
        var answers = collect(form, pack);
        if (!answers) { error.hidden = false; error.focus && error.scrollIntoView(); return; }
        var item = { client_id: uuid(), token: pack.token, number: pack.number, title: pack.title,
          answers: answers, taken_at: new Date().toISOString(), status: "pending" };
        put(OUTBOX, item).then(function () { return del(PACKS, pack.number); }).then(function () {
          form.remove();
          return render();
        }).then(sendPending).then(function () {
          document.getElementById("quiz-outbox").scrollIntoView();
        });
      });
      root.appendChild(form);
    });
  }
  function choiceList(name, options, multiple) {
    var ul = el("ul", { "class": "choices" });
    options.forEach(function (o) {
      var li = el("li"), label = el("label");
      label.appendChild(el("input", { type: multiple ? "checkbox" : "radio", name: name, value: o[0] }));
      label.appendChild(el("span", null, " " + o[1]));
      li.appendChild(label); ul.appendChild(li);
    });
    return ul;
  }
  function question(q, i, d) {
    var fs = el("fieldset", { "class": "q" + (q.type === "record" ? " record" : "") });
    if (q.type !== "record") {
      fs.appendChild(el("legend", null, (i + 1) + ". " + q.text));
      var opts = q.choices.map(function (c, k) {
        return [c.key, q.type === "truefalse" ? d.trueFalse.split("|")[k] || c.text : c.text];
      });
      fs.appendChild(choiceList("q" + q.id, opts, q.type === "multiple"));
      return fs;
    }
    fs.appendChild(el("legend", null, (i + 1) + ". " + d.record));
    fs.appendChild(el("p", { "class": "scenario" }, q.text));
    var ol = el("ol", { "class": "form-items exercise" });
    q.entries.forEach(function (e, k) {
      var li = el("li", { "class": "form-item", "data-item": e.label }), name = "q" + q.id + "_" + k;
      li.appendChild(el("p", { "class": "q" }, e.question.replace(/\$\w+/g, "…")));
      if (e.kind === "number") {
        var label = el("label");
        label.appendChild(el("span", null, e.options[0].replace(/\$\w+|\.\.\./, "") + " "));
        label.appendChild(el("input", { type: "text", inputmode: "numeric", name: name, "aria-label": d.numberHint, "class": "number" }));
        li.appendChild(label);
        li.appendChild(choiceList(name + "_skip", [["skip", d.skip]], true));
      } else {
        var opts = e.options.map(function (o, j) { return [String(j), o.replace(/\$\w+/g, "…")]; });
        opts.push(["skip", d.skip]);
        li.appendChild(choiceList(name, opts, e.kind === "many"));
      }
      ol.appendChild(li);
    });
    fs.appendChild(ol);
    var r = el("div", { "class": "form-item result-pick" });
    r.appendChild(el("p", { "class": "q" }, d.result));
    var labels = d.results.split("|");
    r.appendChild(choiceList("q" + q.id + "_r", [["pass", labels[0]], ["fail", labels[1]], ["not_assessed", labels[2]]]));
    fs.appendChild(r);
    return fs;
  }
  function picked(form, name) {
    return Array.prototype.map.call(form.querySelectorAll('input[name="' + name + '"]:checked'),
      function (x) { return x.value; });
  }
  function collect(form, pack) {
    var answers = {}, complete = true;
    pack.questions.forEach(function (q) {
      if (q.type !== "record") {
        var keys = picked(form, "q" + q.id);
        if (!keys.length) complete = false;
        answers[q.id] = keys;
        return;
      }
      var out = [];
      q.entries.forEach(function (e, k) {
        var name = "q" + q.id + "_" + k, values;
        if (e.kind === "number") {
          var skip = picked(form, name + "_skip").length, text = form.querySelector('input[name="' + name + '"]').value.replace(/[,\s]/g, "");
          values = skip ? ["skip"] : (/^\d+$/.test(text) ? [text] : []);
        } else {
          values = picked(form, name);
        }
        if (!values.length) complete = false;
        values.forEach(function (v) { out.push(k + ":" + v); });
      });
      var result = picked(form, "q" + q.id + "_r");
      if (!result.length) complete = false; else out.push("r:" + result[0]);
      answers[q.id] = out;
    });
    return complete ? answers : null;
  }

  /* A lesson page: keep a pack of its quiz on the phone; offline, "Take the quiz" opens it. */
  function lessonPage(form) {
    var n = parseInt(form.dataset.quizNumber, 10);
    if (navigator.onLine) get(PACKS, n).then(function (p) {
      if (!p || new Date(p.expires_at) < new Date()) fetchPacks([n]).catch(function () {});
    });
    form.addEventListener("submit", function (e) {
      if (!navigator.onLine) { e.preventDefault(); location.href = "/offline/quiz?n=" + n; }
    });
  }

  /* The online quiz page: answers are kept on the phone as they are chosen, so a submit that
     fails (the session ended, no signal) loses nothing; after logging in again the page
     fills them back in and sends them once. */
  function keepAnswers(form) {
    var key = "bmn-answers:" + form.dataset.keepAnswers, resend = "bmn-resend:" + form.dataset.keepAnswers;
    var saved = null;
    try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
    if (saved) {
      saved.forEach(function (f) {
        var box = form.querySelector('input[name="' + f[0] + '"][value="' + CSS.escape(f[1]) + '"]');
        if (box && (box.type === "radio" || box.type === "checkbox")) box.checked = true;
        else { var t = form.querySelector('input[name="' + f[0] + '"]'); if (t && t.type === "text") t.value = f[1]; }
      });
    }
    function store() {
      var fields = [];
      Array.prototype.forEach.call(form.elements, function (e) {
        if (!e.name || e.name === "csrf_token") return;
        if ((e.type === "radio" || e.type === "checkbox") ? e.checked : (e.type === "text" && e.value)) fields.push([e.name, e.value]);
      });
      try { localStorage.setItem(key, JSON.stringify(fields)); } catch (e) { /* storage full */ }
    }
    form.addEventListener("change", store);
    form.addEventListener("input", store);
    form.addEventListener("submit", function () { store(); localStorage.setItem(resend, "1"); });
    var again = localStorage.getItem(resend);
    localStorage.removeItem(resend);  // once: a page that fails again waits for a tap
    if (saved && again && !form.querySelector(".error")) {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  }
  function forget(id) {
    localStorage.removeItem("bmn-answers:" + id);
    localStorage.removeItem("bmn-resend:" + id);
  }

  window.BMNQuiz = { fetchPacks: fetchPacks, sendPending: sendPending };
  document.addEventListener("DOMContentLoaded", function () {
    var quiz = document.querySelector("form[data-keep-answers]");
    if (quiz) keepAnswers(quiz);
    var done = document.querySelector("[data-answers-sent]");
    if (done) forget(done.dataset.answersSent);
    if (!window.indexedDB) return;
    var root = document.getElementById("offline-quiz");
    if (root) runQuiz(root);
    var start = document.querySelector("form[data-quiz-number]");
    if (start) lessonPage(start);
    var now = document.getElementById("quiz-send-now");
    if (now) now.addEventListener("click", sendPending);
    sendPending();
  });
  if (window.indexedDB) window.addEventListener("online", sendPending);
})();
