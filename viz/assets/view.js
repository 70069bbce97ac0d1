/* policykg view: legend, filters, search, details with evidence. Every text from the graph is put
   on the page with textContent, never as HTML. The state lives in window.policykgView for tests. */
(function () {
  "use strict";

  var data = JSON.parse(document.getElementById("pkg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var el = function (tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  };
  var started = performance.now();

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var hiddenGroups = new Set();
  var hiddenEdgeGroups = new Set();
  var filter = { region: "", doc: "" };
  var visible = new Set();

  function nodeShown(n) {
    if (hiddenGroups.has(n.cat)) return false;
    if (filter.region && n.regions.indexOf(filter.region) < 0) return false;
    if (filter.doc && n.docs.indexOf(filter.doc) < 0) return false;
    return true;
  }
  function edgeShown(e) {
    if (hiddenEdgeGroups.has(e.cat)) return false;
    if (!visible.has(e.from) || !visible.has(e.to)) return false;
    if (filter.doc && e.docs.length && e.docs.indexOf(filter.doc) < 0) return false;
    return true;
  }
  function computeVisible() {
    visible = new Set();
    nodes.forEach(function (n) { if (nodeShown(n)) visible.add(n.id); });
  }
  computeVisible();
  var nodeView = new vis.DataView(nodes, { filter: function (n) { return visible.has(n.id); } });
  var edgeView = new vis.DataView(edges, { filter: edgeShown });

  var container = $("pkg-graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, data.options);
  var state = {
    nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, network: network, data: data,
    ready: false, readyMs: null, stabilizationIterations: 0, selected: null
  };
  window.policykgView = state;

  // ------------------------------------------------------------------ counts and legend
  function refresh() {
    computeVisible();
    nodeView.refresh();
    edgeView.refresh();
    updateCounts();
  }
  function updateCounts() {
    $("pkg-counts").textContent = nodeView.length + " / " + nodes.length + " nodes 节点 · " +
      edgeView.length + " / " + edges.length + " edges 关系";
    var byCat = {}, byEdge = {};
    nodeView.forEach(function (n) { byCat[n.cat] = (byCat[n.cat] || 0) + 1; });
    edgeView.forEach(function (e) { byEdge[e.cat] = (byEdge[e.cat] || 0) + 1; });
    document.querySelectorAll("[data-count-node]").forEach(function (c) {
      c.textContent = (byCat[c.getAttribute("data-count-node")] || 0) + "/" + c.getAttribute("data-total");
    });
    document.querySelectorAll("[data-count-edge]").forEach(function (c) {
      c.textContent = (byEdge[c.getAttribute("data-count-edge")] || 0) + "/" + c.getAttribute("data-total");
    });
  }

  var SVG = "http://www.w3.org/2000/svg";
  function swatch(shape, color, dashes) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("width", "18"); svg.setAttribute("height", "14"); svg.setAttribute("aria-hidden", "true");
    var s;
    if (shape === "line") {
      s = document.createElementNS(SVG, "line");
      s.setAttribute("x1", "1"); s.setAttribute("y1", "7"); s.setAttribute("x2", "17"); s.setAttribute("y2", "7");
      s.setAttribute("stroke", color); s.setAttribute("stroke-width", "3");
      if (dashes) s.setAttribute("stroke-dasharray", "4 3");
    } else {
      var pts = {
        square: "3,2 15,2 15,12 3,12", triangle: "9,1 16,13 2,13", triangleDown: "2,1 16,1 9,13",
        diamond: "9,0 16,7 9,14 2,7", hexagon: "5,1 13,1 17,7 13,13 5,13 1,7",
        star: "9,0 11,5 17,5 12,8 14,14 9,10 4,14 6,8 1,5 7,5"
      }[shape];
      if (pts) { s = document.createElementNS(SVG, "polygon"); s.setAttribute("points", pts); }
      else { s = document.createElementNS(SVG, "circle"); s.setAttribute("cx", "9"); s.setAttribute("cy", "7"); s.setAttribute("r", "6"); }
      s.setAttribute("fill", color);
    }
    svg.appendChild(s);
    return svg;
  }
  function legendItem(item, isEdge) {
    var li = el("li");
    var b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", "true");
    b.setAttribute(isEdge ? "data-edge-group" : "data-node-group", item.key);
    b.appendChild(swatch(isEdge ? "line" : item.shape, item.color, item.dashes));
    b.appendChild(el("span", item.text));
    var c = el("span", item.count, "pkg-count");
    c.setAttribute(isEdge ? "data-count-edge" : "data-count-node", item.key);
    c.setAttribute("data-total", String(item.count));
    b.appendChild(c);
    b.addEventListener("click", function () {
      var set = isEdge ? hiddenEdgeGroups : hiddenGroups;
      if (set.has(item.key)) set.delete(item.key); else set.add(item.key);
      b.setAttribute("aria-pressed", set.has(item.key) ? "false" : "true");
      refresh();
    });
    li.appendChild(b);
    return li;
  }
  data.legend.nodes.forEach(function (it) { $("pkg-legend-nodes").appendChild(legendItem(it, false)); });
  data.legend.edges.forEach(function (it) { $("pkg-legend-edges").appendChild(legendItem(it, true)); });
  $("pkg-size-meaning").textContent = "Node size: " + data.meta.sizeMeaning + " 节点大小";

  // ------------------------------------------------------------------ region and document filters
  function fillSelect(select, allText, entries) {
    select.appendChild(new Option(allText, ""));
    entries.forEach(function (e) { select.appendChild(new Option(e[1], e[0])); });
  }
  var regionCount = {};
  nodes.forEach(function (n) { n.regions.forEach(function (r) { regionCount[r] = (regionCount[r] || 0) + 1; }); });
  fillSelect($("pkg-region"), "All regions 全部地区", Object.keys(regionCount).sort().map(function (r) {
    return [r, r + " (" + regionCount[r] + ")"];
  }));
  fillSelect($("pkg-doc"), "All documents 全部文件", Object.keys(data.documents).sort().map(function (d) {
    var t = data.documents[d].title;
    return [d, (t ? t + " · " : "") + d];
  }));
  $("pkg-region").addEventListener("change", function (ev) { filter.region = ev.target.value; refresh(); });
  $("pkg-doc").addEventListener("change", function (ev) { filter.doc = ev.target.value; refresh(); });
  function showAll() {
    hiddenGroups.clear(); hiddenEdgeGroups.clear(); filter.region = ""; filter.doc = "";
    $("pkg-region").value = ""; $("pkg-doc").value = "";
    document.querySelectorAll(".pkg-legend button").forEach(function (b) { b.setAttribute("aria-pressed", "true"); });
    refresh();
  }
  $("pkg-reset").addEventListener("click", showAll);

  // ------------------------------------------------------------------ details with evidence
  function docLabel(id) {
    var d = data.documents[id];
    return d && d.title ? d.title + " (" + id + ")" : String(id);
  }
  function propText(v) {
    if (v === null || v === undefined) return "";
    if (typeof v === "object") return JSON.stringify(v);
    return String(v);
  }
  function evidenceList(evidence) {
    var ul = el("ul", null, "pkg-evidence");
    evidence.forEach(function (ev) {
      var li = el("li");
      li.appendChild(el("span", docLabel(ev.doc) + " [" + ev.start + "–" + ev.end + "]", "pkg-doc"));
      if (ev.about) li.appendChild(el("span", ev.about, "pkg-about"));
      li.appendChild(el("q", ev.text));
      ul.appendChild(li);
    });
    return ul;
  }
  function row(dl, key, value) {
    if (value === "" || value === null || value === undefined) return;
    dl.appendChild(el("dt", key));
    dl.appendChild(el("dd", value));
  }
  function linkTo(id, text) {
    var b = el("button", text);
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id, true); });
    return b;
  }
  function showNode(id) {
    var n = nodes.get(id), info = data.nodeInfo[id] || { props: {}, evidence: [] };
    var box = $("pkg-details");
    box.replaceChildren();
    if (!n) return;
    box.appendChild(el("h2", n.name));
    var dl = el("dl");
    row(dl, "type 类型", n.kind);
    row(dl, "region 地区", n.regions.join("、"));
    row(dl, "aliases 别名", n.aliases.join("、"));
    row(dl, "id", n.id);
    Object.keys(info.props).sort().forEach(function (k) {
      if (k !== "aliases" && k !== "region") row(dl, k, propText(info.props[k]));
    });
    box.appendChild(dl);
    box.appendChild(el("h3", "Evidence 出处 (" + info.evidence.length + ")"));
    if (info.evidence.length) box.appendChild(evidenceList(info.evidence));
    else box.appendChild(el("p", "No evidence sentence recorded (reference data). 无原文出处（参考数据）。", "pkg-hint"));
    var links = el("ul", null, "pkg-links"), count = 0;
    edges.forEach(function (e) {
      if (count >= 60 || (e.from !== id && e.to !== id)) return;
      var other = nodes.get(e.from === id ? e.to : e.from);
      var li = el("li");
      li.appendChild(el("span", (e.from === id ? e.kind + " → " : "← " + e.kind + " ")));
      li.appendChild(linkTo(other.id, other.label));
      links.appendChild(li);
      count++;
    });
    if (count) { box.appendChild(el("h3", "Relationships 关系")); box.appendChild(links); }
  }
  function showEdge(id) {
    var e = edges.get(id), info = data.edgeInfo[id] || { props: {}, evidence: [] };
    var box = $("pkg-details");
    box.replaceChildren();
    if (!e) return;
    var from = nodes.get(e.from), to = nodes.get(e.to);
    box.appendChild(el("h2", e.kind));
    var p = el("p");
    p.appendChild(linkTo(from.id, from.name));
    p.appendChild(el("span", e.arrows ? " → " : " — "));
    p.appendChild(linkTo(to.id, to.name));
    box.appendChild(p);
    var dl = el("dl");
    Object.keys(info.props).sort().forEach(function (k) { row(dl, k, propText(info.props[k])); });
    box.appendChild(dl);
    box.appendChild(el("h3", "Evidence 出处 (" + info.evidence.length + ")"));
    if (info.evidence.length) box.appendChild(evidenceList(info.evidence));
  }
  function selectNode(id, focus) {
    if (!nodes.get(id)) return;
    if (!visible.has(id)) showAll();
    network.selectNodes([id]);
    if (focus) network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    state.selected = id;
    showNode(id);
  }
  network.on("click", function (params) {
    if (params.nodes.length) { state.selected = params.nodes[0]; showNode(params.nodes[0]); }
    else if (params.edges.length) { state.selected = params.edges[0]; showEdge(params.edges[0]); }
  });

  // ------------------------------------------------------------------ hover tooltip
  var tip = $("pkg-tooltip");
  function showTip(params, title, sub, evidence) {
    tip.replaceChildren();
    tip.appendChild(el("strong", title));
    tip.appendChild(el("div", sub, "pkg-sub"));
    if (evidence.length) {
      var t = evidence[0].text;
      tip.appendChild(el("q", t.length > 160 ? t.slice(0, 159) + "…" : t));
      tip.appendChild(el("div", docLabel(evidence[0].doc) + (evidence.length > 1 ? " · +" + (evidence.length - 1) : ""), "pkg-sub"));
    }
    var r = container.getBoundingClientRect();
    tip.style.left = Math.min(r.left + params.pointer.DOM.x + 14, window.innerWidth - 370) + "px";
    tip.style.top = (r.top + params.pointer.DOM.y + 14) + "px";
    tip.hidden = false;
  }
  network.on("hoverNode", function (params) {
    var n = nodes.get(params.node), info = data.nodeInfo[params.node];
    showTip(params, n.name, n.kind + (n.regions.length ? " · " + n.regions.join("、") : ""), info ? info.evidence : []);
  });
  network.on("hoverEdge", function (params) {
    var e = edges.get(params.edge), info = data.edgeInfo[params.edge];
    showTip(params, e.kind, nodes.get(e.from).name + " → " + nodes.get(e.to).name, info ? info.evidence : []);
  });
  ["blurNode", "blurEdge", "dragStart", "zoom"].forEach(function (ev) { network.on(ev, function () { tip.hidden = true; }); });

  // ------------------------------------------------------------------ search: name, alias, id
  var index = [];
  nodes.forEach(function (n) {
    var keys = [n.name].concat(n.aliases, [n.label, n.id]).map(function (k) { return String(k).toLowerCase(); });
    index.push({ id: n.id, keys: keys });
  });
  function search(q) {
    q = q.trim().toLowerCase();
    if (!q) return [];
    var hits = [];
    index.forEach(function (it) {
      var best = 9;
      it.keys.forEach(function (k, i) {
        var r = k === q ? 0 : k.indexOf(q) === 0 ? 1 : k.indexOf(q) > 0 ? 2 : 9;
        if (r < 9 && i > 0) r += 0.5;  // the name before aliases
        if (r < best) best = r;
      });
      if (best < 9) hits.push([best, it.id]);
    });
    hits.sort(function (a, b) { return a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0); });
    return hits.slice(0, 30).map(function (h) { return h[1]; });
  }
  var results = $("pkg-results");
  function showResults(ids) {
    results.replaceChildren();
    ids.forEach(function (id) {
      var n = nodes.get(id);
      var li = el("li"), b = el("button");
      b.type = "button";
      b.setAttribute("data-node-id", id);
      b.appendChild(el("div", n.name));
      var sub = n.kind + (n.regions.length ? " · " + n.regions.join("、") : "") + (n.aliases.length ? " · " + n.aliases.join("、") : "");
      b.appendChild(el("div", sub, "pkg-sub"));
      b.addEventListener("click", function () { results.hidden = true; selectNode(id, true); });
      li.appendChild(b);
      results.appendChild(li);
    });
    if (!ids.length && $("pkg-search").value.trim()) results.appendChild(el("li", "No match 无结果", "pkg-hint"));
    results.hidden = !$("pkg-search").value.trim();
  }
  $("pkg-search").addEventListener("input", function (ev) { showResults(search(ev.target.value)); });
  $("pkg-search").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var ids = search(ev.target.value);
      if (ids.length) { results.hidden = true; selectNode(ids[0], true); }
    } else if (ev.key === "Escape") { results.hidden = true; }
  });
  state.search = search;
  state.selectNode = selectNode;

  // ------------------------------------------------------------------ physics and readiness
  var physicsBox = $("pkg-physics");
  physicsBox.checked = !!(data.options.physics && data.options.physics.enabled);
  physicsBox.addEventListener("change", function () { network.setOptions({ physics: { enabled: physicsBox.checked } }); });
  $("pkg-fit").addEventListener("click", function () { network.fit({ animation: false }); });

  function markReady() {
    if (state.ready) return;
    network.once("afterDrawing", function () {
      state.ready = true;
      state.readyMs = performance.now() - started;
      state.sinceNavigationMs = performance.now();
      $("pkg-status").textContent = "Layout settled. 布局已稳定。";
      document.body.setAttribute("data-ready", "true");
    });
    network.redraw();
  }
  network.on("stabilizationProgress", function (p) {
    state.stabilizationIterations = p.iterations;
    $("pkg-status").textContent = "Laying out… 布局中 " + p.iterations + "/" + p.total;
  });
  network.once("stabilizationIterationsDone", function () {
    network.setOptions({ physics: { enabled: false } });  // settled: stop moving; the box turns it back on
    physicsBox.checked = false;
    network.fit({ animation: false });
    if (data.meta.focus && nodes.get(data.meta.focus)) selectNode(data.meta.focus, false);
    markReady();
  });
  if (!physicsBox.checked || nodes.length === 0) markReady();
  updateCounts();
})();
