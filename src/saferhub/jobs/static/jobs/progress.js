// A job's progress page: asks for the job's progress every few seconds and moves the bar,
// then reloads once the job has finished, to show the file or what went wrong. A static
// file, because the site's CSP allows no inline script; without script the page refreshes
// itself through a <noscript> meta refresh instead.
(function () {
  "use strict";
  var box = document.getElementById("job-running");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-progress-url");
  var every = (parseInt(box.getAttribute("data-poll"), 10) || 2) * 1000;
  var bar = document.getElementById("job-progress");
  var percent = document.getElementById("job-percent");
  var step = document.getElementById("job-step");

  function show(job) {
    bar.value = job.progress;
    bar.textContent = job.progress + "%";
    percent.textContent = job.progress + "%";
    if (step.textContent !== job.step) {
      step.textContent = job.step; // a live region: read out when the step changes
    }
  }

  function poll() {
    window
      .fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("progress " + response.status);
        }
        return response.json();
      })
      .then(function (job) {
        if (!job.active) {
          window.location.reload();
          return;
        }
        show(job);
        window.setTimeout(poll, every);
      })
      .catch(function () {
        window.setTimeout(poll, every * 5); // the site is restarting: ask less often
      });
  }

  window.setTimeout(poll, every);
})();
