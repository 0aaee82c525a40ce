// tpa ui: follows a running job on its page. The server streams the job's progress lines as
// server-sent events ("line", with the line's index as id), then "succeeded" or "failed" with the outcome.
(function () {
  "use strict";
  var job = document.getElementById("job");
  if (!job || job.dataset.state !== "running") {
    return;
  }
  var progress = document.getElementById("progress");
  var events = new EventSource(job.dataset.events);
  events.addEventListener("line", function (event) {
    progress.appendChild(document.createTextNode(event.data + "\n"));
  });
  ["succeeded", "failed"].forEach(function (state) {
    events.addEventListener(state, function (event) {
      events.close();
      var badge = document.getElementById("state");
      badge.textContent = state;
      badge.className = "badge " + state;
      document.getElementById("outcome").textContent = event.data;
      job.dataset.state = state;
    });
  });
})();
