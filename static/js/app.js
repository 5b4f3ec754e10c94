// BMN Learn: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // One tap, one submit: disable a form's buttons once it is sent (the server also dedupes).
  document.addEventListener("submit", function (event) {
    var buttons = event.target.querySelectorAll("button[type=submit],button:not([type])");
    setTimeout(function () {
      for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
    }, 0);
  });
  // A link to a FAQ card (from quiz feedback) opens the card.
  function openTarget() {
    var el = location.hash && document.getElementById(location.hash.slice(1));
    if (el && el.tagName === "DETAILS") el.open = true;
  }
  window.addEventListener("hashchange", openTarget);
  openTarget();
  // After a failed submit, take the focus (and the screen) to the first field with an error.
  var invalid = document.querySelector("main [aria-invalid=true], main .has-error input");
  if (invalid && !location.hash) {
    invalid.focus();
    if (invalid.scrollIntoView) invalid.scrollIntoView({ block: "center" });
  }
  // "Save data" shows on when the phone's data saver is on (the server sees it as Save-Data).
  var saver = document.getElementById("save-data-toggle");
  if (saver && navigator.connection && navigator.connection.saveData) {
    saver.setAttribute("aria-pressed", "true");
    saver.textContent = saver.getAttribute("data-on");
  }
  // Thai has no spaces between words: Chromium breaks a line wherever ICU's dictionary sees
  // one, inside compounds too (ตัว|ชี้วัด, ครัว|เรือน). Keep the compounds of these lessons
  // whole (white-space: nowrap); the text itself is unchanged.
  var compounds = new RegExp(
    "ตัวชี้วัด|ครัวเรือน|อย่างเดียว|แบบทดสอบ|อาสาสมัคร|ความจำเป็น|พื้นฐาน|บทเรียน|คำตอบ|" +
      "คำถาม|เจ้าหน้าที่|ผู้จัดเก็บ|แผนการอบรม|ประหยัดเน็ต|อินโฟกราฟิก|น้ำหนัก|แรกเกิด|" +
      "ที่อยู่อาศัย|รายได้|ผู้สูงอายุ|ทะเบียนบ้าน|ผู้ตอบ|สมาชิก|หมู่บ้าน|ไม่ผ่าน",
    "g"
  );
  function keepWhole(root) {
    var skip = /^(SCRIPT|STYLE|TEXTAREA|OPTION|PRE|CODE)$/;
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        compounds.lastIndex = 0;
        var parent = node.parentNode;
        if (!compounds.test(node.data) || skip.test(parent.nodeName) || parent.isContentEditable) {
          return NodeFilter.FILTER_SKIP;
        }
        // In a flex or grid box a new span would be an item of its own (own line, own name).
        var boxed = /flex|grid/.test(getComputedStyle(parent).display);
        return boxed ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_ACCEPT;
      },
    });
    var found = [];
    while (walker.nextNode()) found.push(walker.currentNode);
    found.forEach(function (node) {
      var text = node.data, parts = document.createDocumentFragment(), at = 0, match;
      compounds.lastIndex = 0;
      while ((match = compounds.exec(text))) {
        if (match.index > at) parts.appendChild(document.createTextNode(text.slice(at, match.index)));
        var word = document.createElement("span");
        word.className = "nw";
        word.textContent = match[0];
        parts.appendChild(word);
        at = match.index + match[0].length;
      }
      if (at < text.length) parts.appendChild(document.createTextNode(text.slice(at)));
      node.parentNode.replaceChild(parts, node);
    });
  }
  if (document.documentElement.lang === "th" || document.querySelector("[lang=th]")) {
    var main = document.querySelector("main");
    if (main) keepWhole(main);
  }
  // Officers' filter bar: choosing an area reloads the list with the next level's choices.
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (!select.hasAttribute || !select.hasAttribute("data-autosubmit")) return;
    var inner = { district: ["subdistrict", "village"], subdistrict: ["village"] }[select.name];
    (inner || []).forEach(function (name) {
      var child = select.form.elements[name];
      if (child) child.value = "";
    });
    select.form.submit();
  });
  // Area picker: district > subdistrict > village, filtering the next list by its parent.
  var district = document.getElementById("district");
  var subdistrict = document.getElementById("subdistrict");
  var village = document.getElementById("village");
  if (!district || !subdistrict || !village) return;
  var subOptions = Array.prototype.slice.call(subdistrict.options);
  var villageGroups = Array.prototype.slice.call(village.querySelectorAll("optgroup"));
  function filter(select, items, parent, attr) {
    var keep = select.value;
    items.forEach(function (item) {
      var show = !item.getAttribute(attr) || item.getAttribute(attr) === parent;
      item.hidden = !show;
      item.disabled = !show;
      if (!show && item.value === keep) select.value = "";
    });
  }
  function update() {
    filter(subdistrict, subOptions, district.value, "data-district");
    villageGroups.forEach(function (group) {
      var show = group.getAttribute("data-subdistrict") === subdistrict.value;
      group.hidden = !show;
      group.disabled = !show;
    });
    var chosen = village.options[village.selectedIndex];
    if (chosen && chosen.parentNode.disabled) village.value = "";
  }
  district.addEventListener("change", function () { subdistrict.value = ""; update(); });
  subdistrict.addEventListener("change", update);
  update();

  // A secret shown once is selected when focused, ready to copy.
  document.addEventListener("focusin", function (e) {
    if (e.target.matches && e.target.matches("[data-select-on-focus]")) e.target.select();
  });
  // Print buttons (no inline handlers: the Content-Security-Policy allows no inline script).
  document.addEventListener("click", function (e) {
    if (e.target.closest && e.target.closest("[data-print]")) window.print();
  });
})();
