// BMN Learn studio, question form: show the choice rows or the true/false answer to match the
// type, and keep spare choice rows folded behind "Add a choice". The form works without it.
(function () {
  "use strict";
  var form = document.getElementById("question-form");
  var rows = document.getElementById("choice-rows");
  var answer = document.getElementById("truefalse-answer");
  if (!form || !rows || !answer) return;
  function kind() {
    var checked = form.querySelector("input[name=type]:checked");
    return checked ? checked.value : "single";
  }
  function sync() {
    var tf = kind() === "truefalse";
    rows.hidden = tf;
    answer.hidden = !tf;
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "type") sync();
  });
  sync();
  var spare = Array.prototype.filter.call(rows.querySelectorAll(".spare"), function (row) {
    return !row.querySelector("input[type=text]").value;
  });
  if (!spare.length) return;
  spare.forEach(function (row) { row.hidden = true; });
  var add = document.createElement("button");
  add.type = "button";
  add.className = "secondary";
  add.textContent = rows.getAttribute("data-add-label");
  add.addEventListener("click", function () {
    var next = spare.shift();
    if (next) {
      next.hidden = false;
      next.querySelector("input[type=text]").focus();
    }
    if (!spare.length) add.hidden = true;
  });
  rows.querySelector("ol").insertAdjacentElement("afterend", add);
})();
