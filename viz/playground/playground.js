// The playground's page side: draws the numbers the kernel sends and turns clicks into settings.
// The kernel trains; this file only paints heatmaps on canvases, edges in SVG, and the controls.
// Model traits (see widget.py): controls, playing, frame, grids, points, notice, labels, options, inspection.

const SVG = "http://www.w3.org/2000/svg";
const NODE = 34; // px, the side of a neuron's heatmap
const ROW = 44; // px between neurons of a column
const OUTPUT = 280; // px, the side of the output heatmap
const LEFT = 56; // px left of the features, for their names

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function svgElement(tag, attributes) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  return node;
}

function hexColour(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

// The bytes trait arrives as a DataView (Jupyter) or an ArrayBuffer / typed array (other hosts).
function asFloats(value) {
  if (!value) return new Float32Array(0);
  if (value instanceof ArrayBuffer) return new Float32Array(value.slice(0));
  const start = value.byteOffset || 0;
  return new Float32Array(value.buffer.slice(start, start + value.byteLength));
}

function format(x, digits) {
  if (x === null || x === undefined || !Number.isFinite(x)) return "–";
  if (x !== 0 && Math.abs(x) < 1e-3) return x.toExponential(2);
  return x.toFixed(digits === undefined ? 3 : digits);
}

function render({ model, el }) {
  const labels = () => model.get("labels");
  const options = () => model.get("options");
  const controls = () => model.get("controls");
  const t = (key, fields) => {
    let text = labels()[key] || key;
    for (const [name, value] of Object.entries(fields || {})) text = text.split(`{${name}}`).join(String(value));
    return text;
  };
  const [positive, negative] = (() => {
    const colours = options().colours || { positive: "#e67e22", negative: "#2b7bba" };
    return [hexColour(colours.positive), hexColour(colours.negative)];
  })();

  // A value in [-1, 1] as a colour: negative blue, 0 white, positive orange.
  function colour(value, discretize) {
    let v = Math.max(-1, Math.min(1, Number.isFinite(value) ? value : 0));
    if (discretize) v = v > 0 ? 1 : v < 0 ? -1 : 0;
    const target = v >= 0 ? positive : negative;
    const a = Math.abs(v);
    return [255 + (target[0] - 255) * a, 255 + (target[1] - 255) * a, 255 + (target[2] - 255) * a];
  }

  function cssColour(value) {
    const [r, g, b] = colour(value, false);
    return `rgb(${r | 0},${g | 0},${b | 0})`;
  }

  // Change one setting: the kernel checks it, and puts the old one back with a notice if refused.
  function setControl(name, value) {
    model.set("controls", { ...controls(), [name]: value });
    model.save_changes();
  }

  // ---------------------------------------------------------------- the frame of the page
  el.classList.add("rgp");
  const root = element("div", "rgp-root");
  el.appendChild(root);
  const top = element("div", "rgp-top");
  const main = element("div", "rgp-main");
  const notice = element("div", "rgp-notice");
  notice.setAttribute("role", "alert");
  const inspection = element("div", "rgp-inspection");
  root.append(top, main, notice, inspection);

  // ---- the top bar: run buttons, epoch, the settings of training
  const playButton = element("button", "rgp-play");
  const stepButton = element("button", "rgp-step");
  const resetButton = element("button", "rgp-reset");
  const epochBox = element("div", "rgp-epoch");
  const epochLabel = element("span", "rgp-caption");
  const epochValue = element("span", "rgp-epoch-value", "0");
  epochBox.append(epochLabel, epochValue);
  top.append(resetButton, playButton, stepButton, epochBox);

  function selectControl(name, values, describe) {
    const box = element("label", "rgp-field");
    const caption = element("span", "rgp-caption");
    const select = element("select", `rgp-${name.replace(/_/g, "-")}`);
    select.addEventListener("change", () => {
      const value = values()[select.selectedIndex];
      setControl(name, value);
    });
    box.append(caption, select);
    return {
      box,
      refresh() {
        caption.textContent = t(name);
        const current = controls()[name];
        const list = values();
        select.replaceChildren(...list.map((value) => element("option", "", describe(value))));
        select.selectedIndex = list.findIndex((value) => value === current);
      },
    };
  }

  const topSelects = [
    selectControl("learning_rate", () => options().learning_rates, (v) => String(v)),
    selectControl("activation", () => options().activations, (v) => t(v)),
    selectControl("regularization", () => options().regularizations, (v) => t(v)),
    selectControl("regularization_rate", () => options().regularization_rates, (v) => String(v)),
    selectControl("problem", () => options().problems, (v) => t(v)),
  ];
  for (const control of topSelects) top.appendChild(control.box);

  // ---- left column: data
  const dataColumn = element("div", "rgp-column rgp-data");
  const dataTitle = element("h4");
  const dataButtons = element("div", "rgp-data-sets");
  dataColumn.append(dataTitle, dataButtons);

  function sliderControl(name, low, high, step, unit) {
    const box = element("label", "rgp-field");
    const caption = element("span", "rgp-caption");
    const input = element("input", `rgp-${name.replace(/_/g, "-")}`);
    Object.assign(input, { type: "range", min: low, max: high, step });
    input.addEventListener("change", () => setControl(name, Number(input.value)));
    input.addEventListener("input", () => { caption.textContent = `${t(name)}: ${input.value}${unit}`; });
    box.append(caption, input);
    return {
      box,
      refresh() {
        input.value = controls()[name];
        caption.textContent = `${t(name)}: ${controls()[name]}${unit}`;
      },
    };
  }
  const sliders = [
    sliderControl("train_ratio", 10, 90, 10, "%"),
    sliderControl("noise", 0, 50, 5, ""),
    sliderControl("batch_size", 1, 30, 1, ""),
  ];
  for (const control of sliders) dataColumn.appendChild(control.box);
  const seedBox = element("label", "rgp-field");
  const seedCaption = element("span", "rgp-caption");
  const seedInput = element("input", "rgp-seed");
  Object.assign(seedInput, { type: "number", min: 0, step: 1 });
  seedInput.addEventListener("change", () => setControl("seed", Number(seedInput.value)));
  seedBox.append(seedCaption, seedInput);
  dataColumn.appendChild(seedBox);

  // ---- middle column: features, hidden layers, output neuron
  const networkColumn = element("div", "rgp-column rgp-network");
  const networkHeader = element("div", "rgp-network-header");
  const addLayer = element("button", "rgp-add-layer", "+");
  const removeLayer = element("button", "rgp-remove-layer", "−");
  const layerCount = element("span", "rgp-layer-count");
  networkHeader.append(addLayer, removeLayer, layerCount);
  const stage = element("div", "rgp-stage");
  const edgesSvg = svgElement("svg", { class: "rgp-wires" });
  stage.appendChild(edgesSvg);
  networkColumn.append(networkHeader, stage);
  const tooltip = element("div", "rgp-tooltip");
  stage.appendChild(tooltip);

  addLayer.addEventListener("click", () => {
    const hidden = controls().hidden;
    setControl("hidden", [...hidden, hidden.length ? hidden[hidden.length - 1] : 2]);
  });
  removeLayer.addEventListener("click", () => setControl("hidden", controls().hidden.slice(0, -1)));

  // ---- right column: output, losses, curve, view options
  const outputColumn = element("div", "rgp-column rgp-output");
  const outputTitle = element("h4");
  const losses = element("div", "rgp-losses");
  const outputBox = element("div", "rgp-output-box");
  const outputCanvas = element("canvas", "rgp-output-map");
  const pointsCanvas = element("canvas", "rgp-points");
  pointsCanvas.width = pointsCanvas.height = OUTPUT;
  outputBox.append(outputCanvas, pointsCanvas);
  const curve = svgElement("svg", { class: "rgp-curve", viewBox: "0 0 280 60", width: 280, height: 60 });
  const trainLine = svgElement("polyline", { class: "rgp-curve-train", fill: "none" });
  const testLine = svgElement("polyline", { class: "rgp-curve-test", fill: "none" });
  curve.append(trainLine, testLine);
  const viewOptions = element("div", "rgp-view");

  function checkboxControl(name) {
    const box = element("label", "rgp-check");
    const input = element("input", `rgp-${name.replace(/_/g, "-")}`);
    input.type = "checkbox";
    const caption = element("span");
    input.addEventListener("change", () => setControl(name, input.checked));
    box.append(input, caption);
    return { box, refresh() { input.checked = controls()[name]; caption.textContent = t(name); } };
  }
  const checks = [checkboxControl("show_test_data"), checkboxControl("discretize")];
  const edgeSelect = selectControl("edges", () => options().edge_modes, (v) => t(v));
  const inspectButton = element("button", "rgp-inspect");
  const hint = element("div", "rgp-hint");
  const rate = element("div", "rgp-rate");
  viewOptions.append(...checks.map((c) => c.box), edgeSelect.box, inspectButton, hint, rate);
  outputColumn.append(outputTitle, losses, outputBox, curve, viewOptions);
  main.append(dataColumn, networkColumn, outputColumn);

  // ---------------------------------------------------------------- controls <- state
  function refreshControls() {
    playButton.textContent = model.get("playing") ? `❚❚ ${t("pause")}` : `▶ ${t("play")}`;
    playButton.classList.toggle("rgp-playing", model.get("playing"));
    stepButton.textContent = t("step");
    resetButton.textContent = t("reset");
    epochLabel.textContent = labels().epoch || "epoch";
    for (const control of [...topSelects, ...sliders, ...checks, edgeSelect]) control.refresh();
    dataTitle.textContent = t("data_set");
    const state = controls();
    dataButtons.replaceChildren(
      ...options().data_sets[state.problem].map((name) => {
        const button = element("button", `rgp-data-set${name === state.data_set ? " rgp-selected" : ""}`, t(name));
        button.dataset.name = name;
        button.addEventListener("click", () => setControl("data_set", name));
        return button;
      }),
    );
    seedCaption.textContent = t("seed");
    seedInput.value = state.seed;
    addLayer.title = t("add_layer");
    removeLayer.title = t("remove_layer");
    layerCount.textContent = `${t("hidden")}: ${state.hidden.length}`;
    outputTitle.textContent = t("output");
    inspectButton.textContent = t("inspect");
    root.dataset.state = JSON.stringify(state);
  }

  // ---------------------------------------------------------------- the network picture
  let structure = "";
  let nodes = []; // per column: [{box, canvas}], column 0 = all features
  let edgePaths = []; // per layer: [[path per input] per output]
  let hovered = null; // [layer, j, i] of the edge under the mouse
  let hoveredNode = null; // the neuron under the mouse

  function columnX(c, columns, width) {
    return LEFT + (c * (width - NODE - LEFT - 10)) / Math.max(1, columns - 1);
  }

  function buildNetwork(frame) {
    const state = { features: frame.features, hidden: frame.layers.slice(1, -1) };
    const allFeatures = options().features;
    const columns = [allFeatures.length, ...state.hidden, 1];
    const height = Math.max(...columns) * ROW + 40;
    // As wide as the column allows (JupyterLab's side panel may take a third of the window), never
    // narrower than a node and a gap per column.
    const least = LEFT + NODE + 10 + 46 * (columns.length - 1);
    const roomy = LEFT + NODE + 10 + 90 * (columns.length - 1);
    const width = Math.max(least, Math.min(roomy, networkColumn.clientWidth - 4));
    stage.style.width = `${width}px`;
    stage.style.height = `${height}px`;
    edgesSvg.setAttribute("width", width);
    edgesSvg.setAttribute("height", height);
    for (const column of nodes) for (const node of column) node.box.remove();
    for (const old of stage.querySelectorAll(".rgp-layer-buttons")) old.remove();
    edgesSvg.replaceChildren();
    nodes = columns.map((count, c) => {
      const list = [];
      for (let k = 0; k < count; k++) {
        const box = element("div", "rgp-node");
        const canvas = element("canvas");
        box.appendChild(canvas);
        box.style.left = `${columnX(c, columns.length, width)}px`;
        box.style.top = `${34 + k * ROW}px`;
        if (c === 0) {
          const name = allFeatures[k];
          box.classList.add("rgp-feature");
          box.dataset.feature = name;
          box.classList.toggle("rgp-off", !state.features.includes(name));
          const caption = element("span", "rgp-feature-name", t(name));
          box.appendChild(caption);
          box.addEventListener("click", () => {
            const now = controls().features;
            setControl("features", now.includes(name) ? now.filter((f) => f !== name) : [...now, name]);
          });
        } else if (c === columns.length - 1) {
          box.classList.add("rgp-output-node");
        } else {
          box.classList.add("rgp-hidden-node");
        }
        stage.appendChild(box);
        const node = { box, canvas, column: c };
        box.addEventListener("mouseenter", () => { hoveredNode = node; paintFrame(); });
        box.addEventListener("mouseleave", () => { hoveredNode = null; paintFrame(); });
        list.push(node);
      }
      return list;
    });
    // One pair of +/- buttons per hidden layer, over its column.
    state.hidden.forEach((count, layer) => {
      const buttons = element("div", "rgp-layer-buttons");
      buttons.style.left = `${columnX(layer + 1, columns.length, width) + NODE / 2}px`;
      const plus = element("button", "rgp-add-neuron", "+");
      const minus = element("button", "rgp-remove-neuron", "−");
      plus.title = t("add_neuron");
      minus.title = t("remove_neuron");
      const caption = element("span", "rgp-neurons", t("neurons", { count }));
      plus.addEventListener("click", () => {
        const hidden = [...controls().hidden];
        hidden[layer] += 1;
        setControl("hidden", hidden);
      });
      minus.addEventListener("click", () => {
        const hidden = [...controls().hidden];
        hidden[layer] -= 1;
        setControl("hidden", hidden.filter((n) => n > 0));
      });
      const row = element("div", "rgp-layer-row");
      row.append(plus, minus);
      buttons.append(row, caption);
      stage.appendChild(buttons);
    });
    // Edges: from the chosen features (column 0 keeps only those) to each layer's neurons.
    const sources = [state.features.map((f) => allFeatures.indexOf(f))];
    for (const count of [...state.hidden, 1]) sources.push([...Array(count).keys()]);
    edgePaths = [];
    for (let layer = 0; layer < sources.length - 1; layer++) {
      const rows = [];
      for (let j = 0; j < sources[layer + 1].length; j++) {
        const row = [];
        for (let i = 0; i < sources[layer].length; i++) {
          const x1 = columnX(layer, columns.length, width) + NODE;
          const y1 = 34 + sources[layer][i] * ROW + NODE / 2;
          const x2 = columnX(layer + 1, columns.length, width);
          const y2 = 34 + sources[layer + 1][j] * ROW + NODE / 2;
          const middle = (x1 + x2) / 2;
          const d = `M${x1},${y1} C${middle},${y1} ${middle},${y2} ${x2},${y2}`;
          const path = svgElement("path", { d, class: "rgp-edge", fill: "none" });
          const target = svgElement("path", { d, class: "rgp-edge-target", fill: "none" });
          target.dataset.layer = layer;
          target.dataset.to = j;
          target.dataset.from = i;
          target.addEventListener("mouseenter", (event) => { hovered = [layer, j, i]; showTooltip(event); });
          target.addEventListener("mousemove", (event) => showTooltip(event));
          target.addEventListener("mouseleave", () => { hovered = null; tooltip.style.display = "none"; });
          edgesSvg.append(path, target);
          row.push({ path, target });
        }
        rows.push(row);
      }
      edgePaths.push(rows);
    }
  }

  function edgeText(layer, j, i) {
    const frame = model.get("frame");
    const weight = frame.weights[layer][j][i];
    if (controls().edges === "gradient") {
      return t("edge_gradient", { value: format(frame.gradients[layer][j][i], 4), weight: format(weight, 3) });
    }
    return t("edge_weight", { value: format(weight, 3) });
  }

  function showTooltip(event) {
    if (!hovered) return;
    const box = stage.getBoundingClientRect();
    tooltip.textContent = edgeText(...hovered);
    tooltip.style.left = `${event.clientX - box.left + 12}px`;
    tooltip.style.top = `${event.clientY - box.top + 12}px`;
    tooltip.style.display = "block";
  }

  function paint(canvas, values, offset, resolution, discretize) {
    if (canvas.width !== resolution) canvas.width = canvas.height = resolution;
    const context = canvas.getContext("2d");
    const image = context.createImageData(resolution, resolution);
    const pixels = image.data;
    for (let p = 0; p < resolution * resolution; p++) {
      const [r, g, b] = colour(values[offset + p], discretize);
      pixels[4 * p] = r;
      pixels[4 * p + 1] = g;
      pixels[4 * p + 2] = b;
      pixels[4 * p + 3] = 255;
    }
    context.putImageData(image, 0, 0);
  }

  function drawEdges(frame) {
    const gradients = controls().edges === "gradient";
    const matrices = gradients ? frame.gradients : frame.weights;
    edgePaths.forEach((rows, layer) => rows.forEach((row, j) => row.forEach(({ path, target }, i) => {
      const value = matrices[layer][j][i];
      // Weights: width grows with |w|. Gradients: on a log scale, so 1e-6 and 1e-1 both show.
      const size = gradients
        ? Math.max(0, Math.min(1, (Math.log10(Math.abs(value) + 1e-12) + 6) / 6))
        : Math.min(1, Math.abs(value) / 2);
      path.setAttribute("stroke-width", (0.6 + 5.4 * size).toFixed(2));
      path.setAttribute("stroke", cssColour(value > 0 ? 0.25 + 0.75 * size : -(0.25 + 0.75 * size)));
      target.dataset.value = value;
    })));
    if (hovered) tooltip.textContent = edgeText(...hovered);
  }

  function drawPoints() {
    const context = pointsCanvas.getContext("2d");
    context.clearRect(0, 0, OUTPUT, OUTPUT);
    const points = model.get("points");
    if (!points.train) return;
    const classification = points.classification;
    const toPixel = (v) => ((v + 6) / 12) * OUTPUT;
    // Training points ringed in white (grey in regression, where a target of 0 is white itself), test points in black.
    const sets = [[points.train, classification ? "#ffffff" : "#777777"]];
    if (controls().show_test_data) sets.push([points.test, "#000000"]);
    for (const [list, stroke] of sets) {
      for (const [x1, x2, y] of list) {
        const value = classification ? (y > 0.5 ? 1 : -1) : y;
        context.beginPath();
        context.arc(toPixel(x1), OUTPUT - toPixel(x2), 3.2, 0, 2 * Math.PI);
        context.fillStyle = cssColour(value);
        context.fill();
        context.lineWidth = 1;
        context.strokeStyle = stroke;
        context.stroke();
      }
    }
  }

  function drawCurve(frame) {
    const { train, test } = frame.curve;
    const finite = [...train, ...test].filter(Number.isFinite);
    const top = Math.max(1e-9, ...finite);
    const line = (values) => values.map((v, k) => {
      const x = values.length > 1 ? (k / (values.length - 1)) * 280 : 0;
      const y = 58 - (Number.isFinite(v) ? v / top : 1) * 54;
      return `${x.toFixed(1)},${y.toFixed(1)}`;
    }).join(" ");
    trainLine.setAttribute("points", line(train));
    testLine.setAttribute("points", line(test));
  }

  let drawTimes = []; // ms of the last draws, for the page's own measurement

  function draw() {
    const started = performance.now();
    paintFrame();
    drawTimes = [...drawTimes.slice(-29), performance.now() - started];
    root.dataset.drawMs = (drawTimes.reduce((a, b) => a + b, 0) / drawTimes.length).toFixed(2);
  }

  function paintFrame() {
    const frame = model.get("frame");
    if (!frame.layers) return;
    // The picture follows the frame (the network the numbers belong to), not controls still on their way.
    const state = { features: frame.features, discretize: controls().discretize };
    const key = JSON.stringify([frame.features, frame.layers]);
    if (key !== structure) {
      structure = key;
      buildNetwork(frame);
    }
    const grids = asFloats(model.get("grids"));
    const r = frame.resolution;
    const area = r * r;
    let offset = 0;
    const allFeatures = options().features;
    for (let k = 0; k < allFeatures.length; k++) {
      nodes[0][k].offset = offset;
      paint(nodes[0][k].canvas, grids, offset, r, false);
      offset += area;
    }
    for (let c = 1; c < nodes.length; c++) {
      for (const node of nodes[c]) {
        node.offset = offset;
        paint(node.canvas, grids, offset, r, state.discretize);
        offset += area;
      }
    }
    // The big picture shows the output, or the neuron under the mouse (as in the TensorFlow Playground).
    const shown = hoveredNode && hoveredNode.offset !== undefined ? hoveredNode.offset : offset - area;
    paint(outputCanvas, grids, shown, r, state.discretize && (!hoveredNode || hoveredNode.column > 0));
    outputBox.classList.toggle("rgp-showing-neuron", Boolean(hoveredNode));
    drawEdges(frame);
    drawCurve(frame);
    epochValue.textContent = String(frame.epoch);
    losses.replaceChildren(
      element("div", "rgp-train-loss", `${t("train_loss")}: ${format(frame.train_loss)}`),
      element("div", "rgp-test-loss", `${t("test_loss")}: ${format(frame.test_loss)}`),
    );
    root.dataset.epoch = frame.epoch;
  }

  // ---------------------------------------------------------------- playing: one epoch per frame
  let waiting = false;
  let askedAt = 0;
  const arrivals = [];

  function ask() {
    if (!model.get("playing") || waiting) return;
    waiting = true;
    askedAt = performance.now();
    model.send({ type: "tick" });
  }

  const kernelTimes = []; // ms the kernel reported for its last updates

  function measureRate() {
    const frame = model.get("frame");
    kernelTimes.push(frame.update_ms || 0);
    if (kernelTimes.length > 30) kernelTimes.shift();
    root.dataset.kernelMs = (kernelTimes.reduce((a, b) => a + b, 0) / kernelTimes.length).toFixed(2);
    const now = performance.now();
    arrivals.push(now);
    while (arrivals.length > 2 && now - arrivals[0] > 2000) arrivals.shift();
    if (arrivals.length >= 3) {
      const perSecond = ((arrivals.length - 1) * 1000) / (now - arrivals[0]);
      rate.textContent = t("updates_per_second", { rate: perSecond.toFixed(1) });
      root.dataset.rate = perSecond.toFixed(2);
    }
  }

  // The next epoch is asked for before this one is drawn, so the kernel trains while the page paints.
  const onFrame = () => {
    waiting = false;
    if (model.get("playing")) {
      measureRate();
      ask();
    }
    draw();
  };
  const onPlaying = () => {
    refreshControls();
    arrivals.length = 0;
    // After the click's save_changes: the kernel must know it plays before the first tick arrives.
    if (model.get("playing")) setTimeout(ask, 0);
  };
  // A tick the kernel did not answer (it was paused meanwhile, or busy) is asked again.
  const watchdog = setInterval(() => {
    if (waiting && performance.now() - askedAt > 3000) {
      waiting = false;
      ask();
    }
  }, 1000);

  playButton.addEventListener("click", () => {
    model.set("playing", !model.get("playing"));
    model.save_changes();
  });
  stepButton.addEventListener("click", () => model.send({ type: "step" }));
  resetButton.addEventListener("click", () => model.send({ type: "reset" }));

  // ---------------------------------------------------------------- inspect one training point
  let inspecting = false;
  inspectButton.addEventListener("click", () => {
    inspecting = !inspecting;
    outputBox.classList.toggle("rgp-picking", inspecting);
    hint.textContent = inspecting ? t("inspect_hint") : "";
  });
  pointsCanvas.addEventListener("click", (event) => {
    if (!inspecting) return;
    const box = pointsCanvas.getBoundingClientRect();
    const x1 = ((event.clientX - box.left) / box.width) * 12 - 6;
    const x2 = 6 - ((event.clientY - box.top) / box.height) * 12;
    let best = 0;
    let bestDistance = Infinity;
    model.get("points").train.forEach(([a, b], index) => {
      const distance = (a - x1) ** 2 + (b - x2) ** 2;
      if (distance < bestDistance) [best, bestDistance] = [index, distance];
    });
    inspecting = false;
    outputBox.classList.remove("rgp-picking");
    hint.textContent = "";
    model.send({ type: "inspect", index: best });
  });
  const onInspection = () => {
    const page = model.get("inspection");
    inspection.replaceChildren();
    if (!page) return;
    const close = element("button", "rgp-inspect-close", t("inspect_close"));
    close.addEventListener("click", () => {
      model.set("inspection", "");
      model.save_changes();
      onInspection();
    });
    const frame = element("iframe", "rgp-inspection-frame");
    frame.srcdoc = page;
    inspection.append(close, frame);
  };

  const onNotice = () => {
    notice.textContent = model.get("notice");
    notice.style.display = model.get("notice") ? "block" : "none";
  };
  const onControls = () => refreshControls();
  const onPoints = () => drawPoints();
  const onShowTest = () => drawPoints();

  // The network is laid out for the width it has: again when that changes (a side panel opens).
  let laidOutWidth = 0;
  const resizing = new ResizeObserver(() => {
    const width = networkColumn.clientWidth;
    if (width && Math.abs(width - laidOutWidth) > 8) {
      laidOutWidth = width;
      structure = "";
      draw();
    }
  });
  resizing.observe(networkColumn);

  model.on("change:frame", onFrame);
  model.on("change:playing", onPlaying);
  model.on("change:controls", onControls);
  model.on("change:controls", onShowTest);
  model.on("change:points", onPoints);
  model.on("change:notice", onNotice);
  model.on("change:inspection", onInspection);
  refreshControls();
  draw();
  drawPoints();
  onNotice();
  onInspection();
  if (model.get("playing")) ask();

  return () => {
    clearInterval(watchdog);
    resizing.disconnect();
    model.off("change:frame", onFrame);
    model.off("change:playing", onPlaying);
    model.off("change:controls", onControls);
    model.off("change:controls", onShowTest);
    model.off("change:points", onPoints);
    model.off("change:notice", onNotice);
    model.off("change:inspection", onInspection);
  };
}

export default { render };
