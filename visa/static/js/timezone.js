/* Admin pages show times in the reader's own time zone: the browser names it once, in a cookie the server
   reads (visa.moderation.words.reader_timezone). Until then the server's zone is used, and the page says so. */
(function () {
  "use strict";
  var zone = "";
  try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return; }
  if (!zone || document.cookie.split("; ").indexOf("visa_tz=" + encodeURIComponent(zone)) >= 0) { return; }
  document.cookie = "visa_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
})();
