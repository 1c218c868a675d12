/* On every page, for keyboards and screen readers:
 * - a form that came back with errors: the focus moves to its summary at the top of the page
 *   (templates/_error_summary.html), which a screen reader then reads; each message links to its field;
 * - a table wider than its box (a phone, a long diff) scrolls in its own box: that box takes the focus
 *   (so the arrow keys scroll it) and is named after the table's caption or the heading before it. */
(function () {
  "use strict";
  function focusSummary() {
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
  }

  function labelFor(table) {
    if (table.caption) return table.caption.textContent.trim();
    for (var node = table; node && node !== document.body; node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        if (/^H[1-6]$/.test(before.tagName)) return before.textContent.trim();
      }
    }
    return document.title;
  }

  function focusableScrolling() {
    document.querySelectorAll("table, .scroll-x").forEach(function (box) {
      if (box.hasAttribute("tabindex") || box.scrollWidth <= box.clientWidth) return;
      box.setAttribute("tabindex", "0");
      if (!box.hasAttribute("aria-label") && !box.hasAttribute("aria-labelledby")) {
        box.setAttribute("aria-label", labelFor(box.tagName === "TABLE" ? box : box.querySelector("table") || box));
      }
    });
  }

  function ready() {
    focusableScrolling();
    focusSummary();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
