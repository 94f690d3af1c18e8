// Hookhub console: copy buttons, confirmations, the workflow editor's parse form and the inspector's live tail.
// Served as a file so the Content-Security-Policy can forbid inline script.
"use strict";

document.addEventListener("click", function (e) {
  var btn = e.target.closest("button.copy");
  if (!btn) return;
  var text = btn.getAttribute("data-copy");
  var done = function () {
    var was = btn.textContent;
    btn.textContent = "Copied";
    setTimeout(function () { btn.textContent = was; }, 1500);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else {
    var ta = document.createElement("textarea");
    ta.value = text;
    document.body.appendChild(ta);
    ta.select();
    document.execCommand("copy");
    ta.remove();
    done();
  }
});

document.addEventListener("submit", function (e) {
  var msg = e.target.getAttribute("data-confirm");
  if (msg && !window.confirm(msg)) e.preventDefault();
});

// A hidden field with data-value-of sends another field's current value:
// the workflow editor's parse form sends the definition as edited, not as
// the page was loaded.
document.addEventListener("submit", function (e) {
  e.target.querySelectorAll("input[data-value-of]").forEach(function (input) {
    var from = document.getElementById(input.getAttribute("data-value-of"));
    if (from) input.value = from.value;
  });
});

// Live tail: the inspector's table gains each new event as it arrives. The
// browser's EventSource resumes with Last-Event-ID after a drop, and the
// server replays what was missed.
(function () {
  var table = document.getElementById("events-body");
  var toggle = document.getElementById("live-toggle");
  if (!table || !toggle || !window.EventSource) return;
  var state = document.getElementById("live-state");
  var es = null;
  var url = toggle.getAttribute("data-stream");

  function cell(tr, text, href) {
    var td = document.createElement("td");
    if (href) {
      var a = document.createElement("a");
      a.href = href;
      a.textContent = text;
      td.appendChild(a);
    } else {
      td.textContent = text;
    }
    tr.appendChild(td);
    return td;
  }

  function add(ev) {
    var empty = document.getElementById("events-empty");
    if (empty) empty.remove();
    var tr = document.createElement("tr");
    tr.className = "new";
    cell(tr, ev.received_at ? ev.received_at.replace("T", " ").replace(/\.\d+Z$/, "Z") : "");
    cell(tr, ev.type || "—", "/events/" + ev.id);
    var st = cell(tr, "");
    var b = document.createElement("span");
    b.className = "badge s-" + ev.status;
    b.textContent = ev.status;
    st.appendChild(b);
    cell(tr, (ev.verification && ev.verification.result) || "");
    cell(tr, ev.source_id || "api", ev.source_id ? "/sources/" + ev.source_id : null);
    table.insertBefore(tr, table.firstChild);
    while (table.rows.length > 200) table.deleteRow(table.rows.length - 1);
  }

  function start() {
    es = new EventSource(url);
    es.onopen = function () { state.textContent = "Live: new events appear at the top."; };
    es.onerror = function () { state.textContent = "Reconnecting…"; };
    es.onmessage = function (m) {
      try { add(JSON.parse(m.data)); } catch (err) { /* not an event */ }
    };
    toggle.textContent = "Stop live tail";
    toggle.setAttribute("aria-pressed", "true");
  }

  function stop() {
    if (es) es.close();
    es = null;
    state.textContent = "";
    toggle.textContent = "Start live tail";
    toggle.setAttribute("aria-pressed", "false");
  }

  toggle.addEventListener("click", function () { if (es) stop(); else start(); });
  if (toggle.getAttribute("data-autostart") === "true") start();
})();

// The destination form shows only the settings of the chosen type.
(function () {
  var sel = document.querySelector("select[data-show-by-type]");
  if (!sel) return;
  function show() {
    document.querySelectorAll("fieldset[data-type]").forEach(function (fs) {
      fs.hidden = fs.getAttribute("data-type") !== sel.value;
    });
  }
  sel.addEventListener("change", show);
  show();
})();
