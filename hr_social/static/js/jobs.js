// Job progress: polls the JSON status endpoint and fills the progress bar (no inline script).
(function () {
  var box = document.querySelector("[data-job-status]");
  if (!box) { return; }
  var url = box.getAttribute("data-job-status");
  var bar = box.querySelector("progress");
  var count = box.querySelector(".job-count");
  var state = box.querySelector(".job-state");
  var link = box.querySelector(".job-download");
  // The labels come translated from the page (data-label-<state>).
  function label(name) { return box.getAttribute("data-label-" + name) || name; }
  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.percent;
        count.textContent = data.done + " / " + data.total;
        state.textContent = label(data.state);
        if (data.state === "done") {
          link.hidden = false;
        } else if (data.state !== "failed") {
          window.setTimeout(poll, 1000);
        }
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  poll();
})();
