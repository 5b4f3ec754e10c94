// Studio clip pages: upload progress, and the clip page following its processing state.
// Without this file the upload form posts normally and the clip page is reloaded by hand.
(function () {
  "use strict";

  var form = document.getElementById("clip-upload");
  if (form && window.FormData && window.XMLHttpRequest) {
    var input = document.getElementById("clip-file");
    var progress = document.getElementById("upload-progress");
    var status = document.getElementById("upload-status");
    var button = form.querySelector("button");

    var fail = function (message) {
      status.textContent = message;
      status.className = "error";
      progress.hidden = true;
      // after app.js's one-tap guard has disabled the button (it runs on the same submit)
      setTimeout(function () { if (button) button.disabled = false; }, 0);
    };

    form.addEventListener("submit", function (event) {
      var file = input && input.files && input.files[0];
      var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
      if (file && limit && file.size > limit) {
        event.preventDefault();
        setTimeout(function () { fail(form.getAttribute("data-too-large")); }, 0);
        return;
      }
      if (!file) return; // the server says what is missing
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.getAttribute("action") || location.href);
      xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
      xhr.setRequestHeader("Accept", "application/json");
      progress.hidden = false;
      progress.value = 0;
      status.className = "muted";
      status.textContent = form.getAttribute("data-uploading") + " 0%";
      xhr.upload.addEventListener("progress", function (e) {
        if (!e.lengthComputable) return;
        var percent = Math.floor((e.loaded / e.total) * 100);
        progress.value = percent;
        status.textContent = percent < 100
          ? form.getAttribute("data-uploading") + " " + percent + "%"
          : form.getAttribute("data-checking");
      });
      xhr.addEventListener("load", function () {
        var reply = {};
        try { reply = JSON.parse(xhr.responseText); } catch (err) { reply = {}; }
        if (xhr.status >= 200 && xhr.status < 300 && reply.url) {
          progress.value = 100;
          location.assign(reply.url);
        } else {
          fail(reply.error || form.getAttribute("data-failed"));
        }
      });
      xhr.addEventListener("error", function () { fail(form.getAttribute("data-failed")); });
      xhr.send(new FormData(form));
    });
  }

  // The clip page: while processing, ask for the state every few seconds; reload on change.
  var state = document.getElementById("clip-state");
  if (state && state.getAttribute("data-state") === "processing" && window.fetch) {
    var timer = setInterval(function () {
      fetch(state.getAttribute("data-status-url"), {
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && data.state !== "processing") {
            clearInterval(timer);
            location.reload();
          }
        })
        .catch(function () { /* offline for a moment: try again next time */ });
    }, 4000);
  }
})();
