// Follows a background export: polls its JSON every two seconds and moves the progress
// bar, then reloads the page when the job ends (the server renders the download link).
// Without JavaScript (or without fetch) the page refreshes itself instead.
(function () {
  "use strict";
  var box = document.getElementById("export-job");
  if (!box) { return; }
  if (!window.fetch) {
    window.setTimeout(function () { window.location.reload(); }, 3000);
    return;
  }
  var bar = document.getElementById("export-bar");
  var status = document.getElementById("export-status");   // aria-live: changes of state only
  var count = document.getElementById("export-count");
  var url = box.getAttribute("data-status-url");
  var lastLabel = status.textContent;
  var failures = 0;

  function show(job) {
    bar.max = job.total || 1;
    bar.value = job.total ? job.done : 0;
    bar.textContent = job.percent + "%";
    if (job.label !== lastLabel) {
      status.textContent = job.label;
      lastLabel = job.label;
    }
    count.textContent = job.total ? " · " + job.done + " / " + job.total + " (" + job.percent + "%)" : "";
  }

  function stop(message) {
    status.textContent = message;
    box.classList.add("stopped");
  }

  function poll() {
    fetch(url, {credentials: "same-origin", cache: "no-store", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status === 401 || response.status === 404) {
          stop(box.getAttribute(response.status === 401 ? "data-signed-out" : "data-gone"));
          return null;
        }
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (job) {
        if (job === null) { return; }
        failures = 0;
        show(job);
        if (job.finished) { window.location.reload(); } else { window.setTimeout(poll, 2000); }
      })
      .catch(function () {
        failures += 1;
        window.setTimeout(poll, Math.min(30000, 2000 * Math.pow(2, failures)));
      });
  }
  window.setTimeout(poll, 1000);
}());
