// "Also open by": tells the server every few seconds that this change page is
// open, shows who else has it open, and says goodbye when the page closes.
// The page passes its address and interval on this script's tag
// (templates/workflow/admin/change_form.html), so it needs no inline script.
(function () {
  "use strict";
  var script = document.currentScript;
  var presenceUrl = script.dataset.presenceUrl;
  var heartbeatSeconds = Number(script.dataset.heartbeatSeconds);
  var box = document.getElementById("workflow-presence");
  var names = document.getElementById("workflow-presence-names");
  var token = document.querySelector("[name=csrfmiddlewaretoken]");

  function ping(leave) {
    var body = new URLSearchParams({csrfmiddlewaretoken: token ? token.value : ""});
    if (leave) {
      body.set("leave", "1");
      navigator.sendBeacon(presenceUrl, body);
      return;
    }
    fetch(presenceUrl, {method: "POST", body: body, credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        names.textContent = data.editing.join(", ");
        box.hidden = !data.editing.length;
      });
  }

  setInterval(ping, heartbeatSeconds * 1000);
  window.addEventListener("pagehide", function () { ping(true); });
})();
