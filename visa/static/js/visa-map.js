/* Map behaviour for the directory: offline basemap, markers by viewport, result list.
 * Every text from the server is put into the page with textContent, never as HTML:
 * names and terms are written by hosts. */
(function () {
  "use strict";

  function addBasemap(map, url) {
    return fetch(url).then(function (r) { return r.json(); }).then(function (topo) {
      var countries = topojson.feature(topo, topo.objects.countries);
      var layer = L.geoJSON(countries, {
        interactive: false,
        style: { color: "#7d8790", weight: 0.7, fillColor: "#f3f1ea", fillOpacity: 1 }
      });
      map.createPane("basemap");
      map.getPane("basemap").style.zIndex = 150;  // under tiles (200) when a tile server is set
      layer.options.pane = "basemap";
      layer.eachLayer(function (l) { l.options.pane = "basemap"; });
      layer.addTo(map);
    });
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  var staleText = "";

  function popupFor(props) {
    var box = el("div", null, { "class": "popup" });
    var link = el("a", props.name, { href: props.url });
    box.appendChild(link);
    box.appendChild(el("div", props.city + ", " + props.country));
    box.appendChild(el("div", props.headline, { "class": "headline" }));
    if (props.verdict) {
      box.appendChild(el("div", props.verdict.summary, { "class": "verdict " + (props.verdict.honored ? "yes" : "no") }));
    }
    if (props.terms_stale && (props.terms_stale_text || staleText)) {
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
    if (opts.honors) params.set("honors", opts.honors);
    if (opts.home) params.set("home", opts.home);
    return opts.api + "?" + params.toString();
  }

  function clusterIcon(count) {
    var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
    return L.divIcon({
      html: "<div><span>" + Number(count) + "</span></div>",
      className: "marker-cluster marker-cluster-" + size,
      iconSize: L.point(40, 40)
    });
  }

  function renderList(features, center, opts) {
    var list = document.getElementById("results");
    var status = document.getElementById("results-status");
    var heading = document.getElementById("results-heading");
    list.replaceChildren();
    features.forEach(function (f) {
      var p = f.properties;
      var item = el("li", null, { "data-slug": p.slug });
      item.appendChild(el("a", p.name, { href: p.url }));
      item.appendChild(el("span", p.distance_km.toFixed(1) + " " + opts.texts.km, { "class": "distance" }));
      item.appendChild(el("div", p.city + ", " + p.country, { "class": "where" }));
      item.appendChild(el("div", p.headline, { "class": "headline" }));
      if (p.verdict) item.appendChild(el("div", p.verdict.summary, { "class": "verdict " + (p.verdict.honored ? "yes" : "no") }));
      if (p.terms_stale) {
        item.appendChild(el("div", p.terms_stale_text || opts.texts.stale + " " + (p.terms_confirmed_on || "?"), { "class": "warning stale" }));
      }
      list.appendChild(item);
    });
    heading.textContent = features.length + " " + opts.texts.spacesInView;
    status.textContent = features.length ? "" : opts.texts.none;
  }

  function initSearch(map, opts) {
    staleText = (opts.texts && opts.texts.stale) || "";
    addBasemap(map, opts.basemap);
    var points = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 50 });
    var clusters = L.layerGroup();
    points.addTo(map);
    clusters.addTo(map);
    var firstMove = true, pending = null;

    function refresh() {
      if (pending) pending.abort();
      pending = new AbortController();
      var signal = pending.signal;
      var zoom = map.getZoom();
      fetch(query(opts, { bbox: viewBbox(map), zoom: zoom, limit: 300 }), { signal: signal })
        .then(function (r) { return r.json(); })
        .then(function (data) {
          points.clearLayers();
          clusters.clearLayers();
          (data.features || []).forEach(function (f) {
            var c = f.geometry.coordinates, latlng = L.latLng(c[1], c[0]);
            if (f.properties.cluster) {
              var m = L.marker(latlng, { icon: clusterIcon(f.properties.count), keyboard: true,
                                         title: String(f.properties.count) });
              m.on("click", function () {
                var bb = f.bbox;
                map.fitBounds([[bb[1], bb[0]], [bb[3], bb[2]]], { padding: [20, 20], maxZoom: zoom + 3 });
              });
              clusters.addLayer(m);
            } else {
              var marker = L.marker(latlng, { title: f.properties.name, alt: f.properties.name });
              // Hover or focus shows the name and terms; a click (or Enter) opens the space page.
              marker.bindTooltip(popupFor(f.properties));
              marker.on("click", function () { window.location.assign(f.properties.url); });
              points.addLayer(marker);
            }
          });
          document.getElementById("map-pane-status") &&
            (document.getElementById("map-pane-status").textContent = data.total);
        })
        .catch(function (e) { if (e.name !== "AbortError") console.error(e); });
      if (opts.listOff || (firstMove && opts.hasServerList)) { firstMove = false; return; }
      firstMove = false;
      if (zoom < 6) return;  // the list is for a city or region, not a continent
      var center = map.getCenter().wrap();
      var radius = Math.min(500, map.getBounds().getNorthEast().distanceTo(center) / 1000);
      fetch(query(opts, { near: center.lat.toFixed(5) + "," + center.lng.toFixed(5),
                          radius_km: Math.max(radius, 1).toFixed(1), limit: 50 }), { signal: signal })
        .then(function (r) { return r.json(); })
        .then(function (data) { renderList(data.features || [], center, opts); })
        .catch(function (e) { if (e.name !== "AbortError") console.error(e); });
    }

    map.on("moveend", refresh);
    refresh();

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
          // min_days=1: only spaces that take part in the visa now can be a home space worth choosing.
          fetch(api + "?" + new URLSearchParams({ q: text, limit: 8, min_days: 1 }), { signal: pending.signal })
            .then(function (r) { return r.json(); })
            .then(function (data) {
              list.replaceChildren();
              (data.features || []).forEach(function (f) {
                var option = document.createElement("option");
                option.value = f.properties.slug;
                option.label = f.properties.name + " — " + f.properties.city + ", " + f.properties.country;
                list.appendChild(option);
              });
            })
            .catch(function (e) { if (e.name !== "AbortError") console.error(e); });
        }, 200);
      });
    });
  }

  /* Named points from JSON; names become text nodes, never HTML. */
  function addMarkers(map, points) {
    points.forEach(function (p) {
      L.marker([p.lat, p.lon], { title: p.name, alt: p.name }).bindTooltip(el("span", p.name)).addTo(map);
    });
  }

  function addRings(map, points) {
    points.forEach(function (p) {
      L.circleMarker([p.lat, p.lon], { radius: 6, color: "#8a4b00", weight: 2, fill: false })
        .bindTooltip(el("span", p.name)).addTo(map);
    });
  }

  /* The listing form: the pin follows the address as the host types; dragging it makes the position exact. */
  function pinPicker(elementId, opts) {
    var lat = document.getElementById("latitude"), lon = document.getElementById("longitude");
    var precision = document.getElementById("geocode_precision");
    var label = document.getElementById("precision-label"), status = document.getElementById("geocode-status");
    var start = opts.hasPoint ? [parseFloat(lat.value), parseFloat(lon.value)] : [25, 10];
    var map = L.map(elementId, { maxZoom: 19, minZoom: 1, worldCopyJump: true }).setView(start, opts.hasPoint ? 15 : 2);
    if (opts.tileUrl) L.tileLayer(opts.tileUrl, { attribution: opts.tileAttribution, maxZoom: 19 }).addTo(map);
    addBasemap(map, opts.basemap);
    // No pin until there is a point: the address found one, or the host clicks the map
    // (the way to place a space whose address the geocoder does not know).
    var marker = L.marker(start, { draggable: true, autoPan: true, title: "pin" });
    if (opts.hasPoint) marker.addTo(map);
    map.on("click", function (event) {
      marker.setLatLng(event.latlng).addTo(map);
      place(event.latlng.wrap(), "exact");
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
    marker.on("dragend", function () { place(marker.getLatLng().wrap(), "exact"); status.textContent = ""; });

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

  document.addEventListener("click", function (event) {
    if (event.target && event.target.matches("[data-print]")) window.print();  // no inline handlers under the CSP
  });

  window.VisaMap = { addBasemap: addBasemap, initSearch: initSearch, homeAutocomplete: homeAutocomplete,
                     pinPicker: pinPicker, addMarkers: addMarkers, addRings: addRings };
})();
