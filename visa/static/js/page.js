/* On every page, for keyboards and screen readers:
 * - a form that came back with errors: the focus moves to its summary at the top of the page
 *   (templates/_error_summary.html), which a screen reader then reads; each message links to its field;
 * - a "print" button (data-print) prints the page;
 * - a "copy" button (data-copy: the id of the readonly field it copies) shows, since a script can copy;
 *   without one the code in the field is copied by hand;
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

  function copy(button) {
    var field = document.getElementById(button.dataset.copy);
    function done() { button.textContent = button.dataset.copied; }
    function byHand() {  // the older way, where the clipboard API is not offered (a page over plain http)
      field.select();
      if (document.execCommand("copy")) done();
    }
    if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(done, byHand);
    else byHand();
  }

  function copyButtons() {
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { copy(button); });
    });
  }

  document.addEventListener("click", function (event) {
    if (event.target && event.target.matches("[data-print]")) window.print();  // no inline handlers under the CSP
  });

  function ready() {
    focusableScrolling();
    focusSummary();
    copyButtons();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
