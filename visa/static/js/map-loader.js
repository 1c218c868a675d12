/* The map's scripts and stylesheets (Leaflet and visa-map.js, then its clusters and TopoJSON) load after the
 * page has drawn, not before:
 * on a slow network the list and the text come first. On a phone's search results, where the list is shown
 * and the map is one tap away, they load only when the map is asked for (and the basemap with them).
 *
 * They are listed in <template id="map-scripts">; the page's own map scripts wait as
 * <script type="text/x-visa-map"> blocks and run, in order and with their nonce, once the libraries are in. */
var VisaLoad = (function () {
  "use strict";
  var state = "idle", waiting = [];

  function runWaitingBlocks() {
    document.querySelectorAll('script[type="text/x-visa-map"]').forEach(function (block) {
      var script = document.createElement("script");
      script.nonce = block.nonce;  // the page's CSP takes inline scripts by nonce only
      script.textContent = block.textContent;
      block.replaceWith(script);
    });
  }

  /* Fetch the stylesheets and scripts of *nodes* (from the template) side by side, then call done. */
  function fetchAll(nodes, done) {
    var styles = nodes.filter(function (n) { return n.matches("link[rel=stylesheet]"); });
    var sources = nodes.filter(function (n) { return n.matches("script[src]"); });
    var pending = styles.length + sources.length;
    if (!pending) return done();
    function loaded() { if (--pending === 0) done(); }
    // Leaflet's own stylesheets: the map is laid out only once they are in. Before the site's stylesheet,
    // as they were in <head>, so that the site's rules still win over Leaflet's defaults (the sea's colour).
    var site = document.head.querySelector("link[rel=stylesheet]:not([data-map])");
    styles.forEach(function (link) {
      var copy = link.cloneNode();
      copy.dataset.map = "";
      copy.onload = loaded;
      copy.onerror = function () { console.error("map stylesheet did not load: " + copy.href); };
      document.head.insertBefore(copy, site);
    });
    sources.forEach(function (source) {
      var script = document.createElement("script");
      script.src = source.getAttribute("src");
      script.async = false;  // fetched side by side, run in this order
      script.onload = loaded;
      script.onerror = function () { console.error("map script did not load: " + script.src); };
      document.head.appendChild(script);
    });
  }

  /* Load the libraries (once), run the page's map blocks, then call done. Leaflet and visa-map.js come
   * first: the page's blocks draw the first markers with them alone. The marker groups and the basemap's
   * decoder (data-later) follow, and visa-map.js hears of them by the "visa:map-extras" event. */
  function load(done) {
    if (done) waiting.push(done);
    if (state === "done") return flush();
    if (state === "loading") return;
    state = "loading";
    var list = document.getElementById("map-scripts");
    var nodes = list ? [].slice.call(list.content.querySelectorAll("link[rel=stylesheet], script[src]")) : [];
    var later = nodes.filter(function (n) { return n.hasAttribute("data-later"); });
    fetchAll(nodes.filter(function (n) { return !n.hasAttribute("data-later"); }), function () {
      // Asked for before the blocks run, so that they are not queued behind the basemap and the markers' data.
      fetchAll(later, function () { document.dispatchEvent(new Event("visa:map-extras")); });
      ready();
    });
  }

  function ready() {
    runWaitingBlocks();
    state = "done";
    flush();
  }

  function flush() {
    while (waiting.length) waiting.shift()();
  }

  function start() {
    var phone = window.matchMedia("(max-width: 760px)").matches;
    var toggle = document.getElementById("view-toggle");
    var listFirst = document.querySelector(".search-layout.list-first");
    if (!(phone && toggle && listFirst)) return load();
    var filters = document.getElementById("filters");
    if (filters) filters.open = false;  // a search was made: its results first, the filters one tap away
    // "Show them on the map" (an empty search's nearest spaces) asks for the map itself.
    if (window.location.hash === "#map") return load(function () { toggle.click(); });
    // The list is what shows: the map comes with its first "Show the map" (visa-map.js then owns the button),
    // or when the traveller starts typing a home space (its suggestions come from visa-map.js too).
    toggle.addEventListener("click", function first() {
      toggle.removeEventListener("click", first);
      load(function () { toggle.click(); });
    });
    var home = document.getElementById("home-input");
    if (home) home.addEventListener("focus", function () { load(); }, { once: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
  return { load: load };
})();
