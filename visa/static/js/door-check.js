// The door check: read a pass (camera or paste), check its signature on this device with WebCrypto Ed25519
// where the browser can, then ask the app (revocation, this host's verdict, a due check-in).
// The published keys come with the page, so the local check works even when the app is unreachable.
(function () {
  "use strict";
  var form = document.getElementById("door-form");
  if (!form) return;
  var texts = form.dataset;
  var line = document.getElementById("door-line");
  var verdictLine = document.getElementById("door-verdict");
  var note = document.getElementById("door-note");
  var checkin = document.getElementById("door-checkin");
  var tokenBox = document.getElementById("door-token");
  var jwks = JSON.parse(document.getElementById("door-jwks").textContent);
  var COMPACT = /[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/;

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_m, name) { return values[name] !== undefined ? values[name] : ""; });
  }
  function isolate(text) { return text ? "\u2068" + text + "\u2069" : ""; }
  function show(el, text, cls) {
    el.textContent = text;
    el.hidden = !text;
    if (cls !== undefined) el.className = "door-line " + cls;
  }
  function b64url(text) {
    var s = text.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  function today() {
    var d = new Date();
    return d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
  }
  function refused(code, day) {
    var why = texts["text" + code.replace(/(^|_)(\w)/g, function (_m, _u, c) { return c.toUpperCase(); })] || code;
    return fill(texts.textRefused, {why: fill(why, {day: day || ""})});
  }

  // {ok, line} from the token and the published keys alone, or null when this browser lacks Ed25519.
  async function checkLocally(token) {
    var parts = token.split(".");
    var header, payload;
    try {
      header = JSON.parse(new TextDecoder().decode(b64url(parts[0])));
      payload = JSON.parse(new TextDecoder().decode(b64url(parts[1])));
    } catch (err) {
      return {ok: false, line: refused("malformed")};
    }
    var jwk = jwks.keys.find(function (k) { return k.kid === header.kid; });
    if (!jwk || header.alg !== "Ed25519") return {ok: false, line: refused("unknown_key")};
    var key;
    try {
      key = await crypto.subtle.importKey("jwk", {kty: "OKP", crv: "Ed25519", x: jwk.x}, {name: "Ed25519"}, false, ["verify"]);
    } catch (err) {
      return null;  // no Ed25519 in this browser's WebCrypto
    }
    var signed = new TextEncoder().encode(parts[0] + "." + parts[1]);
    var good = await crypto.subtle.verify({name: "Ed25519"}, key, b64url(parts[2]), signed);
    if (!good) return {ok: false, line: refused("bad_signature")};
    var now = today();
    if (now < payload.valid_from) return {ok: false, line: refused("not_yet_valid", payload.valid_from)};
    if (now > payload.valid_to) return {ok: false, line: refused("expired", payload.valid_to)};
    // The names someone wrote are isolated (FSI ... PDI), as the app's own line isolates them.
    return {ok: true, line: fill(texts.textValid, {name: isolate(payload.name), home: isolate(payload.home.name),
                                                   day: payload.valid_to})};
  }

  async function check(text) {
    var found = COMPACT.exec(text || "");
    var token = found ? found[0] : "";
    show(verdictLine, ""); show(note, ""); checkin.hidden = true;
    var local = token ? await checkLocally(token) : {ok: false, line: refused("malformed")};
    if (local) {
      show(line, local.line, local.ok ? "ok" : "refused");
      show(note, texts.textLocal);
    } else {
      show(note, texts.textNoWebcrypto);
    }
    var body = new FormData(form);
    body.set("token", token);
    var answer;
    try {
      var response = await fetch(form.action, {method: "POST", body: body, credentials: "same-origin",
                                                headers: {"Accept": "application/json"}});
      answer = await response.json();
    } catch (err) {
      show(note, texts.textOffline);
      return;
    }
    show(line, answer.line, answer.ok ? "ok" : "refused");
    if (answer.verdict) show(verdictLine, answer.verdict.line);
    if (answer.check_in) {
      if (answer.check_in.already) {
        show(note, texts.textCheckedIn);
      } else {
        checkin.action = answer.check_in.url;
        checkin.hidden = false;
      }
    }
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    check(tokenBox.value);
  });

  // The camera: BarcodeDetector where the browser has it, jsQR (served by the app) elsewhere.
  var video = document.getElementById("door-video");
  var canvas = document.getElementById("door-canvas");
  var scanning = false;
  async function scan() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { show(note, texts.textNoCamera); return; }
    var stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}});
    } catch (err) {
      show(note, texts.textNoCamera);
      return;
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    show(note, texts.textScanning);
    scanning = true;
    var detector = ("BarcodeDetector" in window) ? new window.BarcodeDetector({formats: ["qr_code"]}) : null;
    var context = canvas.getContext("2d", {willReadFrequently: true});
    async function frame() {
      if (!scanning) return;
      var text = null;
      try {
        if (detector) {
          var codes = await detector.detect(video);
          if (codes.length) text = codes[0].rawValue;
        } else if (video.videoWidth && window.jsQR) {
          canvas.width = video.videoWidth; canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0);
          var image = context.getImageData(0, 0, canvas.width, canvas.height);
          var code = window.jsQR(image.data, image.width, image.height);
          if (code) text = code.data;
        }
      } catch (err) { text = null; }
      if (text) {
        scanning = false;
        stream.getTracks().forEach(function (t) { t.stop(); });
        video.hidden = true;
        tokenBox.value = text;
        check(text);
        return;
      }
      requestAnimationFrame(frame);
    }
    requestAnimationFrame(frame);
  }
  document.getElementById("door-scan").addEventListener("click", scan);
})();
