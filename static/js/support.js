// Answers to a volunteer's questions are marked seen once a page has shown them: the page's
// hidden [data-support-seen] form is sent in the background (a POST with its CSRF token).
(function () {
  "use strict";
  document.querySelectorAll("form[data-support-seen]").forEach(function (form) {
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { "X-Requested-With": "fetch" },
      credentials: "same-origin",
    }).then(function (response) {
      if (response.ok && !form.hidden) {
        form.querySelector("button").disabled = true;
      }
    }).catch(function () { /* offline: the button or the next visit does it */ });
  });
})();
