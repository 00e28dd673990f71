// The retrograd viewer: draws a laid-out graph once, then switches frames by changing a few texts
// and colours. No network, no libraries. Data: the JSON in <script id="rg-data">.
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var TEXT_PX = 12, LINE_PX = 16, PAD = 6, NOTE_PX = 12;
  var MIN_ZOOM = 9 / TEXT_PX;  // text never drawn below 9 px
  var MAX_ZOOM = 3;
  var data = JSON.parse(document.getElementById("rg-data").textContent);
  var root = document.getElementById("rg-viewer");

  function el(tag, attributes, parent) {
    var node = document.createElementNS(SVGNS, tag);
    for (var name in attributes) { node.setAttribute(name, attributes[name]); }
    if (parent) { parent.appendChild(node); }
    return node;
  }
  function html(tag, className, parent, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = text; }
    if (parent) { parent.appendChild(node); }
    return node;
  }

  // ------------------------------------------------------------------ controls and caption
  var bar = html("div", "rg-controls", root);
  function button(text, name) {
    var b = html("button", "rg-button", bar, text);
    b.type = "button"; b.setAttribute("data-action", name); b.title = text;
    return b;
  }
  var previous = button("\u25C0 " + data.words.previous, "previous");
  var play = button("\u25B6 " + data.words.play, "play");
  var next = button(data.words.next + " \u25B6", "next");
  var speedLabel = html("label", "rg-speed", bar, data.words.speed + " ");
  var speed = html("select", "", speedLabel);
  [0.5, 1, 2, 4].forEach(function (s) {
    var option = html("option", "", speed, s + "\u00D7"); option.value = String(s);
    if (s === 1) { option.selected = true; }
  });
  var slider = html("input", "rg-slider", bar);
  slider.type = "range"; slider.min = "0"; slider.max = String(data.frames.length - 1); slider.value = "0";
  slider.setAttribute("aria-label", data.words.frame);
  var counter = html("span", "rg-counter", bar);
  var zoomOut = button("\u2212", "zoom-out"); zoomOut.title = data.words.zoom_out;
  var zoomIn = button("+", "zoom-in"); zoomIn.title = data.words.zoom_in;
  var fit = button(data.words.fit, "fit");
  var caption = html("p", "rg-caption", root);
  if (data.note) { html("p", "rg-note", root, data.note); }

  // ------------------------------------------------------------------ the picture
  // Two layers: the many arrows are drawn once underneath; a frame changes only the layer on top
  // (boxes, the active arrows and their notes), so the browser repaints little.
  var viewport = html("div", "rg-viewport", root);
  var base = el("svg", { "class": "rg-svg rg-base", width: "100%", height: "100%" }, viewport);
  var svg = el("svg", { "class": "rg-svg rg-top", width: "100%", height: "100%" }, viewport);
  var baseWorld = el("g", { "class": "rg-world" }, base);
  var world = el("g", { "class": "rg-world" }, svg);
  var defs = el("defs", {}, svg);
  var baseDefs = el("defs", {}, base);
  var marker = el("marker", { id: "rg-head", viewBox: "0 0 10 10", refX: "10", refY: "5", markerWidth: "7",
    markerHeight: "7", orient: "auto-start-reverse" }, defs);
  el("path", { d: "M0,0 L10,5 L0,10 z", "class": "rg-head" }, marker);
  baseDefs.appendChild(marker);
  var markerActive = el("marker", { id: "rg-head-active", viewBox: "0 0 10 10", refX: "10", refY: "5",
    markerWidth: "6", markerHeight: "6", orient: "auto-start-reverse" }, defs);
  el("path", { d: "M0,0 L10,5 L0,10 z", "class": "rg-head-active" }, markerActive);

  data.clusters.forEach(function (c) {
    el("rect", { x: c.x, y: c.y, width: c.w, height: c.h, rx: 8, "class": "rg-cluster" }, baseWorld);
    var t = el("text", { x: c.x + c.w / 2, y: c.y + 15, "class": "rg-cluster-title", "text-anchor": "middle" }, baseWorld);
    t.textContent = c.title;
  });

  var arrows = {};
  var arrowLayer = el("g", { "class": "rg-arrows" }, baseWorld);
  var activeLayer = el("g", { "class": "rg-arrows rg-active-arrows" }, world);
  data.arrows.forEach(function (a) {
    var group = el("g", { "class": "rg-arrow", "data-key": a.key }, arrowLayer);
    var d = a.path + " L" + a.to[0] + "," + a.to[1];
    var path = el("path", { d: d, "class": "rg-edge", "marker-end": "url(#rg-head)" }, group);
    // Its red copy on top, shown while the arrow carries this frame's gradient; its notes beside it.
    var active = el("g", { "class": "rg-arrow rg-active", "data-key": a.key, display: "none" }, activeLayer);
    el("path", { d: d, "class": "rg-edge", "marker-end": "url(#rg-head-active)" }, active);
    var notes = el("g", { "class": "rg-arrow", "data-key": a.key }, activeLayer);
    arrows[a.key] = { spec: a, group: notes, active: active, path: path, note: null };
  });

  var boxes = {};
  var boxLayer = el("g", { "class": "rg-boxes" }, world);
  data.boxes.forEach(function (b) {
    var group = el("g", { "class": "rg-box rg-" + b.kind, id: "rg-" + b.key, "data-key": b.key }, boxLayer);
    var shape;
    if (b.kind === "op") {
      shape = el("ellipse", { cx: b.x + b.w / 2, cy: b.y + b.h / 2, rx: b.w / 2, ry: b.h / 2, "class": "rg-shape" }, group);
      var t = el("text", { x: b.x + b.w / 2, y: b.y + b.h / 2 + 4, "text-anchor": "middle", "class": "rg-op-text" }, group);
      t.textContent = b.title;
      boxes[b.key] = { spec: b, group: group, shape: shape, grads: [] };
      return;
    }
    shape = el("rect", { x: b.x, y: b.y, width: b.w, height: b.h, "class": "rg-shape" }, group);
    var y = b.y + PAD + TEXT_PX - 1;
    if (b.title) {
      var title = el("text", { x: b.x + PAD, y: y, "class": "rg-title" }, group);
      title.textContent = b.title; y += LINE_PX;
    }
    b.rows.forEach(function (row) {
      var t = el("text", { x: b.x + PAD, y: y, "class": "rg-row" }, group);
      t.textContent = row; y += LINE_PX;
      fitText(t, b.w - 2 * PAD);
    });
    boxes[b.key] = { spec: b, group: group, shape: shape, grads: [], nextY: y };
  });

  function fitText(node, width) {
    // Our widths are estimates: squeeze a text that would overflow its box rather than let it spill.
    if (node.hasAttribute("textLength")) { node.removeAttribute("textLength"); }
    // Measuring forces a layout: only for a text long enough to be at risk.
    if (node.textContent.length * 6.2 > width && node.getComputedTextLength() > width) {
      node.setAttribute("textLength", width); node.setAttribute("lengthAdjust", "spacingAndGlyphs");
    }
  }

  function setGrads(key, rows) {
    var box = boxes[key];
    if (!box || box.spec.kind === "op") { return; }
    var y = box.nextY;
    for (var k = 0; k < Math.max(rows.length, box.grads.length); k++) {
      if (k >= box.grads.length) {
        box.grads.push(el("text", { x: box.spec.x + PAD, y: y + k * LINE_PX, "class": "rg-grad" }, box.group));
      }
      // The layout reserved the widest of these texts over all frames: no measuring here.
      box.grads[k].textContent = k < rows.length ? rows[k] : "";
    }
  }

  function notePosition(arrow) {
    // Where the layout left room for the notes, or (dense pictures) a point near the arrow's tail.
    return arrow.spec.label || arrow.spec.near_tail;
  }

  function setNote(key, lines) {
    var arrow = arrows[key];
    if (!arrow) { return; }
    if (arrow.note) { arrow.group.removeChild(arrow.note); arrow.note = null; }
    if (!lines || !lines.length) { return; }
    var at = notePosition(arrow);
    var note = el("g", { "class": "rg-note-group" }, arrow.group);
    var back = el("rect", { "class": "rg-note-back" }, note);
    var top = at[1] - (lines.length * (NOTE_PX + 2)) / 2 + NOTE_PX - 1;
    // Laid-out labels are centred on their place; notes near a tail start there and run along the arrow.
    var anchor = arrow.spec.label ? "middle" : "start";
    lines.forEach(function (line, k) {
      var t = el("text", { x: at[0], y: top + k * (NOTE_PX + 2), "text-anchor": anchor, "class": "rg-note-text" }, note);
      t.textContent = line;
    });
    // The backing is sized from the text's length (measuring it would force a layout per note).
    var widest = 0;
    lines.forEach(function (line) { widest = Math.max(widest, line.length); });
    var width = widest * NOTE_PX * 0.56 + 6, height = lines.length * (NOTE_PX + 2) + 2;
    back.setAttribute("x", anchor === "middle" ? at[0] - width / 2 : at[0] - 3); back.setAttribute("y", top - NOTE_PX);
    back.setAttribute("width", width); back.setAttribute("height", height);
    arrow.note = note;
  }

  // ------------------------------------------------------------------ legend
  if (data.legend.length) {
    var legend = html("div", "rg-legend", root);
    html("span", "rg-legend-title", legend, data.legend_title);
    data.legend.forEach(function (entry) {
      var swatch = html("span", "rg-swatch", legend, entry[0]);
      swatch.style.background = entry[1];
      swatch.setAttribute("data-colour", entry[1]);
    });
  }

  // ------------------------------------------------------------------ zoom and pan
  var view = { scale: 1, x: 0, y: 0 };
  function apply() {
    var transform = "translate(" + view.x + "," + view.y + ") scale(" + view.scale + ")";
    world.setAttribute("transform", transform); baseWorld.setAttribute("transform", transform);
  }
  function zoomTo(scale, cx, cy) {
    scale = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, scale));
    if (cx === undefined) { cx = size.w / 2; cy = size.h / 2; }
    view.x = cx - (cx - view.x) * scale / view.scale;
    view.y = cy - (cy - view.y) * scale / view.scale;
    view.scale = scale; apply();
  }
  function fitAll() {
    measure();
    var w = size.w, h = size.h;
    // The whole picture when that keeps the text near its size, else the whole width; else full
    // size, panned to follow the highlight (a picture shrunk to 9 px text is hard to read).
    var whole = Math.min(1, (w - 16) / data.width, (h - 16) / data.height);
    var across = Math.min(1, (w - 16) / data.width);
    view.scale = whole >= 0.85 ? whole : across >= 0.85 ? across : 1;
    view.x = Math.max(8, (w - data.width * view.scale) / 2); view.y = 8; apply();
  }
  // The viewport's size, read once per resize: reading it after a frame's changes would force a layout.
  var size = { w: 800, h: 600 };
  function measure() { size.w = viewport.clientWidth || 800; size.h = viewport.clientHeight || 600; }
  window.addEventListener("resize", measure);
  function keepInView(key) {
    var box = boxes[key];
    if (!box) { return; }
    var b = box.spec, s = view.scale, w = size.w, h = size.h;
    var left = b.x * s + view.x, top = b.y * s + view.y, right = left + b.w * s, bottom = top + b.h * s;
    var margin = 24;
    var across = left < margin || right > w - margin, down = top < margin || bottom > h - margin;
    if (!across && !down) { return; }
    // Centred along the direction it left the view by (the other stays put, so the picture moves
    // little), but no further than the picture's edge: the viewport stays full of the picture.
    if (across) { view.x = clamp(w / 2 - (b.x + b.w / 2) * s, w - data.width * s - 8, 8); }
    if (down) { view.y = clamp(h / 2 - (b.y + b.h / 2) * s, h - data.height * s - 8, 8); }
    apply();
  }
  function clamp(value, low, high) {
    // Between low and high; a picture smaller than the viewport (low > high) is centred.
    return low > high ? (low + high) / 2 : Math.max(low, Math.min(high, value));
  }
  zoomIn.addEventListener("click", function () { zoomTo(view.scale * 1.25); });
  zoomOut.addEventListener("click", function () { zoomTo(view.scale / 1.25); });
  fit.addEventListener("click", fitAll);
  viewport.addEventListener("wheel", function (event) {
    event.preventDefault();
    if (event.ctrlKey || event.metaKey) {
      var r = viewport.getBoundingClientRect();
      zoomTo(view.scale * Math.exp(-event.deltaY / 300), event.clientX - r.left, event.clientY - r.top);
    } else {
      view.x -= event.deltaX; view.y -= event.deltaY; apply();
    }
  }, { passive: false });
  var drag = null;
  viewport.addEventListener("pointerdown", function (event) {
    drag = { x: event.clientX, y: event.clientY, vx: view.x, vy: view.y };
    viewport.setPointerCapture(event.pointerId); viewport.classList.add("rg-dragging");
  });
  viewport.addEventListener("pointermove", function (event) {
    if (!drag) { return; }
    view.x = drag.vx + event.clientX - drag.x; view.y = drag.vy + event.clientY - drag.y; apply();
  });
  function endDrag() { drag = null; viewport.classList.remove("rg-dragging"); }
  viewport.addEventListener("pointerup", endDrag);
  viewport.addEventListener("pointercancel", endDrag);

  // ------------------------------------------------------------------ frames
  var current = -1;
  var state = { highlight: [], active: [] };
  function applyDelta(frame) {
    var key;
    for (key in frame.grads) { setGrads(key, frame.grads[key]); }
    for (key in frame.fills) { if (boxes[key]) { boxes[key].shape.style.fill = frame.fills[key]; } }
    for (key in frame.notes) { setNote(key, frame.notes[key]); }
  }
  function mark(list, className, on) {
    list.forEach(function (key) {
      var item = boxes[key] || arrows[key];
      if (!item) { return; }
      if (arrows[key]) { item.active.setAttribute("display", on ? "inline" : "none"); }
      item.group.classList.toggle(className, on);
    });
  }
  function show(k) {
    var started = performance.now();
    k = Math.max(0, Math.min(data.frames.length - 1, k));
    if (k < current || current < 0) {
      for (var i = 0; i <= k; i++) { applyDelta(data.frames[i]); }
    } else {
      for (var j = current + 1; j <= k; j++) { applyDelta(data.frames[j]); }
    }
    mark(state.highlight, "rg-highlight", false); mark(state.active, "rg-active", false);
    var frame = data.frames[k];
    state = { highlight: frame.highlight, active: frame.active };
    mark(state.highlight, "rg-highlight", true); mark(state.active, "rg-active", true);
    current = k;
    slider.value = String(k);
    caption.textContent = frame.caption;
    counter.textContent = data.counter.replace("{k}", k).replace("{last}", data.frames.length - 1);
    if (frame.highlight.length) { keepInView(frame.highlight[0]); }
    root.setAttribute("data-frame", String(k));
    window.retrogradViewer.lastFrameMs = performance.now() - started;
    // Also the time until the browser has drawn the frame: the next animation frame, then a task.
    window.retrogradViewer.paintedMs = null;
    requestAnimationFrame(function () {
      setTimeout(function () { window.retrogradViewer.paintedMs = performance.now() - started; }, 0);
    });
  }

  var timer = null;
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = "\u25B6 " + data.words.play; play.setAttribute("aria-pressed", "false");
  }
  function start() {
    if (current >= data.frames.length - 1) { show(0); }
    play.textContent = "\u275A\u275A " + data.words.pause; play.setAttribute("aria-pressed", "true");
    timer = setInterval(function () {
      if (current >= data.frames.length - 1) { stop(); return; }
      show(current + 1);
    }, 900 / parseFloat(speed.value));
  }
  play.addEventListener("click", function () { if (timer === null) { start(); } else { stop(); } });
  speed.addEventListener("change", function () { if (timer !== null) { stop(); start(); } });
  previous.addEventListener("click", function () { stop(); show(current - 1); });
  next.addEventListener("click", function () { stop(); show(current + 1); });
  slider.addEventListener("input", function () { stop(); show(parseInt(slider.value, 10)); });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") { return; }
    if (event.target && event.target.tagName === "SELECT") { return; }
    // One press is one frame: the slider's own arrow-key step is cancelled.
    event.preventDefault();
    stop();
    show(current + (event.key === "ArrowRight" ? 1 : -1));
  });

  window.retrogradViewer = { show: show, frames: data.frames.length, get frame() { return current; },
    get zoom() { return view.scale; }, lastFrameMs: 0, paintedMs: null, build_seconds: data.build_seconds };
  fitAll();
  show(0);
})();
