// Draws the audit page's charts: events per model per day and outcomes per day, from the JSON the portal computes
// under the same filters as the table (see [data-stats-url]). Chart.js comes from its WebJar.
(function () {
  'use strict';
  const root = document.querySelector('[data-stats-url]');
  if (!root || typeof Chart === 'undefined') {
    return;
  }
  const outcomeColours = {
    OK: '#198754', CLIENT_ERROR: '#fd7e14', DENIED: '#6f42c1', SERVER_ERROR: '#dc3545', UNAVAILABLE: '#6c757d',
    NONE: '#adb5bd'
  };

  function stacked(canvasId, days, datasets) {
    const canvas = document.getElementById(canvasId);
    if (!canvas) {
      return;
    }
    new Chart(canvas, {
      type: 'bar',
      data: { labels: days, datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }

  function note(text) {
    const element = document.getElementById('charts-note');
    if (element) {
      element.textContent = text;
    }
  }

  fetch(root.getAttribute('data-stats-url'), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          throw new Error(body.detail || 'The charts could not be loaded.');
        }
        return body;
      });
    })
    .then(function (stats) {
      stacked('chart-models', stats.days, stats.models.map(function (series) {
        return { label: series.label, data: series.counts };
      }));
      stacked('chart-outcomes', stats.days, stats.outcomes.map(function (series) {
        return { label: series.label, data: series.counts, backgroundColor: outcomeColours[series.label] || '#0f5e6e' };
      }));
      note('UTC days from ' + stats.from + ' to ' + stats.to + '.');
    })
    .catch(function (error) {
      note(error.message);
    });
}());
