/* Map behaviour for the directory: offline basemap, markers by viewport, result list.
 * Every text from the server is put into the page with textContent, never as HTML:
 * names and terms are written by hosts. */
(function () {
  "use strict";

  var LAND = { color: "#7d8790", weight: 0.7, fillColor: "#f3f1ea", fillOpacity: 1 };

  /* Leaflet.markercluster and the TopoJSON decoder arrive after the first markers are drawn (js/map-loader.js
   * fetches them after Leaflet and this script, and says so with "visa:map-extras"); in the embedded map they
   * are in from the start. fn runs once they are. */
  function withExtras(fn) {
    if (window.topojson && L.markerClusterGroup) return fn();
    document.addEventListener("visa:map-extras", function () { fn(); }, { once: true });
  }

  /* Natural Earth draws the rings that cross the 180° meridian (Russia, Fiji) with jumps from +180 to
   * -180; Leaflet draws on a plane and would join each jump with a band across the world. A ring that
   * crosses and comes back (an even number of jumps) is made continuous (Chukotka at 190°E); a ring
   * around the pole (Antarctica: one jump, along the map's bottom edge) is right as it is. */
  function unwrapRing(ring) {
    var jumps = 0;
    for (var i = 1; i < ring.length; i++) if (Math.abs(ring[i][0] - ring[i - 1][0]) > 180) jumps++;
    if (jumps === 0 || jumps % 2) return ring;
    var out = [ring[0].slice()];
    for (var j = 1; j < ring.length; j++) {
      var lon = ring[j][0], previous = out[j - 1][0];
      out.push([lon + 360 * Math.round((previous - lon) / 360), ring[j][1]]);
    }
    return out;
  }

  function shiftedWorld(countries, offset) {
    function polygon(rings) {
      return rings.map(function (ring) {
        return unwrapRing(ring).map(function (p) { return [p[0] + offset, p[1]]; });
      });
    }
    return {
      type: "FeatureCollection",
      features: countries.features.filter(function (f) { return f.geometry; }).map(function (f) {
        var g = f.geometry;
        var coordinates = g.type === "Polygon" ? polygon(g.coordinates) : g.coordinates.map(polygon);
        return { type: "Feature", properties: {}, geometry: { type: g.type, coordinates: coordinates } };
      })
    };
  }

  /* Place names from the gazetteer, most prominent first; a name is skipped where it would overlap
   * one already drawn. They are plain text nodes in a pane of their own (not markers: they are not
   * interactive, not focusable and not announced), placed at layer points and drawn again after
   * every move; hidden while a zoom animates. */
  function addLabels(map) {
    var meta = document.querySelector("meta[name=visa-labels]");
    if (!meta) return;
    var box = L.DomUtil.create("div", "place-labels", map.getPane("labels")), pending = null;
    box.setAttribute("aria-hidden", "true");
    map.on("zoomstart", function () { box.style.display = "none"; });
    function draw(labels) {
      box.replaceChildren();
      box.style.display = "";
      var taken = [], centre = map.getCenter().lng;
      if (map.visaSearched) {  // the searched place's name first, to the right of its ring, kept clear of others
        var here = map.latLngToContainerPoint(map.visaSearched.latlng);
        taken.push([here.x - 12, here.y - 14, here.x + 16 + map.visaSearched.label.length * 8, here.y + 14]);
        var mark = el("div", null, { "class": "place-label-anchor" });
        mark.appendChild(el("span", map.visaSearched.label, { "class": "searched-place" }));
        L.DomUtil.setPosition(mark, map.latLngToLayerPoint(map.visaSearched.latlng));
        box.appendChild(mark);
      }
      labels.forEach(function (label) {
        // The copy of the world in view: longitudes near the map's centre.
        var latlng = L.latLng(label[1], label[2] + 360 * Math.round((centre - label[2]) / 360));
        var point = map.latLngToContainerPoint(latlng);
        var width = label[0].length * 7 + 8, rect = [point.x - width / 2, point.y - 9, point.x + width / 2, point.y + 9];
        var clash = taken.some(function (t) { return rect[0] < t[2] && t[0] < rect[2] && rect[1] < t[3] && t[1] < rect[3]; });
        if (clash) return;
        taken.push(rect);
        // The anchor carries Leaflet's translate3d; the name inside centres itself on it.
        var anchor = el("div", null, { "class": "place-label-anchor" });
        anchor.appendChild(el("span", label[0], { "class": "place-label rank-" + Math.min(label[3], 12) }));
        L.DomUtil.setPosition(anchor, map.latLngToLayerPoint(latlng));
        box.appendChild(anchor);
      });
    }
    function refresh() {
      if (pending) pending.abort();
      pending = new AbortController();
      var b = map.getBounds(), west = b.getWest(), east = b.getEast();
      if (east - west >= 360) { west = -180; east = 180; }
      else {
        west = ((west + 180) % 360 + 360) % 360 - 180;
        east = ((east + 180) % 360 + 360) % 360 - 180;
      }
      var bbox = [west, Math.max(-90, b.getSouth()), east, Math.min(90, b.getNorth())]
        .map(function (v) { return v.toFixed(4); }).join(",");
      var url = new URL(meta.content, location.href);  // it may carry the page's lang
      url.searchParams.set("bbox", bbox);
      url.searchParams.set("zoom", map.getZoom());
      fetch(url, { signal: pending.signal })
        .then(function (r) { return r.json(); })
        .then(function (data) { draw(data.labels || []); })
        .catch(function (e) { if (e.name !== "AbortError") console.error(e); });
    }
    map.on("moveend", refresh);
    refresh();
  }

  /* First-level borders (states, provinces: the United States, Canada, Brazil and Australia, the countries
   * a registry package ships them for), fetched once the map shows a region: the world view stays light. */
  var ADMIN1_ZOOM = 4;
  var ADMIN1 = { color: "#9aa3ab", weight: 0.8, dashArray: "4 3", fill: false };

  function addAdmin1(map) {
    var meta = document.querySelector("meta[name=visa-admin1]");
    if (!meta) return;
    var asked = false;
    function load() {
      if (asked || map.getZoom() < ADMIN1_ZOOM) return;
      asked = true;
      fetch(meta.content).then(function (r) { return r.ok ? r.json() : null; }).then(function (topo) {
        if (topo) withExtras(function () { drawAdmin1(topo); });
      }).catch(function (e) { console.error(e); });
    }
    function drawAdmin1(topo) {
      var borders = topojson.feature(topo, topo.objects.borders);
      [-360, 0, 360].forEach(function (offset) {
        var shifted = { type: "Feature", properties: {}, geometry: { type: "MultiLineString",
          coordinates: borders.geometry.coordinates.map(function (line) {
            return line.map(function (p) { return [p[0] + offset, p[1]]; });
          }) } };
        L.geoJSON(shifted, { pane: "admin1", interactive: false, style: ADMIN1 }).addTo(map);
      });
    }
    map.on("zoomend", load);
    load();
  }

  /* The offline basemap: land over the map's sea colour, one world each side so that panning past
   * 180° finds land, and place names. Street tiles, when configured, are drawn above it (pane z-index
   * 200 against 150 and 160), so wherever they do not load this is what the traveller sees. */
  function addBasemap(map, url) {
    map.createPane("basemap").style.zIndex = 150;
    map.createPane("admin1").style.zIndex = 155;
    map.createPane("labels").style.zIndex = 160;
    map.getPane("labels").style.pointerEvents = "none";
    map.getPane("admin1").style.pointerEvents = "none";
    addLabels(map);
    addAdmin1(map);
    // Fetched at once, decoded once the decoder is in.
    return fetch(url).then(function (r) { return r.json(); }).then(function (topo) {
      withExtras(function () {
        var countries = topojson.feature(topo, topo.objects.countries);
        [-360, 0, 360].forEach(function (offset) {
          L.geoJSON(shiftedWorld(countries, offset), { pane: "basemap", interactive: false, style: LAND }).addTo(map);
        });
      });
    });
  }

  /* The place the traveller searched for, marked with its name. */
  function markPlace(map, place) {
    if (!place) return;
    // The name is drawn with the basemap's labels (addLabels), beside this ring.
    map.visaSearched = { latlng: L.latLng(place.lat, place.lon), label: place.label };
    L.circleMarker([place.lat, place.lon], { radius: 7, color: "#1d2a33", weight: 2, fillColor: "#fff",
                                             fillOpacity: 1, interactive: false }).addTo(map);
  }

  // A verdict's class: honored is true, false or null (unknown, never shown as a refusal).
  function verdictState(honored) { return honored === true ? "yes" : honored === null ? "unknown" : "no"; }
  /* FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE: what <bdi> is, where no element can stand (an option). */
  function isolate(text) { return "\u2068" + text + "\u2069"; }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  /* Markers are inline SVG drawn by this script (no image file: Leaflet's default icon looks for its PNGs
   * next to a URL that carries a content hash, and finds none). A marker's shape and colour say what a
   * traveler needs to know, and its title, tooltip and list entry say it in words (the words of the legend
   * the page renders, .map-legend): a pin for a space that takes part (green with a tick: terms confirmed
   * in the last 12 months; brown with a clock: not confirmed since), a hollow ring with a question mark
   * where participation is not stated, a small red square with a cross for a space that does not take part.
   * The symbols are defined once per page and drawn with <use>; the legend draws them the same way. */
  var SVG_NS = "http://www.w3.org/2000/svg";
  var PIN = "M13 1.5C6.6 1.5 1.5 6.6 1.5 13c0 8.4 11.5 19.5 11.5 19.5S24.5 21.4 24.5 13C24.5 6.6 19.4 1.5 13 1.5z";
  var GLYPH = { fill: "none", stroke: "#fff", "stroke-width": 2.4, "stroke-linecap": "round", "stroke-linejoin": "round" };
  var SYMBOLS = {
    yes: { box: [26, 34], anchor: [13, 33], tip: [0, -24], parts: [
      ["path", { d: PIN, fill: "#1b7a3a", stroke: "#fff", "stroke-width": 1.5 }],
      ["path", Object.assign({ d: "M8 13.2l3.6 3.6L18.2 9.6" }, GLYPH)]] },
    stale: { box: [26, 34], anchor: [13, 33], tip: [0, -24], parts: [
      ["path", { d: PIN, fill: "#8f5200", stroke: "#fff", "stroke-width": 1.5 }],
      ["circle", Object.assign({ cx: 13, cy: 13, r: 6 }, GLYPH, { "stroke-width": 1.8 })],
      ["path", Object.assign({ d: "M13 9.6V13l2.4 1.8" }, GLYPH, { "stroke-width": 1.8 })]] },
    unknown: { box: [22, 22], anchor: [11, 11], tip: [0, -9], parts: [
      ["circle", { cx: 11, cy: 11, r: 9, fill: "#fff", stroke: "#4f5b66", "stroke-width": 3 }],
      ["path", { d: "M8.4 8.6a2.7 2.7 0 1 1 3.6 2.5c-.7.3-1 .8-1 1.5v.6", fill: "none", stroke: "#4f5b66",
                 "stroke-width": 2, "stroke-linecap": "round" }],
      ["circle", { cx: 11, cy: 15.6, r: 1.2, fill: "#4f5b66" }]] },
    no: { box: [18, 18], anchor: [9, 9], tip: [0, -7], parts: [
      ["rect", { x: 1.5, y: 1.5, width: 15, height: 15, rx: 2, fill: "#a3231b", stroke: "#fff", "stroke-width": 1.5 }],
      ["path", Object.assign({ d: "M6 6l6 6M12 6l-6 6" }, GLYPH, { "stroke-width": 2 })]] },
    // The host's own pin on the listing form: where the space is, no state yet.
    pin: { box: [26, 34], anchor: [13, 33], tip: [0, -24], parts: [
      ["path", { d: PIN, fill: "#1f4e8c", stroke: "#fff", "stroke-width": 1.5 }],
      ["circle", { cx: 13, cy: 13, r: 4, fill: "#fff" }]] }
  };

  function svg(tag, attrs) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  /* The symbols, once per page, in a hidden <svg> at the start of the body (for markers and the legend). */
  function addSymbols() {
    if (document.getElementById("visa-marker-symbols")) return;
    var defs = svg("svg", { id: "visa-marker-symbols", "class": "marker-symbols", "aria-hidden": "true", focusable: "false" });
    Object.keys(SYMBOLS).forEach(function (state) {
      var s = SYMBOLS[state];
      var symbol = svg("symbol", { id: "visa-marker-" + state, viewBox: "0 0 " + s.box[0] + " " + s.box[1] });
      s.parts.forEach(function (part) { symbol.appendChild(svg(part[0], part[1])); });
      defs.appendChild(symbol);
    });
    document.body.insertBefore(defs, document.body.firstChild);
  }
  // This script may load after the page has (js/map-loader.js): the legend's symbols are needed either way.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", addSymbols);
  else addSymbols();

  function symbol(state) {
    var s = SYMBOLS[state] || SYMBOLS.unknown;
    var node = svg("svg", { width: s.box[0], height: s.box[1], viewBox: "0 0 " + s.box[0] + " " + s.box[1],
                            "class": "marker-symbol", "aria-hidden": "true", focusable: "false" });
    node.appendChild(svg("use", { href: "#visa-marker-" + (SYMBOLS[state] ? state : "unknown") }));
    return node;
  }

  /* A space's state, from a Feature's properties (visa.directory.presenters.marker_state on the server). */
  function markerState(props) {
    if (props.state) return props.state;
    if (props.participates === false) return "no";
    if (props.participates === null || props.participates === undefined) return "unknown";
    return props.terms_stale ? "stale" : "yes";
  }

  /* The state in words, as the page's legend words it; a stale one with its date. */
  function stateWords(props) {
    if (props.words) return props.words;
    var state = markerState(props), legend = document.querySelector(".map-legend");
    if (!legend) return "";
    if (state === "stale" && props.terms_stale_text) {
      return legend.dataset.staleWords.replace("{note}", props.terms_stale_text);
    }
    var item = legend.querySelector("[data-state=" + state + "] .words");
    return item ? item.textContent : "";
  }

  function stateLine(props) {
    var line = el("div", null, { "class": "state state-" + markerState(props) });
    line.appendChild(symbol(markerState(props)));
    line.appendChild(el("span", stateWords(props)));
    return line;
  }

  function spaceIcon(state) {
    var s = SYMBOLS[state] || SYMBOLS.unknown;
    addSymbols();
    return L.divIcon({ html: symbol(state), className: "space-marker space-marker-" + state,
                       iconSize: s.box, iconAnchor: s.anchor, tooltipAnchor: s.tip });
  }

  /* A space on the map: its title says its name and its state, for pointers, keyboards and screen readers. */
  function spaceMarker(latlng, props, options) {
    var words = stateWords(props);
    return L.marker(latlng, Object.assign({ icon: spaceIcon(markerState(props)),
                                            title: words ? props.name + ": " + words : props.name }, options));
  }

  var staleText = "";
  /* In an embedded map (/embed/map) a space opens on this site in a new tab, never inside the frame. */
  var newTab = false;

  function openSpace(url) {
    if (newTab) window.open(url, "_blank", "noopener");
    else window.location.assign(url);
  }

  /* A listing's first approved photo (props.photo: url, alt, lang, width, height), or nothing. */
  function thumbnailFor(props, lazy) {
    var p = props.photo;
    if (!p) return null;
    var attrs = { "class": "thumbnail", src: p.url, alt: p.alt, width: p.width, height: p.height, decoding: "async" };
    if (p.lang) attrs.lang = p.lang;
    if (lazy) attrs.loading = "lazy";
    return el("img", null, attrs);
  }

  function popupFor(props) {
    var box = el("div", null, { "class": "popup" });
    var thumb = thumbnailFor(props, false);
    if (thumb) box.appendChild(thumb);
    // dir="auto": a name keeps its own direction, and an override inside it cannot turn the words around it.
    var link = el("a", props.name, newTab ? { href: props.url, dir: "auto", target: "_blank", rel: "noopener" }
                                          : { href: props.url, dir: "auto" });
    box.appendChild(link);
    box.appendChild(el("div", [props.city_name || props.city, props.country_name || props.country].filter(Boolean).join(", "), { dir: "auto" }));
    if (props.tagline) box.appendChild(el("div", props.tagline, { "class": "tagline", dir: "auto" }));
    box.appendChild(stateLine(props));
    if (!props.verdict || props.verdict.honored !== false) box.appendChild(el("div", props.headline, { "class": "headline" }));
    if (props.verdict) {
      box.appendChild(el("div", props.verdict.summary, { "class": "verdict " + verdictState(props.verdict.honored) }));
    }
    if (props.terms_stale && markerState(props) !== "stale" && (props.terms_stale_text || staleText)) {
      box.appendChild(el("div", props.terms_stale_text || staleText + " " + (props.terms_confirmed_on || "?"), { "class": "warning" }));
    }
    return box;
  }

  function viewBbox(map) {
    var b = map.getBounds();
    var west = b.getWest(), east = b.getEast();
    if (east - west >= 360) { west = -180; east = 180; }
    else {
      west = ((west + 180) % 360 + 360) % 360 - 180;
      east = ((east + 180) % 360 + 360) % 360 - 180;
    }
    var south = Math.max(-90, b.getSouth()), north = Math.min(90, b.getNorth());
    return [west, south, east, north].map(function (v) { return v.toFixed(5); }).join(",");
  }

  function query(opts, extra) {
    var params = new URLSearchParams(extra);
    if (opts.country) params.set("country", opts.country);
    if (opts.minDays) params.set("min_days", opts.minDays);
    if (opts.participating) params.set("participating", "1");
    if (opts.honors) params.set("honors", opts.honors);
    else if (opts.hideDeclined) params.set("hide_declined", "1");
    if (opts.home) params.set("home", opts.home);
    if (opts.distance && opts.distance.lang) params.set("lang", opts.distance.lang);  // the page's language
    // The visit's dates give each verdict its possible days: the list keeps them after every move.
    if (opts.home && opts.dateFrom && opts.dateTo) {
      params.set("date_from", opts.dateFrom);
      params.set("date_to", opts.dateTo);
    }
    return opts.api + "?" + params.toString();
  }

  /* From this zoom (a city) the server sends every space as a marker; only markers that would
   * cover each other are grouped, and a group of stacked ones spreads out on a click. */
  var CITY_ZOOM = 10;

  /* A group on the map: its count drawn, and a name for keyboards and screen readers
   * ("12 spaces here: press Enter to zoom in"). */
  function clusterIcon(count, opts) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    var box = el("div", null, { "data-count": String(count) });
    box.appendChild(el("span", count, { "aria-hidden": "true" }));
    var words = (opts.texts && opts.texts.cluster) || "{num}";
    box.appendChild(el("span", words.replace("{num}", count), { "class": "visually-hidden" }));
    return L.divIcon({ html: box, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
  }

  /* The list is what the map shows: the markers of the last view answer, nearest to the map's centre
   * first, and the count of everything in view (the grouped ones included). */
  function renderList(data, map, opts) {
    var list = document.getElementById("results");
    var status = document.getElementById("results-status");
    var heading = document.getElementById("results-heading");
    var nearest = document.getElementById("nearest-block");  // the server's "nearest beyond the radius"
    if (nearest) nearest.remove();  // belongs to the searched radius, not to the view the list now follows
    var center = map.getCenter();
    var spaces = (data.features || []).filter(function (f) { return !f.properties.cluster; }).map(function (f) {
      var c = f.geometry.coordinates;
      // The copy of the world in view, as the markers are drawn.
      var lon = c[0] + 360 * Math.round((center.lng - c[0]) / 360);
      return { f: f, km: center.distanceTo(L.latLng(c[1], lon)) / 1000 };
    }).sort(function (a, b) { return a.km - b.km; });
    var grouped = (data.total || 0) - spaces.length;
    list.replaceChildren();
    spaces.forEach(function (s) {
      var p = s.f.properties, v = p.verdict;
      var item = el("li", null, { "data-slug": p.slug });
      var thumb = thumbnailFor(p, true);
      if (thumb) item.appendChild(thumb);
      item.appendChild(el("a", p.name, { href: p.url, dir: "auto" }));
      // In the reader's unit and number format (opts.distance: the page's language, km or mi).
      var distance = (s.km * opts.distance.perKm).toLocaleString(opts.distance.lang, { maximumFractionDigits: 1 });
      item.appendChild(el("span", distance + " " + opts.distance.unit, { "class": "distance" }));
      item.appendChild(el("div", [p.city_name || p.city, p.country_name || p.country].filter(Boolean).join(", "), { "class": "where" }));
      if (p.tagline) item.appendChild(el("div", p.tagline, { "class": "tagline", dir: "auto" }));
      if (!v || v.honored !== false) item.appendChild(el("div", p.headline, { "class": "headline" }));
      item.appendChild(stateLine(p));
      if (p.terms_stale && markerState(p) !== "stale") {
        item.appendChild(el("div", p.terms_stale_text || opts.texts.stale + " " + (p.terms_confirmed_on || "?"), { "class": "warning stale" }));
      }
      if (v) {
        item.appendChild(el("div", v.summary, { "class": "verdict " + verdictState(v.honored) }));
        if (v.days_text) item.appendChild(el("div", v.days_text, { "class": "days" }));
      }
      list.appendChild(item);
    });
    var total = data.total || 0;
    heading.textContent = (total === 1 ? opts.texts.oneInView : opts.texts.manyInView).replace("{num}", total);
    status.textContent = !data.total ? opts.texts.none
      : grouped > 0 ? opts.texts.grouped.replace("{num}", grouped) : "";
  }

  /* A click, or Enter on the focused marker (Leaflet turns Enter into a popup only, not a click):
   * action(true) when it came from the keyboard. */
  function onActivate(marker, action) {
    marker.on("click", action);
    marker.on("keypress", function (e) { if (e.originalEvent.key === "Enter") action(true); });
  }

  function initSearch(map, opts) {
    staleText = (opts.texts && opts.texts.stale) || "";
    newTab = Boolean(opts.newTab);
    // A box or a country to show whole: Leaflet picks the zoom that holds it in this frame's size.
    if (opts.bounds) map.fitBounds(opts.bounds);
    addBasemap(map, opts.basemap);
    markPlace(map, opts.place);
    // The spaces' markers: in a plain layer until Leaflet.markercluster is in (the first markers need none),
    // then in a group that gathers those that would cover each other.
    var points = L.layerGroup().addTo(map);
    // Enter on a group: once the map has moved, the focus goes to the list of its spaces (the marker
    // that had it is gone, and the focus would fall back to <body>).
    var focusList = false;
    function listAfterMove() { focusList = true; }
    withExtras(function () {
      var grouped = L.markerClusterGroup({
        showCoverageOnHover: false, spiderfyOnMaxZoom: true,
        maxClusterRadius: function (zoom) { return zoom >= CITY_ZOOM ? 20 : 50; },
        iconCreateFunction: function (group) { return clusterIcon(group.getChildCount(), opts); }
      });
      grouped.on("clusterkeypress", function (e) {
        if (e.originalEvent.key !== "Enter") return;
        // As a click: spread the markers when they stand on one point (or the map is at its last zoom).
        var bounds = e.layer.getBounds();
        if (map.getZoom() >= map.getMaxZoom() || bounds.getNorthEast().equals(bounds.getSouthWest())) e.layer.spiderfy();
        else {
          listAfterMove();
          e.layer.zoomToBounds({ padding: [20, 20] });
        }
      });
      var drawn = points.getLayers();
      map.removeLayer(points);
      points = grouped.addLayers(drawn).addTo(map);
    });
    var clusters = L.layerGroup().addTo(map);
    var firstMove = true, pending = null;

    function refresh() {
      if (pending) pending.abort();
      pending = new AbortController();
      var zoom = map.getZoom();
      // The server's list (a radius around the searched place, with the nearest beyond it) stays until
      // the traveller moves the map; from then on the list is the answer the markers come from.
      var keepServerList = opts.listOff || (firstMove && opts.hasServerList);
      firstMove = false;
      fetch(query(opts, { bbox: viewBbox(map), zoom: zoom, limit: 300 }), { signal: pending.signal })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          draw(data, zoom);
          if (!keepServerList) renderList(data, map, opts);
          var pane = focusList && document.getElementById("results-pane");
          focusList = false;
          if (pane) pane.focus();
        })
        .catch(function (e) { if (e.name !== "AbortError") console.error(e); });
    }

    /* The markers and groups of a GeoJSON answer (*zoom*: the map's when it was asked). */
    function draw(data, zoom) {
      points.clearLayers();
      clusters.clearLayers();
      (data.features || []).forEach(function (f) {
        var c = f.geometry.coordinates, latlng = L.latLng(c[1], c[0]);
        if (f.properties.cluster) {
          var m = L.marker(latlng, { icon: clusterIcon(f.properties.count, opts), keyboard: true });
          onActivate(m, function (byKeyboard) {
            if (byKeyboard) listAfterMove();
            var bb = f.bbox;
            map.fitBounds([[bb[1], bb[0]], [bb[3], bb[2]]], { padding: [20, 20], maxZoom: zoom + 3 });
          });
          clusters.addLayer(m);
        } else {
          var marker = spaceMarker(latlng, f.properties);
          // Hover or focus shows the name and terms; a click (or Enter) opens the space page.
          marker.bindTooltip(popupFor(f.properties));
          onActivate(marker, function () { openSpace(f.properties.url); });
          points.addLayer(marker);
        }
      });
    }

    // The server's list, drawn at once (a slow network need not wait for the view's answer to show them);
    // the view's answer then replaces them.
    if (opts.initial) draw({ features: opts.initial }, map.getZoom());
    map.on("moveend", refresh);
    refresh();
    phoneLayout(map);

    var nearMe = document.getElementById("near-me");
    if (nearMe) {
      nearMe.addEventListener("click", function () {
        var status = document.getElementById("results-status");
        if (!navigator.geolocation) { status.textContent = opts.texts.geoUnavailable; return; }
        navigator.geolocation.getCurrentPosition(function (pos) {
          document.getElementById("near").value = pos.coords.latitude.toFixed(5) + "," + pos.coords.longitude.toFixed(5);
          var q = document.getElementById("q");
          if (q) q.value = "";
          nearMe.form.submit();
        }, function (err) { status.textContent = opts.texts.geoDenied + err.message; });
      });
    }
  }

  /* On a phone the results come first (map-loader.js folds the filters once a search is made), and one
   * button swaps the list and the map (Leaflet must measure its box again when the map comes back). */
  function phoneLayout(map) {
    var toggle = document.getElementById("view-toggle"), layout = document.getElementById("search-layout");
    if (!toggle || !layout) return;
    toggle.addEventListener("click", function () {
      var showMap = layout.classList.contains("list-first");
      layout.classList.toggle("list-first", !showMap);
      layout.classList.toggle("map-first", showMap);
      toggle.textContent = showMap ? toggle.dataset.showList : toggle.dataset.showMap;
      if (showMap) map.invalidateSize();
    });
  }

  /* Suggest listed spaces while the traveller types the name of their home space. */
  function homeAutocomplete(api) {
    var inputs = document.querySelectorAll("input[list=home-options]");
    var list = document.getElementById("home-options");
    if (!inputs.length || !list) return;
    var timer = null, pending = null;
    inputs.forEach(function (input) {
      input.addEventListener("input", function () {
        clearTimeout(timer);
        var text = input.value.trim();
        if (text.length < 2) return;
        timer = setTimeout(function () {
          if (pending) pending.abort();
          pending = new AbortController();
          // Every listed space, whatever its terms: a member's home space may not have stated its own yet.
          fetch(api + "?" + new URLSearchParams({ q: text, limit: 8 }), { signal: pending.signal })
            .then(function (r) { return r.json(); })
            .then(function (data) {
              list.replaceChildren();
              (data.features || []).forEach(function (f) {
                var option = document.createElement("option");
                option.value = f.properties.slug;
                option.label = isolate(f.properties.name) + " — " + (f.properties.city_name || f.properties.city) + ", " + (f.properties.country_name || f.properties.country);
                list.appendChild(option);
              });
            })
            .catch(function (e) { if (e.name !== "AbortError") console.error(e); });
        }, 200);
      });
    });
  }

  /* Named points from JSON, each with its state and the state's words (the server's presenters);
   * names become text nodes, never HTML. */
  function addMarkers(map, points) {
    points.forEach(function (p) {
      var tip = el("div", null, { "class": "popup" });
      tip.appendChild(el("div", p.name, { "class": "name", dir: "auto" }));
      tip.appendChild(stateLine(p));
      spaceMarker([p.lat, p.lon], p).bindTooltip(tip).addTo(map);
    });
  }

  function addRings(map, points) {
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { radius: 6, color: "#8a4b00", weight: 2, fill: false })
        .bindTooltip(el("span", p.name, { dir: "auto" })).addTo(map);
    });
  }

  /* Coordinates as map apps give them: "38.7101, -9.1367", "38.7101° N, 9.1367° W", "geo:38.71,-9.13" or a
   * link with "@38.71,-9.13,17z". Returns [lat, lon] or null. */
  function parseCoordinates(text) {
    var at = text.match(/@(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)/);
    var parts = at ? [at[1], "", at[2], ""] : null;
    if (!parts) {
      var m = text.replace(/^geo:/i, "").match(
        /^\s*(-?\d+(?:\.\d+)?)\s*°?\s*([NS])?\s*[,;\s]\s*(-?\d+(?:\.\d+)?)\s*°?\s*([EW])?\s*$/i);
      if (!m) return null;
      parts = [m[1], m[2] || "", m[3], m[4] || ""];
    }
    var lat = parseFloat(parts[0]) * (/s/i.test(parts[1]) ? -1 : 1);
    var lon = parseFloat(parts[2]) * (/w/i.test(parts[3]) ? -1 : 1);
    if (!(Math.abs(lat) <= 90 && Math.abs(lon) <= 180)) return null;
    return [lat, lon];
  }

  /* The listing form: the pin follows the address as the host types; dragging it makes the position exact. */
  function pinPicker(elementId, opts) {
    var lat = document.getElementById("latitude"), lon = document.getElementById("longitude");
    var precision = document.getElementById("geocode_precision");
    var label = document.getElementById("precision-label"), status = document.getElementById("geocode-status");
    var start = opts.hasPoint ? [parseFloat(lat.value), parseFloat(lon.value)] : [25, 10];
    var map = L.map(elementId, { maxZoom: 19, minZoom: 1, worldCopyJump: true }).setView(start, opts.hasPoint ? 15 : 2);
    // A pin placed by hand is "exact" only when the host could see streets; on the offline basemap alone it
    // is "pinned" (approximate), and typed or pasted coordinates are the way to an exact position.
    var streets = false, noStreets = document.getElementById("no-streets");
    if (opts.tileUrl) {
      L.tileLayer(opts.tileUrl, { attribution: opts.tileAttribution, maxZoom: 19 })
        .on("tileload", function () { streets = true; if (noStreets) noStreets.hidden = true; })
        .on("tileerror", function () { if (!streets && noStreets) noStreets.hidden = false; })
        .addTo(map);
    }
    addBasemap(map, opts.basemap);
    // No pin until there is a point: the address found one, or the host clicks the map
    // (the way to place a space whose address the geocoder does not know).
    var marker = L.marker(start, { draggable: true, autoPan: true, title: "pin", icon: spaceIcon("pin") });
    if (opts.hasPoint) marker.addTo(map);
    map.on("click", function (event) {
      marker.setLatLng(event.latlng).addTo(map);
      place(event.latlng.wrap(), streets ? "exact" : "pinned");
      status.textContent = "";
    });

    function setPrecision(value) {
      precision.value = value;
      label.textContent = opts.precisionLabels[value] || value;
    }
    function place(latlng, value) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      setPrecision(value);
    }
    marker.on("dragend", function () {
      place(marker.getLatLng().wrap(), streets ? "exact" : "pinned");
      status.textContent = "";
    });
    var typed = document.getElementById("coordinates");
    if (typed) {
      typed.addEventListener("change", function () {
        if (!typed.value.trim()) return;
        var point = parseCoordinates(typed.value);
        typed.setAttribute("aria-invalid", point ? "false" : "true");
        if (!point) { status.textContent = opts.texts.badCoordinates; return; }
        var latlng = L.latLng(point[0], point[1]);
        marker.setLatLng(latlng).addTo(map);
        map.setView(latlng, 16);
        place(latlng, "exact");
        status.textContent = "";
      });
    }

    var ids = ["address_line1", "postcode", "city", "region"];
    var country = document.getElementById("country_code");
    function query() {
      var parts = [document.getElementById("address_line1").value,
                   (document.getElementById("postcode").value + " " + document.getElementById("city").value).trim(),
                   document.getElementById("region").value,
                   country.selectedIndex > 0 ? country.options[country.selectedIndex].text : ""];
      return parts.filter(function (p) { return p && p.trim(); }).join(", ");
    }
    var timer = null, pending = null;
    function lookup() {
      var q = query();
      if (!document.getElementById("city").value.trim()) return;
      if (pending) pending.abort();
      pending = new AbortController();
      fetch(opts.geocode + "?" + new URLSearchParams({ q: q }), { signal: pending.signal })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok) { status.textContent = opts.texts.notFound; return; }
          var found = L.latLng(answer.body.lat, answer.body.lon);
          marker.setLatLng(found).addTo(map);
          map.setView(found, answer.body.precision === "country" ? 5 : answer.body.precision === "region" ? 8 : 14);
          place(found, answer.body.precision);
          status.textContent = opts.texts.found + " " + answer.body.label;
        })
        .catch(function (e) { if (e.name !== "AbortError") status.textContent = opts.texts.notFound; });
    }
    ids.forEach(function (id) {
      document.getElementById(id).addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 600); });
    });
    country.addEventListener("change", lookup);
    return map;
  }

  window.VisaMap = { addBasemap: addBasemap, markPlace: markPlace, initSearch: initSearch, homeAutocomplete: homeAutocomplete,
                     pinPicker: pinPicker, addMarkers: addMarkers, addRings: addRings };
})();
