// Follows a running deployment's log without reloading the page; the page reads fine without it.
(function () {
  "use strict";
  var log = document.getElementById("log");
  if (!log || log.getAttribute("data-done") === "true") { return; }
  var api = log.getAttribute("data-api");
  var next = parseInt(log.getAttribute("data-next"), 10) || 0;
  var follow = document.getElementById("follow");

  function text(s) { return document.createTextNode(s); }

  function row(table, cells) {
    var tr = document.createElement("tr");
    cells.forEach(function (c) {
      var td = document.createElement("td");
      td.appendChild(c);
      tr.appendChild(td);
    });
    table.tBodies[0].appendChild(tr);
  }

  function badge(state, word) {
    var span = document.createElement("span");
    span.className = "state state-" + state;
    span.setAttribute("data-state", state);
    span.textContent = word;
    return span;
  }

  var words = { queued: "queued", pending: "pending", in_progress: "running", success: "succeeded",
                failure: "failed", error: "error", inactive: "inactive" };

  function render(d) {
    var atBottom = log.scrollTop + log.clientHeight >= log.scrollHeight - 4;
    d.log.lines.forEach(function (line) { log.appendChild(text(line + "\n")); });
    next = d.log.nextLine;
    if (atBottom) { log.scrollTop = log.scrollHeight; }
    var title = document.querySelector("h1 .state");
    if (title && title.getAttribute("data-state") !== d.state) {
      title.parentNode.replaceChild(badge(d.state, d.stateWord), title);
    }
    var history = document.getElementById("history");
    while (history && history.tBodies[0].rows.length < d.history.length) {
      var h = d.history[history.tBodies[0].rows.length];
      row(history, [text(h.at.replace("T", " ").replace(/\.\d+Z$|Z$/, " UTC")), badge(h.state, words[h.state] || h.state), text(h.description)]);
    }
    var steps = document.getElementById("steps");
    while (steps && steps.tBodies[0].rows.length < d.steps.length) {
      var s = d.steps[steps.tBodies[0].rows.length];
      var code = document.createElement("code");
      code.textContent = s.name;
      row(steps, [code, text(s.message), text(s.exitCode < 0 ? "—" : String(s.exitCode)), text(s.durationMillis + " ms")]);
    }
    var duration = document.getElementById("duration");
    if (duration) { duration.textContent = d.duration; }
    if (d.done) {
      log.setAttribute("data-done", "true");
      if (follow) { follow.textContent = "Finished."; }
      var cancel = document.querySelector("form.cancel");
      if (cancel) { cancel.parentNode.removeChild(cancel); }
    }
    return d.done;
  }

  function poll() {
    fetch(api + "?from=" + next, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (d) { if (!render(d)) { setTimeout(poll, 1000); } })
      .catch(function () { if (follow) { follow.textContent = "Lost the connection; retrying…"; } setTimeout(poll, 3000); });
  }
  setTimeout(poll, 1000);
}());
