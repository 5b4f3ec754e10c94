// BMN Learn studio: live Markdown preview. Text areas marked data-preview="<box id>" post
// their text to data-preview-url as you type (debounced); the server renders and sanitises
// it, so the box only ever receives cleaned HTML. Without this file, the "Preview" button
// re-renders the form with the same preview.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;
  var areas = document.querySelectorAll("textarea[data-preview]");
  Array.prototype.forEach.call(areas, function (area) {
    var box = document.getElementById(area.getAttribute("data-preview"));
    var url = area.getAttribute("data-preview-url");
    if (!box || !url) return;
    var token = area.form && area.form.querySelector("input[name=csrf_token]");
    var timer = null;
    var sent = 0;
    function update() {
      var mine = ++sent;
      var body = new FormData();
      body.append("text", area.value);
      fetch(url, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token.value } : {},
      })
        .then(function (response) {
          if (!response.ok) throw new Error("preview " + response.status);
          return response.text();
        })
        .then(function (html) {
          if (mine !== sent) return; // a newer request is on its way
          box.innerHTML = html; // sanitised by the server (nh3)
          box.classList.remove("stale");
        })
        .catch(function () {
          if (mine === sent) box.classList.add("stale");
        });
    }
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 400);
    });
  });
})();
