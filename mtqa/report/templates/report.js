(function () {
  "use strict";
  var boxes = document.querySelectorAll("input.flt");
  var only = document.getElementById("only-flagged");
  function apply() {
    var on = { sev: {}, cat: {} };
    boxes.forEach(function (b) { on[b.dataset.kind][b.value] = b.checked; });
    var shown = {}, n = 0;
    document.querySelectorAll("li.finding").forEach(function (li) {
      var vis = on.sev[li.dataset.sev] && on.cat[li.dataset.cat];
      li.classList.toggle("hidden", !vis);
      if (vis) { shown[li.id] = true; n++; }
    });
    document.querySelectorAll("li.group").forEach(function (li) {
      li.classList.toggle("hidden", !(on.sev[li.dataset.sev] && on.cat[li.dataset.cat]));
    });
    document.querySelectorAll("mark[data-fids]").forEach(function (m) {
      var ids = m.dataset.fids.split(" ");
      m.classList.toggle("off", !ids.some(function (i) { return shown[i]; }));
    });
    document.querySelectorAll("tr.seg").forEach(function (tr) {
      var ids = tr.dataset.findings ? tr.dataset.findings.split(" ") : [];
      var any = ids.some(function (i) { return shown[i]; });
      tr.classList.toggle("hidden", only.checked && !any);
    });
    document.getElementById("visible-count").textContent = n + " finding(s) shown";
  }
  // a link ending in #hide=minor,style opens the report with those severities/categories unticked
  var m = /^#hide=(.*)$/.exec(window.location.hash);
  if (m) {
    var off = decodeURIComponent(m[1]).split(",");
    boxes.forEach(function (b) { if (off.indexOf(b.value) >= 0) { b.checked = false; } });
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  only.addEventListener("change", apply);
  apply();
  // click a column header of the documents table to sort by it (again to reverse)
  document.querySelectorAll("#documents th").forEach(function (th, col) {
    th.style.cursor = "pointer";
    th.title = "sort";
    th.addEventListener("click", function () {
      var body = th.closest("table").tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      var dir = th.dataset.dir === "asc" ? -1 : 1;
      th.dataset.dir = dir === 1 ? "asc" : "desc";
      rows.sort(function (a, b) {
        var x = a.cells[col].textContent.trim(), y = b.cells[col].textContent.trim();
        var nx = parseFloat(x), ny = parseFloat(y);
        if (!isNaN(nx) && !isNaN(ny) && String(nx) !== "NaN") { return dir * (nx - ny); }
        return dir * x.localeCompare(y);
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  triage();
  document.body.dataset.ready = "1";

  // Triage: "accept (false alarm)" or "confirm" each finding; the state survives a reload
  // (localStorage, keyed by the report); "download waivers" writes the accepted ones as the YAML
  // file `mtqa check --waivers` reads, byte for byte what `mtqa waive` writes (mtqa.quality.waivers).
  function triage() {
    var key = "mtqa-triage:" + document.body.dataset.reportKey;
    var state = load();
    var by = document.getElementById("triage-by"), reason = document.getElementById("triage-reason");
    if (state.by) { by.value = state.by; }
    if (state.reason) { reason.value = state.reason; }
    function load() {
      try { return JSON.parse(window.localStorage.getItem(key) || "{}") || {}; } catch (e) { return {}; }
    }
    function save() {
      state.by = by.value; state.reason = reason.value;
      try { window.localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* storage off: state lives until reload */ }
    }
    function fp(li) { return [li.dataset.rule, li.dataset.mt, li.dataset.src, li.dataset.doc].join("\u001f"); }
    function show() {
      var marks = state.marks || {}, acc = 0, conf = 0;
      document.querySelectorAll("li.finding[data-rule]").forEach(function (li) {
        var m = marks[fp(li)] || "";
        li.dataset.triage = m;
        li.querySelectorAll("button.tri").forEach(function (b) { b.classList.toggle("on", b.dataset.act === m); });
        if (m === "accept") { acc++; } else if (m === "confirm") { conf++; }
      });
      document.getElementById("triage-count").textContent = acc + " accepted, " + conf + " confirmed";
    }
    document.querySelectorAll("button.tri").forEach(function (b) {
      b.addEventListener("click", function () {
        var li = b.closest("li.finding"), marks = state.marks = state.marks || {}, k = fp(li);
        if (marks[k] === b.dataset.act) { delete marks[k]; } else { marks[k] = b.dataset.act; }
        save(); show();
      });
    });
    by.addEventListener("change", save);
    reason.addEventListener("change", save);
    document.getElementById("download-waivers").addEventListener("click", function () {
      var text = waiversYaml(state.marks || {}, by.value || "reviewer", reason.value || "false alarm");
      var a = document.createElement("a");
      a.href = URL.createObjectURL(new Blob([text], { type: "application/yaml" }));
      a.download = "waivers.yaml";
      document.body.appendChild(a);
      a.click();
      a.remove();
    });
    show();
  }

  function norm(s) { return s.normalize("NFKC").split(/\s+/).filter(Boolean).join(" "); }

  function waiversYaml(marks, by, reason) {
    var q = JSON.stringify, seen = {}, out = "";
    var d = new Date(), day = d.getFullYear() + "-" + String(d.getMonth() + 1).padStart(2, "0") + "-" + String(d.getDate()).padStart(2, "0");
    document.querySelectorAll("li.finding[data-rule]").forEach(function (li) {
      var rule = li.dataset.rule, mt = norm(li.dataset.mt), src = norm(li.dataset.src), doc = li.dataset.doc;
      var k = [li.dataset.rule, li.dataset.mt, li.dataset.src, li.dataset.doc].join("\u001f");
      var fpk = [rule, mt, src, doc].join("\u001f");
      var w = li.dataset.waivedBy !== undefined;  // waived in this run: kept with its own reason
      if ((!w && marks[k] !== "accept") || seen[fpk]) { return; }
      seen[fpk] = true;
      out += "  - rule: " + q(rule) + "\n    mt: " + q(mt) + "\n    source: " + q(src) + "\n    doc: " + q(doc)
        + "\n    reason: " + q(w ? li.dataset.waivedReason : reason) + "\n    by: " + q(w ? li.dataset.waivedBy : by)
        + "\n    date: " + (w ? li.dataset.waivedDate : day) + "\n"
        + (w && li.dataset.waivedExpires ? "    expires: " + li.dataset.waivedExpires + "\n" : "");
    });
    return document.body.dataset.waiversHeader + "\n" + (out ? "waivers:\n" + out : "waivers: []\n");
  }
})();
