"""The CSS and JavaScript inlined into every HTML report (no network, no CDN).

The script never builds HTML from strings: every piece of report text is escaped
by :mod:`reconcile.render.html` and its ``_html_*`` modules on the server side, and
the script only moves, clones, shows and hides those elements. The page's
Content-Security-Policy allows this one script by its hash and nothing else.
"""

from __future__ import annotations

__all__ = ["CSS", "JS"]

CSS = """
:root {
  --inc: #b3261e; --inc-bg: #fde3e1;
  --unv: #8a5a00; --unv-bg: #fff0c2;
  --ver: #1b6b35; --ver-bg: #dcf2e2;
  --unc: #6b6f76; --unc-bg: #eef0f3;
  --sel: #1a56db; --line: #d9dce1; --muted: #5f6368;
}
* { box-sizing: border-box; }
html { scroll-padding-top: 80px; }
body {
  margin: 0; color: #1d1d1f; background: #f3f4f6;
  font: 14px/1.65 "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Zen Hei", "Microsoft YaHei",
    "PingFang SC", "Hiragino Sans GB", sans-serif;
}
code, .mono { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC", Consolas, monospace; font-size: 12px; }
button { font: inherit; color: inherit; }
h1, h2, h3 { line-height: 1.3; }
.top { background: #fff; border-bottom: 1px solid var(--line); padding: 14px 20px 10px; }
.top h1 { font-size: 20px; margin: 0 0 4px; }
.meta { display: flex; flex-wrap: wrap; gap: 4px 18px; color: var(--muted); font-size: 13px; margin: 0; }
.meta dt { display: inline; font-weight: 600; color: #3c4043; }
.meta dd { display: inline; margin: 0 0 0 4px; }
.meta .hash { word-break: break-all; }
.counts { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0 4px; align-items: stretch; }
.stat { border: 1px solid var(--line); border-radius: 6px; padding: 4px 12px; background: #fafbfc; min-width: 92px; }
.stat .lbl { display: block; font-size: 12px; color: var(--muted); }
.stat b { font-size: 20px; }
.stat.s-inconsistent { border-color: var(--inc); background: var(--inc-bg); }
.stat.s-inconsistent b { color: var(--inc); }
.stat.s-unverifiable { border-color: #d9a400; background: var(--unv-bg); }
.stat.s-verified { border-color: #6fbf87; background: var(--ver-bg); }
.stat-group { display: flex; gap: 6px; padding-right: 10px; border-right: 1px solid var(--line); }
.stat-group:last-child { border-right: 0; }
.bycheck-box { font-size: 13px; margin: 4px 0 0; }
.bycheck-box > summary { cursor: pointer; color: #3c4043; }
table.bycheck { border-collapse: collapse; font-size: 12px; margin: 2px 0; }
table.bycheck th, table.bycheck td { border: 1px solid var(--line); padding: 1px 8px; text-align: left; }
table.bycheck td.n { text-align: right; }
.errors { background: var(--unv-bg); border: 1px solid #d9a400; border-radius: 6px; padding: 6px 12px; margin: 8px 0 0; }
.layout { display: grid; grid-template-columns: 350px minmax(0, 1fr) 460px; gap: 12px; padding: 12px; align-items: start; }
.side, .panel {
  position: sticky; top: 12px; max-height: calc(100vh - 24px); overflow: auto;
  background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px;
}
main { min-width: 0; }
.box { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; margin-bottom: 12px; }
h2 { font-size: 16px; margin: 4px 0 8px; }
fieldset.flt { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 8px; padding: 4px 8px 6px; }
fieldset.flt legend { font-weight: 600; font-size: 13px; padding: 0 4px; }
fieldset.flt label { display: inline-flex; align-items: center; gap: 3px; margin: 1px 10px 1px 0; font-size: 13px; cursor: pointer; white-space: nowrap; }
fieldset.flt .n { color: var(--muted); font-size: 12px; }
details.flt-check { margin: 0 0 8px; font-size: 13px; }
details.flt-check > summary { cursor: pointer; font-weight: 600; }
.presets { display: flex; gap: 6px; flex-wrap: wrap; margin: 0 0 6px; }
.presets button, .btn {
  border: 1px solid #c4c8ce; background: #f8f9fa; border-radius: 4px; padding: 0 8px; cursor: pointer; font-size: 12px;
}
.presets button:hover, .btn:hover { background: #e8eaed; }
.shown { font-size: 13px; color: var(--muted); margin: 4px 0 8px; }
ul.items { list-style: none; margin: 0; padding: 0; }
ul.items li { border-left: 4px solid var(--unc); margin: 0 0 6px; background: #fafbfc; border-radius: 0 4px 4px 0; }
ul.items li.s-inconsistent { border-left: 4px solid var(--inc); }
ul.items li.s-unverifiable { border-left: 4px dotted var(--unv); }
ul.items li.s-verified { border-left: 4px double var(--ver); }
ul.items li.sel { outline: 2px solid var(--sel); }
ul.items li > button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 4px 8px; cursor: pointer; }
ul.items li > button:hover { background: #eef2fb; }
.it-head { display: flex; gap: 6px; align-items: baseline; flex-wrap: wrap; font-size: 13px; }
.it-title { font-weight: 600; font-size: 13px; }
.it-msg { display: -webkit-box; -webkit-line-clamp: 2; -webkit-box-orient: vertical; overflow: hidden; font-size: 12px; color: #3c4043; }
.sev { font-size: 11px; border: 1px solid #c4c8ce; border-radius: 3px; padding: 0 4px; }
.sev-error { border-color: var(--inc); color: var(--inc); }
.where { color: var(--muted); font-size: 12px; }
.badge { display: inline-block; border-radius: 3px; padding: 0 6px; font-size: 12px; font-weight: 600; border: 1px solid; }
.badge.s-inconsistent { color: var(--inc); background: var(--inc-bg); border-style: solid; }
.badge.s-unverifiable { color: var(--unv); background: var(--unv-bg); border-style: dotted; }
.badge.s-verified { color: var(--ver); background: var(--ver-bg); border-style: double; border-width: 3px; }
.badge.s-unchecked { color: var(--unc); background: var(--unc-bg); border-style: dashed; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; font-size: 13px; margin: 0 0 8px; color: #3c4043; }
.doc {
  white-space: pre-wrap; word-break: break-word; overflow-wrap: anywhere; tab-size: 6; -moz-tab-size: 6;
  font-size: 14px; line-height: 1.9;
}
.ln { padding-left: 4.2em; text-indent: -4.2em; min-height: 1.9em; }
.ln::before {
  content: attr(data-n); display: inline-block; width: 3.4em; margin-right: 0.8em; text-indent: 0;
  text-align: right; color: #9aa0a6; font-size: 11px; user-select: none; -webkit-user-select: none;
}
.ln:empty { min-height: 1.2em; line-height: 1.2; }
.ln.flash { background: #e8f0fe; }
.m, .lg { cursor: pointer; border-radius: 2px; text-underline-offset: 4px; text-decoration-skip-ink: none; }
.m.off { cursor: text; }
.m.s-inconsistent, .lg.s-inconsistent { background: var(--inc-bg); text-decoration: underline wavy var(--inc) 2px; font-weight: 600; }
.m.s-unverifiable, .lg.s-unverifiable { background: var(--unv-bg); text-decoration: underline dotted var(--unv) 2px; }
.m.s-verified, .lg.s-verified { background: var(--ver-bg); text-decoration: underline double var(--ver) 1px; }
.m.s-unchecked, .lg.s-unchecked { text-decoration: underline dashed var(--unc) 1px; }
.m[data-g]::after, .lg[data-g]::after, .g {
  display: inline-block; text-decoration: none; font-weight: 700; font-size: 11px; line-height: 1.2;
  border-radius: 3px; padding: 0 3px; margin-left: 2px; vertical-align: super; text-indent: 0;
}
.m[data-g="inconsistent"]::after, .lg[data-g="inconsistent"]::after { content: "✗不一致"; color: #fff; background: var(--inc); }
.m[data-g="unverifiable"]::after, .lg[data-g="unverifiable"]::after { content: "?"; color: var(--unv); border: 1px dotted var(--unv); }
.m[data-g="verified"]::after, .lg[data-g="verified"]::after { content: "✓"; color: var(--ver); }
.m[data-g="unchecked"]::after, .lg[data-g="unchecked"]::after { content: "·"; color: var(--unc); }
.g.s-inconsistent { color: #fff; background: var(--inc); vertical-align: baseline; }
.g.s-unverifiable { color: var(--unv); border: 1px dotted var(--unv); vertical-align: baseline; }
.g.s-verified { color: var(--ver); vertical-align: baseline; }
.g.s-unchecked { color: var(--unc); vertical-align: baseline; }
.sel { outline: 2px solid var(--sel); outline-offset: 1px; }
@keyframes rcflash { 0% { box-shadow: 0 0 0 6px rgba(26, 86, 219, 0.55); } 100% { box-shadow: 0 0 0 0 rgba(26, 86, 219, 0); } }
.flash { animation: rcflash 1.6s ease-out 1; }
.panel h2 { margin-top: 0; }
.hint { color: var(--muted); font-size: 13px; }
.card { border: 1px solid var(--line); border-left: 5px solid var(--unc); border-radius: 6px; padding: 8px 10px; margin: 0 0 10px; background: #fff; }
.card.s-inconsistent { border-left: 5px solid var(--inc); }
.card.s-unverifiable { border-left: 5px dotted var(--unv); }
.card.s-verified { border-left: 5px double var(--ver); }
.card h3 { font-size: 14px; margin: 4px 0; }
.card .msg { margin: 4px 0 8px; overflow-wrap: anywhere; }
.card blockquote { margin: 4px 0 8px; padding: 4px 8px; background: #f6f7f9; border-left: 3px solid #c4c8ce; overflow-wrap: anywhere; }
.arith { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 6px 0; padding: 6px 8px; background: #f6f7f9; border-radius: 4px; }
.arith dt { color: var(--muted); font-size: 12px; align-self: center; }
.arith dd { margin: 0; font-family: "DejaVu Sans Mono", monospace; font-size: 13px; }
.arith .verdict { grid-column: 1 / -1; font-weight: 600; }
.card.s-inconsistent .arith .verdict { color: var(--inc); }
.card.s-verified .arith .verdict { color: var(--ver); }
table.cells { border-collapse: collapse; width: 100%; font-size: 12px; margin: 4px 0 6px; }
table.cells th, table.cells td { border: 1px solid var(--line); padding: 2px 5px; text-align: left; vertical-align: top; }
table.cells th { background: #f1f3f4; font-weight: 600; }
table.cells td.v { text-align: right; font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
.links { display: flex; flex-wrap: wrap; gap: 4px; margin: 4px 0; }
.lnk { border: 1px solid #c4c8ce; background: #fff; border-radius: 4px; padding: 0 6px; cursor: pointer; font-size: 12px; color: var(--sel); }
.lnk:hover { background: #e8f0fe; }
.kv { display: grid; grid-template-columns: auto 1fr; gap: 0 10px; font-size: 13px; margin: 4px 0; }
.kv dt { color: var(--muted); }
.kv dd { margin: 0; overflow-wrap: anywhere; }
.tlist { font-size: 13px; margin: 0 0 8px; padding-left: 18px; }
details.tbl { border: 1px solid var(--line); border-radius: 6px; margin: 0 0 10px; }
details.tbl > summary { cursor: pointer; padding: 6px 10px; background: #f6f7f9; font-size: 14px; }
.tscroll { overflow: auto; max-height: 70vh; }
table.grid { border-collapse: collapse; font-size: 12.5px; min-width: 100%; }
table.grid th, table.grid td { border: 1px solid var(--line); padding: 2px 6px; }
table.grid thead th { position: sticky; top: 0; background: #eef0f3; z-index: 1; font-weight: 600; }
table.grid tr.blk th { background: #f6f7f9; text-align: left; }
table.grid td.num { text-align: right; font-family: "DejaVu Sans Mono", monospace; white-space: nowrap; }
table.grid td.code { font-family: "DejaVu Sans Mono", monospace; color: #3c4043; }
table.grid td.label button { border: 0; background: none; padding: 0; cursor: pointer; text-align: left; }
table.grid td.label button:hover { text-decoration: underline; }
table.grid td.used { cursor: pointer; font-weight: 700; }
table.grid td.used.s-inconsistent { background: var(--inc-bg); outline: 2px solid var(--inc); outline-offset: -2px; }
table.grid td.used.s-unverifiable { background: var(--unv-bg); outline: 2px dotted var(--unv); outline-offset: -2px; }
table.grid td.used.s-verified { background: var(--ver-bg); outline: 2px double var(--ver); outline-offset: -3px; }
table.grid td.used.s-inconsistent::before { content: "✗ "; color: var(--inc); }
table.grid td.used.s-unverifiable::before { content: "? "; color: var(--unv); }
table.grid td.used.s-verified::before { content: "✓ "; color: var(--ver); }
table.grid td.sel { outline: 3px solid var(--sel); outline-offset: -3px; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
@media (max-width: 1250px) {
  html { scroll-padding-bottom: 46vh; }
  .layout { grid-template-columns: 1fr; padding-bottom: 46vh; }
  .side { position: static; max-height: none; }
  .panel {
    position: fixed; top: auto; bottom: 0; left: 0; right: 0; max-height: 44vh; z-index: 5;
    border-radius: 8px 8px 0 0; box-shadow: 0 -4px 16px rgba(0, 0, 0, 0.15);
  }
}
@media print {
  .side, .panel { position: static; max-height: none; }
  .layout { grid-template-columns: 1fr; }
}
"""

JS = """
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("rc-data").textContent);
  var RANK = { inconsistent: 4, unverifiable: 3, verified: 2, unchecked: 1 };
  var STATUSES = ["inconsistent", "unverifiable", "verified", "unchecked"];
  function tok(s) { return s ? s.split(" ") : []; }
  function each(sel, fn) { Array.prototype.forEach.call(document.querySelectorAll(sel), fn); }
  var marks = Array.prototype.slice.call(document.querySelectorAll(".m"));
  function keysOf(el) { return tok(el.getAttribute("data-c")).concat(tok(el.getAttribute("data-f"))); }
  var byKey = {};
  marks.forEach(function (el) {
    keysOf(el).forEach(function (k) { (byKey[k] = byKey[k] || []).push(el); });
  });
  var cards = {};
  var tpl = document.getElementById("rc-cards");
  Array.prototype.forEach.call(tpl.content.children, function (c) { cards[c.getAttribute("data-card")] = c; });
  var panelBody = document.getElementById("panel-body");
  var filters = { status: {}, severity: {}, check: {} };

  function readFilters() {
    each("input[data-filter]", function (i) { filters[i.getAttribute("data-filter")][i.value] = i.checked; });
  }
  function fVisible(k) {
    var f = D.f[k];
    return !!f && !!filters.status[f.st] && !!filters.severity[f.sv] && !!filters.check[f.ck];
  }
  function cVisible(k) {
    var c = D.c[k];
    if (!c || !filters.status[c.st]) { return false; }
    return c.f.length === 0 || c.f.some(fVisible);
  }
  function visible(k) { return k.charAt(0) === "f" ? fVisible(k) : cVisible(k); }
  function statusOf(k) { var o = k.charAt(0) === "f" ? D.f[k] : D.c[k]; return o ? o.st : null; }
  function worst(keys) {
    var best = null;
    keys.forEach(function (k) {
      var s = statusOf(k);
      if (s && (best === null || RANK[s] > RANK[best])) { best = s; }
    });
    return best;
  }
  function setStatus(el, st) {
    STATUSES.forEach(function (s) { el.classList.remove("s-" + s); });
    if (st) { el.classList.add("s-" + st); }
  }
  function refresh() {
    readFilters();
    marks.forEach(function (el) {
      var st = worst(keysOf(el).filter(visible));
      setStatus(el, st);
      el.classList.toggle("off", st === null);
      if (st === null) { el.removeAttribute("tabindex"); } else { el.setAttribute("tabindex", "0"); }
      var g = worst(tok(el.getAttribute("data-e")).filter(visible));
      if (g) { el.setAttribute("data-g", g); } else { el.removeAttribute("data-g"); }
    });
    var nf = 0, nc = 0;
    each("[data-item]", function (li) {
      var k = li.getAttribute("data-item");
      var v = visible(k);
      li.hidden = !v;
      if (v) { if (k.charAt(0) === "f") { nf += 1; } else { nc += 1; } }
    });
    each("td[data-f]", function (td) {
      var st = worst(tok(td.getAttribute("data-f")).filter(fVisible));
      setStatus(td, st);
      td.classList.toggle("used", st !== null);
    });
    document.getElementById("shown-f").textContent = String(nf);
    document.getElementById("shown-c").textContent = String(nc);
  }
  function flash(el) {
    var d = el.closest("details");
    if (d && !d.open) { d.open = true; }
    el.scrollIntoView({ block: "center" });
    el.classList.remove("flash");
    void el.offsetWidth;
    el.classList.add("flash");
  }
  function clearSel() { each(".sel", function (e) { e.classList.remove("sel"); }); }
  function show(keys) {
    panelBody.textContent = "";
    keys.forEach(function (k) {
      var c = cards[k];
      if (c) { panelBody.appendChild(c.cloneNode(true)); }
    });
    clearSel();
    keys.forEach(function (k) {
      (byKey[k] || []).forEach(function (el) { el.classList.add("sel"); });
      var f = D.f[k];
      if (f) {
        f.cells.forEach(function (id) { var td = document.getElementById(id); if (td) { td.classList.add("sel"); } });
      }
    });
    each("[data-item]", function (li) { li.classList.toggle("sel", keys.indexOf(li.getAttribute("data-item")) >= 0); });
    var p = document.getElementById("panel");
    if (p) { p.scrollTop = 0; }
    if (keys.length && D.ids[keys[0]]) {
      try { history.replaceState(null, "", "#" + encodeURIComponent(D.ids[keys[0]])); } catch (e) { /* file: may refuse */ }
    }
  }
  function jumpKey(k) {
    var f = D.f[k];
    if (f && f.jo !== null) {
      var hit = marks.filter(function (el) { return +el.getAttribute("data-o") === f.jo; });
      if (hit.length) { flash(hit[0]); return; }
    }
    var els = byKey[k];
    if (els && els.length) { flash(els[0]); }
  }
  function jumpLine(n) { var el = document.getElementById("L" + n); if (el) { flash(el); } }
  function jumpSpan(s, e, line) {
    var hit = marks.filter(function (el) { var o = +el.getAttribute("data-o"); return o >= s && o < e; });
    if (hit.length) {
      flash(hit[0]);
      hit.slice(1).forEach(function (el) { el.classList.remove("flash"); void el.offsetWidth; el.classList.add("flash"); });
    } else if (line) { jumpLine(line); }
  }
  document.addEventListener("click", function (ev) {
    var t = ev.target;
    if (!(t instanceof Element)) { return; }
    var el = t.closest("[data-open]");
    if (el) {
      var ks = tok(el.getAttribute("data-open"));
      show(ks);
      if (el.hasAttribute("data-jump")) { jumpKey(ks[0]); }
      return;
    }
    el = t.closest("[data-jcell]");
    if (el) {
      var first = null;
      tok(el.getAttribute("data-jcell")).forEach(function (id) {
        var td = document.getElementById(id);
        if (td) { td.classList.add("sel"); if (!first) { first = td; } }
      });
      if (first) { flash(first); }
      return;
    }
    el = t.closest("[data-jo]");
    if (el) {
      jumpSpan(+el.getAttribute("data-jo"), +el.getAttribute("data-je"), el.getAttribute("data-jline"));
      return;
    }
    el = t.closest("[data-jline]");
    if (el) { jumpLine(el.getAttribute("data-jline")); return; }
    el = t.closest("[data-preset]");
    if (el) { preset(el.getAttribute("data-preset")); return; }
    el = t.closest(".m");
    if (el && !el.classList.contains("off")) { show(keysOf(el).filter(visible)); return; }
    el = t.closest("td[data-f]");
    if (el && el.classList.contains("used")) { show(tok(el.getAttribute("data-f")).filter(fVisible)); }
  });
  document.addEventListener("keydown", function (ev) {
    var t = ev.target;
    if ((ev.key === "Enter" || ev.key === " ") && t instanceof Element && t.matches(".m, td[data-f]")) {
      ev.preventDefault();
      t.click();
    }
  });
  function preset(name) {
    each("input[data-filter]", function (i) {
      var f = i.getAttribute("data-filter");
      if (name === "all") { i.checked = true; }
      else if (name === "problems") { i.checked = f !== "status" || i.value === "inconsistent" || i.value === "unverifiable"; }
      else if (name === "inconsistent") { i.checked = f !== "status" || i.value === "inconsistent"; }
    });
    refresh();
  }
  document.addEventListener("change", function (ev) {
    var t = ev.target;
    if (t instanceof Element && t.matches("input[data-filter]")) { refresh(); }
  });
  refresh();
  var want = decodeURIComponent((location.hash || "").slice(1));
  var start = null;
  Object.keys(D.ids).forEach(function (k) { if (want && D.ids[k] === want) { start = k; } });
  if (start) { show([start]); jumpKey(start); }
  else if (D.first) { show([D.first]); }
  document.documentElement.setAttribute("data-ready", "1");
})();
"""
