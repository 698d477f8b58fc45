// The front desk's consultation form: a running timer, search as you type, Enter to save.
(function () {
  "use strict";
  var form = document.getElementById("desk-form");
  if (!form) { return; }

  // The timer: counts from when the form opened (started_at was filled by the server then).
  var timer = document.getElementById("desk-timer");
  var limit = parseInt(form.getAttribute("data-limit-minutes"), 10) || 10;
  var opened = Date.now();
  function tick() {
    var seconds = Math.floor((Date.now() - opened) / 1000);
    var text = Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
    timer.textContent = text;
    if (seconds > limit * 60) {
      timer.classList.remove("text-bg-secondary");
      timer.classList.add("text-bg-warning");
      timer.setAttribute("title", timer.getAttribute("data-over-text"));
    }
  }
  tick();
  window.setInterval(tick, 1000);

  // Search as you type: companies and people of the user's centres.
  var search = document.getElementById("id_client_search");
  var results = document.getElementById("client-results");
  var chosen = document.getElementById("client-chosen");
  var chosenLabel = document.getElementById("client-chosen-label");
  var company = document.getElementById("id_company");
  var person = document.getElementById("id_entrepreneur");
  var subsector = document.getElementById("id_subsector");
  var url = form.getAttribute("data-search-url");
  var pending = null;
  var latest = "";

  function clearResults() {
    results.innerHTML = "";
    search.setAttribute("aria-expanded", "false");
  }

  function choose(item) {
    company.value = item.kind === "company" ? item.id : "";
    person.value = item.kind === "entrepreneur" ? item.id : "";
    if (item.subsector && subsector && !subsector.value) { subsector.value = item.subsector; }
    chosenLabel.textContent = item.label;
    chosen.classList.remove("d-none");
    search.value = "";
    clearResults();
    document.getElementById("id_topic").focus();
  }

  function show(items) {
    clearResults();
    items.forEach(function (item) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "list-group-item list-group-item-action";
      button.setAttribute("role", "option");
      button.textContent = item.label + " ";
      var small = document.createElement("small");
      small.className = "text-body-secondary";
      small.textContent = item.detail;
      button.appendChild(small);
      button.addEventListener("click", function () { choose(item); });
      results.appendChild(button);
    });
    if (items.length) {
      search.setAttribute("aria-expanded", "true");
    } else if (search.value.trim().length >= 2) {
      var none = document.createElement("div");
      none.className = "list-group-item small text-body-secondary";
      none.textContent = results.getAttribute("data-empty-text");
      results.appendChild(none);
    }
  }

  search.addEventListener("input", function () {
    var text = search.value.trim();
    window.clearTimeout(pending);
    if (text.length < 2) { clearResults(); return; }
    pending = window.setTimeout(function () {
      latest = text;
      fetch(url + "?q=" + encodeURIComponent(text), { headers: { "Accept": "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (data) { if (latest === text) { show(data.results); } });
    }, 150);
  });

  // Enter in the search box picks the first match instead of saving a consultation without anybody.
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var first = results.querySelector("button");
      if (first) { event.preventDefault(); first.click(); }
      else if (search.value.trim()) { event.preventDefault(); }
    } else if (event.key === "ArrowDown") {
      var button = results.querySelector("button");
      if (button) { event.preventDefault(); button.focus(); }
    }
  });

  document.getElementById("client-clear").addEventListener("click", function () {
    company.value = "";
    person.value = "";
    chosen.classList.add("d-none");
    search.focus();
  });

  form.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.tagName === "SELECT") {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  // Enter saves from anywhere; Shift+Enter writes a new line in the question and the answer.
  form.querySelectorAll("textarea").forEach(function (area) {
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
  });
})();
