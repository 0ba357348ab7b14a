// Keeps deployment status, replica counts and messages current without a reload: polls the portal's live view
// every two seconds and updates the elements marked data-live inside each [data-deployment] element.
(function () {
  'use strict';
  const root = document.querySelector('[data-live-url]');
  if (!root) {
    return;
  }
  const url = root.getAttribute('data-live-url');

  function update(element, live) {
    element.querySelectorAll('[data-live]').forEach(function (field) {
      const name = field.getAttribute('data-live');
      if (name === 'status') {
        field.textContent = live.status;
        field.className = field.className.replace(/\bstatus-\S+/g, '') + ' status-' + live.status.toLowerCase();
      } else if (name === 'progress') {
        const percent = live.desiredReplicas === 0 ? 0 : Math.round(100 * live.readyReplicas / live.desiredReplicas);
        field.classList.remove('w-0');
        field.setAttribute('aria-valuenow', String(percent));
        field.style.width = percent + '%';
      } else if (name === 'endpoint') {
        field.textContent = live.endpoint || '—';
      } else if (name in live) {
        field.textContent = live[name] === null ? '' : String(live[name]);
      }
    });
  }

  function refresh() {
    fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (all) {
        all.forEach(function (live) {
          document.querySelectorAll('[data-deployment]').forEach(function (element) {
            if (element.getAttribute('data-deployment') === live.name) {
              update(element, live);
            }
          });
        });
      })
      .catch(function () { /* the next poll tries again */ });
  }

  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        event.preventDefault();
      }
    });
  });
  refresh();
  setInterval(refresh, 2000);
}());
