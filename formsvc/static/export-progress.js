// Follows a background export: polls its JSON and moves the progress bar, then reloads
// the page when the job ends (the server renders the download link). Without
// JavaScript the page refreshes itself instead (<noscript> meta refresh).
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) { return; }
  var bar = document.getElementById("export-bar");
  var text = document.getElementById("export-text");
  var url = box.getAttribute("data-status-url");
  var failures = 0;

  function show(job) {
    bar.max = job.total || 1;
    bar.value = job.total ? job.done : 0;
    bar.textContent = job.percent + "%";
    var strong = document.createElement("strong");
    strong.textContent = job.label;
    text.replaceChildren(strong);
    if (job.total) {
      text.append(" · " + job.done + " / " + job.total + " (" + job.percent + "%)");
    }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (!response.ok) { throw new Error(response.status); }
        return response.json();
      })
      .then(function (job) {
        failures = 0;
        show(job);
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 1000); }
      })
      .catch(function () {
        failures += 1;
        window.setTimeout(poll, Math.min(30000, 1000 * Math.pow(2, failures)));
      });
  }
  window.setTimeout(poll, 500);
}());
