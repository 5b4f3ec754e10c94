// The slip's QR code opens /claim#CODE: the code stays in the phone (a fragment is never
// sent to the server, so it reaches no log) and fills the activation code field.
(function () {
  "use strict";
  var field = document.querySelector("[data-from-fragment]");
  var code = decodeURIComponent(window.location.hash.slice(1)).replace(/[^0-9A-Za-z-]/g, "");
  if (field && code && !field.value) {
    field.value = code.toUpperCase();
  }
  if (code && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
