// The time left on a volunteer's task, counted down on the page. It counts from the seconds the server
// gave (not the phone's clock, which may be wrong) and writes them with the page's own translated sentence.
(function () {
  "use strict";
  document.querySelectorAll("[data-seconds-left]").forEach(function (element) {
    var end = Date.now() + 1000 * Number(element.dataset.secondsLeft);
    var sentence = element.dataset.sentence;
    function show() {
      var minutes = Math.max(0, Math.floor((end - Date.now()) / 60000));
      element.textContent = sentence.replace("{hours}", String(Math.floor(minutes / 60)))
        .replace("{minutes}", String(minutes % 60));
    }
    window.setInterval(show, 20000);
  });
})();
