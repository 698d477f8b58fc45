// The dashboard's charts: each canvas names the JSON block (json_script) with its labels and datasets.
// The table under each chart holds the same figures, so nothing is lost without JavaScript.
(function () {
  "use strict";
  if (typeof Chart === "undefined") { return; }
  var colours = ["#198754", "#6c757d", "#0d6efd", "#fd7e14", "#6f42c1", "#20c997"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    var source = document.getElementById(canvas.dataset.chart);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var doughnut = spec.type === "doughnut";
    var datasets = spec.datasets.map(function (set, n) {
      return {
        label: set.label,
        data: set.data,
        backgroundColor: doughnut ? colours.slice(0, set.data.length) : colours[n % colours.length]
      };
    });
    var options = { responsive: true, maintainAspectRatio: false, plugins: { legend: { position: "bottom" } } };
    if (!doughnut) {
      options.scales = {
        x: { stacked: !!spec.stacked, ticks: { autoSkip: false, maxRotation: 60 } },
        y: { stacked: !!spec.stacked, beginAtZero: true, ticks: { precision: 0 } }
      };
    }
    new Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasets }, options: options });
  });
})();
