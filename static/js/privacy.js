// The privacy page's export button: start an export, then poll until its link is ready.
// A static file, so the Content-Security-Policy needs no inline script.
(function () {
  const button = document.getElementById("export-button");
  const status = document.getElementById("export-status");
  const link = document.getElementById("export-download");
  const csrf = document.querySelector("#privacy-form [name=csrfmiddlewaretoken]").value;
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  async function poll(url) {
    for (let attempt = 0; attempt < 120; attempt++) {
      await wait(attempt === 0 ? 800 : 1500);
      const answer = await fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}});
      const body = await answer.json();
      if (body.status === "ready") {
        status.textContent = "Your export is ready. The link works for 24 hours.";
        link.href = body.downloadUrl;
        link.hidden = false;
        return;
      }
      if (body.status === "failed") {
        status.textContent = "The export did not work this time. Please try again in a little while.";
        button.disabled = false;
        return;
      }
    }
    status.textContent = "This is taking longer than usual. Please come back to this page later.";
    button.disabled = false;
  }

  button.addEventListener("click", async () => {
    button.disabled = true;
    link.hidden = true;
    status.textContent = "Preparing your export…";
    const answer = await fetch(button.dataset.url, {
      method: "POST",
      credentials: "same-origin",
      headers: {"X-CSRFToken": csrf, Accept: "application/json"},
    });
    if (!answer.ok) {
      status.textContent = "The export could not start. Please try again in a little while.";
      button.disabled = false;
      return;
    }
    const body = await answer.json();
    await poll(body.statusUrl);
  });
})();
