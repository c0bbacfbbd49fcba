// "Was this page helpful?": answer in place, without leaving the page. Without this script the form posts
// and the server redirects back with a thank-you, so nothing here is needed for the form to work.
(function () {
  "use strict";
  document.querySelectorAll("form[data-feedback-form]").forEach(function (form) {
    var status = form.querySelector("[data-feedback-status]");
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !window.FormData) {
        return;
      }
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.append(event.submitter.name, event.submitter.value);
      }
      var buttons = form.querySelectorAll("button");
      buttons.forEach(function (button) { button.disabled = true; });
      fetch(form.action, {method: "POST", body: data, headers: {Accept: "application/json"}, credentials: "omit"})
        .then(function (response) {
          return response.json().then(function (body) { return {ok: response.ok, detail: body.detail}; });
        })
        .then(function (answer) {
          if (answer.ok) {
            var thanks = document.createElement("p");
            thanks.className = "feedback__status";
            thanks.setAttribute("role", "status");
            thanks.textContent = answer.detail;
            form.replaceWith(thanks);
          } else {
            status.textContent = answer.detail;
            buttons.forEach(function (button) { button.disabled = false; });
          }
        })
        .catch(function () {
          status.textContent = "Your answer could not be sent. Please try again later.";
          buttons.forEach(function (button) { button.disabled = false; });
        });
    });
  });
})();
