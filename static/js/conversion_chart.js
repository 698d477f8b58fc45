// The conversion report's bar chart: referred and converted by topic.
(function () {
  "use strict";
  var canvas = document.getElementById("conversion-chart");
  var source = document.getElementById("conversion-data");
  if (!canvas || !source || typeof Chart === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "bar",
    data: {
      labels: data.labels,
      datasets: [
        { label: data.referred_label, data: data.referred, backgroundColor: "#adb5bd" },
        { label: data.converted_label, data: data.converted, backgroundColor: "#198754" }
      ]
    },
    options: { responsive: true, maintainAspectRatio: false, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } }
  });
})();
