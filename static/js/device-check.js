// The device page's phone check (templates/mentoring/device.html): only once the volunteer
// ticks the consent box and sends the form, it fills the form's hidden fields with a summary
// (browser name, major version and system, free storage in MB, offline support) and posts
// it with the form's CSRF token. The full user agent never leaves the phone.
(function () {
  "use strict";

  function browserSummary() {
    var ua = navigator.userAgent || "";
    var system = /Android/.test(ua) ? "Android" : /iPhone|iPad|iPod/.test(ua) ? "iOS"
      : /Windows/.test(ua) ? "Windows" : /Mac OS X/.test(ua) ? "macOS"
      : /Linux/.test(ua) ? "Linux" : "other";
    var rules = [
      ["Samsung Internet", /SamsungBrowser\/(\d+)/], ["Edge", /Edg\/(\d+)/],
      ["Opera", /OPR\/(\d+)/], ["Firefox", /(?:Firefox|FxiOS)\/(\d+)/],
      ["Chrome", /(?:Chrome|CriOS)\/(\d+)/], ["Safari", /Version\/(\d+).*Safari/]
    ];
    for (var i = 0; i < rules.length; i++) {
      var found = rules[i][1].exec(ua);
      if (found) { return rules[i][0] + " " + found[1] + " / " + system; }
    }
    return "other / " + system;
  }

  function freeMegabytes() {
    if (!navigator.storage || !navigator.storage.estimate) { return Promise.resolve(""); }
    return navigator.storage.estimate().then(function (e) {
      if (typeof e.quota !== "number") { return ""; }
      return String(Math.floor((e.quota - (e.usage || 0)) / (1024 * 1024)));
    }, function () { return ""; });
  }

  function offlineWorks() {
    return "serviceWorker" in navigator && typeof window.indexedDB !== "undefined";
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("form[data-device-check]");
    if (!form) { return; }
    form.addEventListener("submit", function (event) {
      var consent = form.querySelector("input[name=consent]");
      if (!consent || !consent.checked || form.dataset.checked) { return; }
      event.preventDefault();
      freeMegabytes().then(function (mb) {
        form.elements.browser.value = browserSummary();
        form.elements.free_mb.value = mb;
        form.elements.offline_ok.value = offlineWorks() ? "yes" : "no";
        var summary = form.querySelector("[data-device-summary]");
        if (summary) {
          summary.textContent = form.elements.browser.value + (mb ? " · " + mb + " MB" : "");
          summary.hidden = false;
        }
        form.dataset.checked = "1";
        form.submit();
      });
    });
  });
})();
