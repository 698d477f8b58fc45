// Small behaviours shared by every page; no framework.
(function () {
  "use strict";
  // Forms that do a destructive or irreversible action ask first.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // One submit per click: a second press while the first is on its way does nothing.
    if (form.dataset.submitted === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    // Money forms also grey their button out, so the clerk sees the payment is on its way.
    if (form.hasAttribute("data-disable-on-submit")) {
      form.querySelectorAll("button[type=submit]").forEach(function (button) { button.disabled = true; });
    }
    window.setTimeout(function () { form.dataset.submitted = ""; }, 5000);
  });
  // htmx: send Django's CSRF token with every request.
  document.body.addEventListener("htmx:configRequest", function (event) {
    var token = document.querySelector("[name=csrfmiddlewaretoken]");
    if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
  });
})();
// Chained selects (department -> province -> district): a new department empties the district list.
document.addEventListener("change", function (event) {
  var clears = event.target.getAttribute && event.target.getAttribute("data-clears");
  if (clears) {
    var other = document.getElementById(clears);
    if (other) { other.innerHTML = '<option value="">---------</option>'; }
  }
});
