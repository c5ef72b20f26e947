// The account explorer's script (stakemap/render/explorer.py inlines it). Every piece of
// user text reaches the page through textContent or cytoscape's canvas labels, never as
// markup; the data is read with JSON.parse from the inert application/json element.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var STANCE = { champion: "#b9e4c9", supporter: "#e3f4e8", neutral: "#f2f2f2",
                 skeptic: "#fde9c9", blocker: "#f8c4c4" };
  var SENTIMENT = { positive: "#2e7d32", neutral: "#78909c", negative: "#c62828" };
  var GAP = "#d32f2f";
  var SEVERITY = ["critical", "high", "medium", "low", "info"];
  var byId = {};
  data.people.forEach(function (p) { byId[p.id] = p; });
  data.things.forEach(function (t) { byId[t.id] = t; });
  var folded = {};  // the ids of the teams folded now
  var groupById = {};
  data.groups.forEach(function (g) { groupById[g.id] = g; });

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }

  document.getElementById("title").textContent = data.account.name + ": account explorer";

  // -- the graph ---------------------------------------------------------------------------
  // Boxes sized to their labels, measured here: cytoscape's own "width: label" is deprecated.
  var MAX_TEXT = 150, LINE = 15;
  var ruler = document.createElement("canvas").getContext("2d");
  function measure(label, bold) {
    ruler.font = (bold ? "bold " : "") + "12px Helvetica, Arial, sans-serif";
    var w = 0, lines = 0;
    String(label).split("\n").forEach(function (line) {
      var width = ruler.measureText(line).width;
      lines += Math.max(1, Math.ceil(width / MAX_TEXT));
      w = Math.max(w, Math.min(width, MAX_TEXT));
    });
    return { w: Math.ceil(w) + 4, h: lines * LINE };
  }
  var elements = [
    { data: { id: "side:customer", label: data.account.name + " (customer)" }, classes: "side" },
    { data: { id: "side:provider", label: data.provider + " (our team)" }, classes: "side" },
  ];
  if (data.things.length) {
    elements.push({ data: { id: "side:things", label: "Services and agreements" },
                    classes: "side" });
  }
  data.groups.forEach(function (g) {
    var folded = g.name + " (" + g.size + ")", size = measure(folded);
    elements.push({ data: { id: g.id, parent: "side:" + g.side, label: g.name,
                            folded: folded, w: size.w, h: size.h }, classes: "group" });
  });
  data.people.forEach(function (p) {
    var label = p.name + (p.title ? "\n" + p.title : "");
    var classes = ["person", p.side];
    if (p.findings.length) classes.push("gap");
    if (p.status === "left") classes.push("left");
    var size = measure(label);
    elements.push({ data: { id: p.id, parent: p.group || "side:" + p.side, label: label,
                            w: size.w, h: size.h,
                            fill: STANCE[p.stance] || "#ffffff",
                            border: p.influence ? 1 + p.influence * 0.6 : 1 },
                    classes: classes.join(" ") });
  });
  data.things.forEach(function (t) {
    var classes = [t.kind];
    if (t.findings.length) classes.push("gap");
    if (t.vital) classes.push("vital");
    var size = measure(t.name);
    elements.push({ data: { id: t.id, parent: "side:things", label: t.name,
                            w: size.w, h: size.h },
                    classes: classes.join(" ") });
  });
  data.edges.forEach(function (e) {
    var d = { id: e.id, source: e.source, target: e.target, label: e.label || "" };
    var classes = [e.kind];
    if (e.kind === "tie") {
      d.color = e.stale ? "#b0bec5" : (SENTIMENT[e.sentiment] || "#78909c");
      d.width = 1 + 4 * e.strength;
      d.label = "";
      if (e.stale) classes.push("stale");
    }
    elements.push({ data: d, classes: classes.join(" ") });
  });

  var cy = window.cy = cytoscape({
    container: document.getElementById("cy"),
    elements: elements,
    minZoom: 0.1,
    maxZoom: 4,
    style: [
      { selector: "node", style: { "label": "data(label)", "font-size": 12,
        "font-family": "Helvetica, Arial, sans-serif", "text-wrap": "wrap",
        "text-max-width": MAX_TEXT, "text-valign": "center", "text-halign": "center",
        "color": "#263238" } },
      { selector: "node.person", style: { "shape": "round-rectangle", "width": "data(w)",
        "height": "data(h)", "padding": 8, "background-color": "data(fill)",
        "border-width": "data(border)", "border-color": "#455a64" } },
      { selector: "node.gap", style: { "border-color": GAP, "border-width": 3 } },
      { selector: "node.left", style: { "opacity": 0.55, "border-style": "dashed" } },
      { selector: "node.service", style: { "shape": "barrel", "width": "data(w)",
        "height": "data(h)", "padding": 10, "background-color": "#fafafa",
        "border-width": 1, "border-color": "#546e7a" } },
      { selector: "node.service.vital", style: { "background-color": "#e3f2fd" } },
      { selector: "node.agreement", style: { "shape": "tag", "width": "data(w)",
        "height": "data(h)", "padding": 10, "background-color": "#fffde7",
        "border-width": 1, "border-color": "#8d6e63" } },
      { selector: "node.service.gap, node.agreement.gap", style: { "border-color": GAP,
        "border-width": 3 } },
      { selector: "node.side", style: { "shape": "round-rectangle", "text-valign": "top",
        "text-halign": "center", "font-size": 15, "font-weight": "bold", "color": "#37474f",
        "background-color": "#eceff1", "background-opacity": 0.5, "border-width": 1,
        "border-color": "#90a4ae", "padding": 18, "text-max-width": 400 } },
      { selector: "node.group", style: { "shape": "round-rectangle", "text-valign": "top",
        "text-halign": "center", "font-size": 12, "color": "#546e7a",
        "background-color": "#ffffff", "background-opacity": 0.7, "border-width": 1,
        "border-style": "dashed", "border-color": "#90a4ae", "padding": 10 } },
      { selector: "node.group.folded", style: { "label": "data(folded)",
        "text-valign": "center", "width": "data(w)", "height": "data(h)", "padding": 12,
        "background-color": "#cfd8dc", "background-opacity": 1, "border-style": "solid",
        "font-size": 12, "color": "#263238" } },
      { selector: "node.group.folded.gap", style: { "border-color": GAP, "border-width": 3 } },
      { selector: "node:selected", style: { "overlay-color": "#1976d2",
        "overlay-opacity": 0.18, "overlay-padding": 6, "border-color": "#1976d2",
        "border-width": 4 } },
      { selector: "edge", style: { "curve-style": "bezier", "width": 1.5,
        "line-color": "#90a4ae", "font-size": 9, "color": "#546e7a",
        "text-background-color": "#ffffff", "text-background-opacity": 0.85,
        "text-background-padding": 2, "text-rotation": "autorotate" } },
      { selector: "edge.reports", style: { "line-color": "#607d8b",
        "target-arrow-shape": "triangle", "target-arrow-color": "#607d8b",
        "arrow-scale": 0.8 } },
      { selector: "edge.dotted", style: { "line-color": "#607d8b", "line-style": "dotted",
        "target-arrow-shape": "triangle", "target-arrow-color": "#607d8b" } },
      { selector: "edge.tie", style: { "line-color": "data(color)", "width": "data(width)",
        "opacity": 0.8, "curve-style": "haystack" } },
      { selector: "edge.tie.stale", style: { "line-style": "dashed" } },
      { selector: "edge.role, edge.owns", style: { "line-color": "#546e7a",
        "line-style": "dashed", "target-arrow-shape": "vee",
        "target-arrow-color": "#546e7a", "label": "data(label)" } },
      { selector: "edge.decides", style: { "line-color": "#6a1b9a",
        "target-arrow-shape": "diamond", "target-arrow-color": "#6a1b9a",
        "label": "data(label)" } },
      { selector: "edge.folded", style: { "line-color": "#b0bec5", "width": 2,
        "line-style": "solid" } },
      { selector: "edge:selected, edge.near", style: { "opacity": 1, "z-index": 10 } },
      { selector: ".faded", style: { "opacity": 0.15 } },
    ],
    layout: { name: "preset" },
    autoungrabify: false,
  });

  // A fixed, layered layout, not a force-directed one: each side's reporting lines as a
  // tree (managers above their reports, so a team is a contiguous block its fold box can
  // enclose), the customer on the left, our team on the right, the ties running between
  // them, services and agreements in a row below. Force layouts let the nested side and
  // team boxes overlap and moved every node on each load.
  var FOLD_ABOVE = 60;  // people; more open with their teams folded
  var SLOT = 195, ROW = 95, GAP = 150, WRAP = 6;
  function byName(a, b) {
    return byId[a].name < byId[b].name ? -1 : byId[a].name > byId[b].name ? 1 : 0;
  }
  function sideLayout(side, x0, pos) {
    var members = data.people.filter(function (p) { return p.side === side; });
    var here = {}, kids = {}, boss = {};
    members.forEach(function (p) { here[p.id] = true; });
    members.forEach(function (p) {
      var m = p.manager.filter(function (m) { return !m.dotted && here[m.id]; })[0];
      if (m) { boss[p.id] = m.id; (kids[m.id] = kids[m.id] || []).push(p.id); }
    });
    var next = 0, depthMax = 0, seen = {};
    function place(id, depth) {
      seen[id] = true;
      depthMax = Math.max(depthMax, depth);
      // a folded team is one box where its manager stands, its people not laid out
      var team = byId[id].group;
      var shut = team && folded[team] && groupById[team].head === id ? team : null;
      var children = shut ? [] : (kids[id] || []).filter(function (c) { return !seen[c]; })
        .sort(byName);
      var leaves = children.filter(function (c) { return !(kids[c] || []).length; });
      var x;
      if (children.length > WRAP && leaves.length === children.length) {
        // a wide flat team: its reports in rows under the manager, not one long line
        var cols = Math.min(WRAP, Math.ceil(Math.sqrt(children.length * 2)));
        children.forEach(function (c, i) {
          seen[c] = true;
          var row = Math.floor(i / cols);
          depthMax = Math.max(depthMax, depth + 1 + row);
          pos[c] = { x: x0 + (next + i % cols) * SLOT, y: (depth + 1 + row) * ROW };
        });
        x = next + (cols - 1) / 2;
        next += cols;
      } else {
        var xs = children.filter(function (c) { return !seen[c]; })
          .map(function (c) { return place(c, depth + 1); });
        x = xs.length ? (xs[0] + xs[xs.length - 1]) / 2 : next++;
      }
      pos[id] = { x: x0 + x * SLOT, y: depth * ROW };
      if (shut) pos[shut] = pos[id];
      return x;
    }
    var roots = members.filter(function (p) { return !boss[p.id]; })
      .map(function (p) { return p.id; }).sort(byName);
    var alone = roots.filter(function (r) { return !(kids[r] || []).length; });
    roots.filter(function (r) { return (kids[r] || []).length; })
      .forEach(function (r) { place(r, 0); });
    members.forEach(function (p) {  // left over: reporting loops (not folded-away people)
      if (!seen[p.id] && boss[p.id] && !(p.group && folded[p.group])) place(p.id, 0);
    });
    // people with no reporting line here: a grid under the trees
    var cols = Math.max(next, Math.min(alone.length, 3));
    var top = next ? depthMax + 1 : 0;
    alone.forEach(function (id, i) {
      pos[id] = { x: x0 + (i % cols) * SLOT, y: (top + Math.floor(i / cols)) * ROW };
      depthMax = Math.max(depthMax, top + Math.floor(i / cols));
    });
    return { width: Math.max(next, Math.min(alone.length, cols), 1), depth: depthMax };
  }
  function layout(refit) {
    var pos = {};
    var left = sideLayout("customer", 0, pos);
    var right = sideLayout("provider", left.width * SLOT + GAP, pos);
    var total = (left.width + right.width) * SLOT + GAP;
    var y = (Math.max(left.depth, right.depth) + 1) * ROW + 80;
    var per = Math.max(1, Math.floor(total / SLOT));
    data.things.forEach(function (t, i) {
      var n = Math.min(per, data.things.length - Math.floor(i / per) * per);
      pos[t.id] = { x: total / 2 - SLOT / 2 - (n - 1) * SLOT / 2 + (i % per) * SLOT + SLOT / 2,
                    y: y + Math.floor(i / per) * ROW };
    });
    cy.layout({ name: "preset", fit: false, animate: false,
                positions: function (n) { return pos[n.id()]; } }).run();
    if (refit) frame();
  }
  function frame() {
    cy.fit(null, 24);
    if (cy.zoom() < 0.8) {  // readable names first; pan for the rest
      cy.zoom(0.8);
      var box = cy.elements().boundingBox();
      cy.pan({ x: 24 - box.x1 * 0.8, y: 24 - box.y1 * 0.8 });
    }
  }
  layout(true);

  // -- folding teams -------------------------------------------------------------------
  var removed = cy.collection();  // their members and edges, kept to restore

  // Folding is recomputed from the whole set each time, so teams fold and unfold in any
  // order and an edge between two folded teams is never lost: members come back where
  // they were, and each edge out of a folded team is drawn once, from the team.
  function applyFolds() {
    cy.edges(".folded").remove();
    removed.restore();
    removed = cy.collection();
    var owner = {};
    Object.keys(folded).forEach(function (g) {
      cy.getElementById(g).descendants().forEach(function (n) { owner[n.id()] = g; });
    });
    var summary = {};
    cy.edges().forEach(function (e) {
      var s = owner[e.source().id()] || e.source().id();
      var t = owner[e.target().id()] || e.target().id();
      if (s === t || (s === e.source().id() && t === e.target().id())) return;
      summary[s < t ? s + "|" + t : t + "|" + s] = [s, t];
    });
    Object.keys(folded).forEach(function (g) {
      var members = cy.getElementById(g).descendants();
      removed = removed.union(members).union(members.connectedEdges());
    });
    var lost = removed.filter(":selected").nonempty();
    removed.remove();
    if (lost) showAccount();
    layout(false);  // the space of a folded team closes; an unfolded one opens again
    Object.keys(summary).forEach(function (key, i) {
      cy.add({ data: { id: "fold" + i, source: summary[key][0], target: summary[key][1],
                       label: "" }, classes: "folded" });
    });
    cy.nodes(".group").forEach(function (g) { g.toggleClass("folded", !!folded[g.id()]); });
    data.groups.forEach(function (g) {  // a folded team still shows that it holds a gap
      cy.getElementById(g.id).toggleClass("gap", !!folded[g.id] && data.people.some(
        function (p) { return p.group === g.id && p.findings.length > 0; }));
    });
  }
  function fold(groupId) { folded[groupId] = true; applyFolds(); }
  function unfold(groupId) { delete folded[groupId]; applyFolds(); }

  function anyFolded() { return Object.keys(folded).length > 0; }
  var foldButton = document.getElementById("fold");
  function syncFoldButton() {
    foldButton.textContent = anyFolded() ? "Unfold teams" : "Fold teams";
    foldButton.disabled = data.groups.length === 0;
  }
  foldButton.addEventListener("click", function () {
    if (anyFolded()) folded = {};
    else data.groups.forEach(function (g) { folded[g.id] = true; });
    applyFolds();
    frame();
    syncFoldButton();
  });
  // a large account opens folded: its teams first, their people on a double-click
  if (data.people.length > FOLD_ABOVE) {
    data.groups.forEach(function (g) { folded[g.id] = true; });
    applyFolds();
    frame();
  }
  syncFoldButton();
  document.getElementById("fit").addEventListener("click", function () { cy.fit(null, 30); });

  // -- the side panel ------------------------------------------------------------------
  var panel = document.getElementById("panel");

  function findingList(indexes, links) {
    var ul = el("ul", null, "findings");
    indexes.map(function (i) { return data.findings[i]; })
      .sort(function (a, b) { return SEVERITY.indexOf(a.severity) - SEVERITY.indexOf(b.severity); })
      .forEach(function (f) {
        var li = el("li", null, "finding " + f.severity);
        li.appendChild(el("span", f.severity, "sev"));
        li.appendChild(el("span", f.message, "message"));
        if (f.remediation) li.appendChild(el("div", f.remediation, "fix"));
        if (links && byId[f.subject]) {
          li.appendChild(el("div")).appendChild(personLink(f.subject, "show " + f.subject_name));
        }
        ul.appendChild(li);
      });
    return ul;
  }

  function personLink(id, name) {
    var b = el("button", name, "link");
    b.type = "button";
    b.addEventListener("click", function () { show(id, true); });
    return b;
  }

  function section(title, items, empty) {
    panel.appendChild(el("h3", title));
    if (!items.length) { panel.appendChild(el("p", empty, "muted")); return; }
    var ul = el("ul");
    items.forEach(function (parts) {
      var li = el("li");
      parts.forEach(function (part) {
        li.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
      });
      ul.appendChild(li);
    });
    panel.appendChild(ul);
  }

  function showPerson(p) {
    panel.appendChild(el("h2", p.name));
    var side = p.side === "customer" ? data.account.name : data.provider;
    panel.appendChild(el("p", [p.title, side].filter(Boolean).join(" · "), "sub"));
    var facts = el("dl");
    [["status", p.status], ["stance", p.stance],
     ["influence", p.influence ? p.influence + " of 5" : null],
     ["interest", p.interest ? p.interest + " of 5" : null]].forEach(function (kv) {
      if (!kv[1]) return;
      facts.appendChild(el("dt", kv[0]));
      facts.appendChild(el("dd", kv[1]));
    });
    if (facts.childNodes.length) panel.appendChild(facts);
    panel.appendChild(el("h3", "Findings"));
    if (p.findings.length) panel.appendChild(findingList(p.findings));
    else panel.appendChild(el("p", "No findings about " + p.name + ".", "muted"));
    if (p.involved.length) {
      panel.appendChild(el("h3", "Also involved in"));
      panel.appendChild(findingList(p.involved));
    }
    section("Roles", p.roles.map(function (r) {
      return [r.role + (r.at ? " at " + r.at : "")];
    }), "No role on this account.");
    section("Authority", p.authority.map(function (a) {
      return ["decides " + a.scope + " for " + a.over];
    }), "No decision authority recorded.");
    section("Ties", p.ties.map(function (t) {
      var bits = [t.kinds.join(" + "), "strength " + t.strength.toFixed(2)];
      if (t.sentiment) bits.push(t.sentiment);
      bits.push(t.last_contact ? "last contact " + t.last_contact : "no contact date");
      if (t.stale) bits.push("stale");
      return [personLink(t.id, t.name), " (" + bits.join(", ") + ")"];
    }), "No relationship or meeting with anyone here.");
    var lines = p.manager.map(function (m) {
      return ["reports to ", personLink(m.id, m.name), m.dotted ? " (dotted line)" : ""];
    }).concat(p.reports.map(function (r) {
      return ["manages ", personLink(r.id, r.name), r.dotted ? " (dotted line)" : ""];
    }));
    section("Reporting lines", lines, "None recorded.");
  }

  function showThing(t) {
    panel.appendChild(el("h2", t.name));
    var sub = t.kind === "service" ? (t.vital ? "vital service" : "service")
      : "agreement" + (t.next_review ? ", next review " + t.next_review : ", no review date");
    panel.appendChild(el("p", sub, "sub"));
    panel.appendChild(el("h3", "Findings"));
    if (t.findings.length) panel.appendChild(findingList(t.findings));
    else panel.appendChild(el("p", "No findings about " + t.name + ".", "muted"));
    var links = [];
    cy.getElementById(t.id).connectedEdges().forEach(function (e) {
      var who = byId[e.data("source")];
      if (who && who.kind === undefined) links.push([personLink(who.id, who.name), ": " + e.data("label")]);
    });
    section("People", links, "No one owns, decides for or holds a role at it.");
  }

  function showAccount() {
    panel.textContent = "";
    panel.appendChild(el("h2", data.account.name));
    panel.appendChild(el("p", "playbook " + data.playbook + ", as of " + data.as_of, "sub"));
    var customer = data.people.filter(function (p) { return p.side === "customer"; }).length;
    panel.appendChild(el("p", customer + " people at the customer, "
      + (data.people.length - customer) + " of ours, " + data.things.length
      + " services and agreements, " + data.findings.length + " findings.", "sub"));
    panel.appendChild(el("h3", "Findings"));
    if (!data.findings.length) {
      panel.appendChild(el("p", "The playbook found no gaps.", "muted"));
    } else {
      var ul = findingList(data.findings.map(function (_, i) { return i; }), true);
      panel.appendChild(ul);
    }
    panel.appendChild(el("h3", "How to read the graph"));
    var legend = el("div", null, "legend");
    [["champion", STANCE.champion], ["supporter", STANCE.supporter],
     ["neutral", STANCE.neutral], ["skeptic", STANCE.skeptic],
     ["blocker", STANCE.blocker]].forEach(function (kv) {
      var s = el("span"); var i = el("i"); i.style.background = kv[1];
      s.appendChild(i); s.appendChild(document.createTextNode(kv[0])); legend.appendChild(s);
    });
    panel.appendChild(legend);
    panel.appendChild(el("p", "Red border: a finding. Thicker border: more influence. "
      + "Arrows: manager to report. Coloured lines: relationships and meetings (green "
      + "positive, red negative, dashed stale), thicker when stronger. Click a person for "
      + "their roles, ties, authority and findings; double-click a team to fold it.", "muted"));
  }

  function teamOf(id) {
    var p = byId[id];
    return p && p.group && folded[p.group] ? p.group : null;
  }

  function show(id, centre) {
    var team = teamOf(id);
    if (team) { unfold(team); syncFoldButton(); }
    var item = byId[id];
    if (!item) { showAccount(); return; }
    var node = cy.getElementById(id);
    cy.elements().unselect().removeClass("near");
    node.select();
    node.connectedEdges().addClass("near");
    if (centre) cy.animate({ center: { eles: node }, zoom: Math.max(cy.zoom(), 1) },
                           { duration: 250 });
    panel.textContent = "";
    var back = el("button", "← " + data.account.name, "link");
    back.type = "button";
    back.addEventListener("click", function () { cy.elements().unselect(); showAccount(); });
    panel.appendChild(back);
    if (data.people.indexOf(item) >= 0) showPerson(item); else showThing(item);
  }

  cy.on("tap", "node.person, node.service, node.agreement", function (evt) {
    show(evt.target.id(), false);
  });
  cy.on("tap", function (evt) {
    if (evt.target === cy) { cy.elements().unselect(); showAccount(); }
  });
  cy.on("tap", "node.group", function (evt) {
    var g = groupById[evt.target.id()];
    if (!g) return;  // a tap on a member, passed up to its team: the member's panel shows
    cy.elements().unselect();
    evt.target.select();
    panel.textContent = "";
    var back = el("button", "← " + data.account.name, "link");
    back.type = "button";
    back.addEventListener("click", function () { cy.elements().unselect(); showAccount(); });
    panel.appendChild(back);
    panel.appendChild(el("h2", g.name));
    panel.appendChild(el("p", (folded[g.id] ? "folded" : "unfolded")
      + ": double-click the team, or use the Fold button, to " + (folded[g.id]
      ? "show its people" : "fold it into one box"), "sub"));
    section("People", data.people.filter(function (p) { return p.group === g.id; })
      .map(function (p) {
        var n = p.findings.length;
        return [personLink(p.id, p.name), (p.title ? ", " + p.title : "")
          + (n ? " (" + n + (n === 1 ? " finding)" : " findings)") : "")];
      }), "No one.");
  });
  cy.on("dbltap", "node.group", function (evt) {
    var id = evt.target.id();
    if (folded[id]) unfold(id); else fold(id);
    syncFoldButton();
  });

  // -- search --------------------------------------------------------------------------
  var search = document.getElementById("search");
  var matchInfo = document.getElementById("matches");
  var found = [], at = 0;
  function normal(s) {
    return String(s || "").normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function runSearch() {
    var q = normal(search.value.trim());
    found = !q ? [] : data.people.concat(data.things).filter(function (x) {
      return normal(x.name).indexOf(q) >= 0 || normal(x.title).indexOf(q) >= 0;
    });
    at = 0;
    if (!q) { matchInfo.textContent = ""; return; }
    if (!found.length) { matchInfo.textContent = "no match"; return; }
    matchInfo.textContent = found.length === 1 ? "1 match" : "1 of " + found.length;
    show(found[0].id, true);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (evt) {
    if (evt.key !== "Enter" || !found.length) return;
    at = (at + 1) % found.length;
    matchInfo.textContent = (at + 1) + " of " + found.length;
    show(found[at].id, true);
  });

  showAccount();
})();
