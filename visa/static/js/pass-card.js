// The member's pass card: the print button (inline handlers are refused by the page's CSP).
(function () {
  "use strict";
  var button = document.getElementById("print-card");
  if (button) button.addEventListener("click", function () { window.print(); });
})();
