// Runs inside the self-contained HTML report: draws the charts with the inlined Chart.js
// from the JSON embedded in <script id="report-data">. No network access.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var palette = ['#58a6ff', '#f0883e', '#3fb950', '#db61a2', '#a371f7', '#f85149', '#39c5cf', '#e3b341'];
  var muted = '#8893a1';
  var grid = 'rgba(136, 147, 161, 0.16)';
  /* global Chart */
  Chart.defaults.color = muted;
  Chart.defaults.borderColor = grid;
  Chart.defaults.font.family = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif";
  Chart.defaults.font.size = 11;
  Chart.defaults.animation = false;
  Chart.defaults.plugins.legend.labels.boxWidth = 12;
  Chart.defaults.plugins.legend.labels.color = '#c9d1d9';
  Chart.defaults.plugins.title.color = '#d8dee6';
  Chart.defaults.plugins.title.font = { size: 13, weight: '600' };

  function fmt(x, d) { return x === null || x === undefined ? '—' : x.toFixed(d); }
  function unitAxis(title) {
    return { type: 'linear', min: 0, max: 1, title: { display: true, text: title }, ticks: { stepSize: 0.2 } };
  }
  function diagonal(label) {
    return { label: label, data: [{ x: 0, y: 0 }, { x: 1, y: 1 }], showLine: true, borderColor: 'rgba(136,147,161,0.55)', borderDash: [5, 5], borderWidth: 1, pointRadius: 0 };
  }

  data.model.labels.forEach(function (label, i) {
    var canvas = document.getElementById('roc-' + i);
    var roc = data.curves.roc[label];
    var stats = data.summary.perLabel[label];
    var colour = palette[i % palette.length];
    var points = roc.fpr.map(function (f, k) { return { x: f, y: roc.tpr[k] }; }).filter(function (p) { return p.x !== null && p.y !== null; });
    var ci = stats.aucCi95 || [null, null];
    new Chart(canvas, {
      type: 'scatter',
      data: {
        datasets: [
          { label: 'ROC', data: points, showLine: true, borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: 0, tension: 0 },
          {
            label: 'Operating point (' + fmt(stats.threshold, 3) + ')',
            data: stats.sensitivity === null || stats.specificity === null ? [] : [{ x: 1 - stats.specificity, y: stats.sensitivity }],
            pointRadius: 6, pointStyle: 'rectRot', borderColor: '#ffffff', backgroundColor: colour, borderWidth: 1.5,
          },
          diagonal('Chance'),
        ],
      },
      options: {
        aspectRatio: 1.1,
        scales: { x: unitAxis('1 − specificity'), y: unitAxis('Sensitivity') },
        plugins: {
          title: { display: true, text: label + ' — AUC ' + fmt(stats.auc, 3) + '  [' + fmt(ci[0], 3) + ', ' + fmt(ci[1], 3) + ']' },
          legend: { position: 'bottom' },
        },
      },
    });
  });

  function reliabilityPoints(bins) {
    var max = Math.max.apply(null, bins.map(function (b) { return b.count; }).concat([1]));
    return bins.filter(function (b) { return b.count > 0; }).map(function (b) {
      return { x: b.meanConfidence, y: b.accuracy, n: b.count, r: 3 + 7 * Math.sqrt(b.count / max) };
    });
  }
  function reliabilitySet(label, bins, colour) {
    var pts = reliabilityPoints(bins);
    return { label: label, data: pts, showLine: true, borderColor: colour, backgroundColor: colour, borderWidth: 2, pointRadius: pts.map(function (p) { return p.r; }) };
  }
  new Chart(document.getElementById('reliability'), {
    type: 'scatter',
    data: {
      datasets: [
        reliabilitySet('Before calibration — ECE ' + fmt(data.summary.eceBeforeCalibration, 3), data.curves.reliabilityBefore, '#f0883e'),
        reliabilitySet('After temperature scaling — ECE ' + fmt(data.summary.ece, 3), data.curves.reliabilityAfter, '#58a6ff'),
        diagonal('Perfect calibration'),
      ],
    },
    options: {
      aspectRatio: 1.25,
      scales: { x: unitAxis('Mean predicted probability (bin)'), y: unitAxis('Observed fraction positive') },
      plugins: {
        title: { display: true, text: 'Reliability diagram (all labels pooled; point size ∝ cases)' },
        legend: { position: 'bottom' },
        tooltip: { callbacks: { label: function (c) { return 'p̄ ' + fmt(c.raw.x, 3) + ', observed ' + fmt(c.raw.y, 3) + ' (n = ' + c.raw.n + ')'; } } },
      },
    },
  });

  var history = data.history;
  var lossCanvas = document.getElementById('loss');
  var aucCanvas = document.getElementById('auc');
  if (history.length > 0 && lossCanvas && aucCanvas) {
    var epochs = history.map(function (h) { return h.epoch; });
    var best = data.model.bestEpoch;
    var radius = function (h) { return h.epoch === best ? 6 : 2.5; };
    var line = function (label, values, colour, dashed) {
      return { label: label, data: values, borderColor: colour, backgroundColor: colour, borderWidth: 2, borderDash: dashed ? [6, 4] : [], pointRadius: history.map(radius), tension: 0.15 };
    };
    new Chart(lossCanvas, {
      type: 'line',
      data: {
        labels: epochs,
        datasets: [
          line('Training loss', history.map(function (h) { return h.loss; }), '#58a6ff', false),
          line('Validation loss', history.map(function (h) { return h.valLoss; }), '#f0883e', true),
        ],
      },
      options: { aspectRatio: 1.6, scales: { x: { title: { display: true, text: 'Epoch' } }, y: { title: { display: true, text: 'Loss (weighted BCE)' } } }, plugins: { title: { display: true, text: 'Loss per epoch' + (best ? ' (large point: best epoch ' + best + ')' : '') }, legend: { position: 'bottom' } } },
    });
    new Chart(aucCanvas, {
      type: 'line',
      data: { labels: epochs, datasets: [line('Validation macro-AUC', history.map(function (h) { return h.valAuc; }), '#3fb950', false)] },
      options: { aspectRatio: 1.6, scales: { x: { title: { display: true, text: 'Epoch' } }, y: { suggestedMax: 1, title: { display: true, text: 'Macro-AUC' } } }, plugins: { title: { display: true, text: 'Validation AUC per epoch' }, legend: { position: 'bottom' } } },
    });
  }
  document.body.setAttribute('data-charts-ready', 'true');
})();
