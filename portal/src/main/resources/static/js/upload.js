// Uploads a file as the raw request body with a progress bar. The server streams it into the artifact store,
// checks size, checksum and content, and answers 201 with the stored artifact or a ProblemDetail saying what is wrong.
// After a success the list of uploaded files is refreshed in place: the page is never reloaded, so an upload started
// meanwhile in the other form goes on and keeps its message.
(function () {
  'use strict';
  const csrfToken = document.querySelector('meta[name="_csrf"]')?.content;
  const csrfHeader = document.querySelector('meta[name="_csrf_header"]')?.content;

  function human(bytes) {
    const units = ['bytes', 'KiB', 'MiB', 'GiB'];
    let i = 0;
    while (bytes >= 1024 && i < units.length - 1) { bytes /= 1024; i++; }
    return (i === 0 ? bytes : bytes.toFixed(1)) + ' ' + units[i];
  }

  function show(result, kind, text) {
    result.className = 'upload-result small alert alert-' + kind;
    result.textContent = text;
  }

  // Replaces the "Uploaded" list with the server's current one (the same page, fetched again).
  function refreshUploaded() {
    return fetch(window.location.href, { headers: { Accept: 'text/html' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        const fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('uploaded');
        const list = document.getElementById('uploaded');
        if (fresh && list) { list.replaceWith(fresh); }
      })
      .catch(function () { /* the message above already says what was stored; the list catches up on the next visit */ });
  }

  document.querySelectorAll('form.upload-form').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      const file = form.querySelector('input[type=file]').files[0];
      const sha = form.querySelector('input[name=sha256]')?.value.trim();
      const result = form.querySelector('.upload-result');
      const progress = form.querySelector('.progress');
      const bar = progress.querySelector('.progress-bar');
      const button = form.querySelector('button[type=submit]');
      if (!file) { show(result, 'warning', 'Choose a file first.'); return; }
      const max = Number(form.dataset.max);
      if (max && file.size > max) {
        show(result, 'danger', file.name + ' is ' + human(file.size) + ', over the limit of ' + human(max) + '.');
        return;
      }
      let url = form.dataset.url + '?fileName=' + encodeURIComponent(file.name);
      if (sha) { url += '&sha256=' + encodeURIComponent(sha); }
      const xhr = new XMLHttpRequest();
      xhr.open('PUT', url);
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Accept', 'application/json');
      if (csrfHeader && csrfToken) { xhr.setRequestHeader(csrfHeader, csrfToken); }
      xhr.upload.addEventListener('progress', function (e) {
        if (!e.lengthComputable) { return; }
        const pct = Math.round(100 * e.loaded / e.total);
        bar.style.width = pct + '%';
        bar.textContent = pct + '%';
        progress.setAttribute('aria-valuenow', String(pct));
      });
      xhr.addEventListener('load', function () {
        button.disabled = false;
        let body = {};
        try { body = JSON.parse(xhr.responseText); } catch (ignored) { /* not JSON */ }
        if (xhr.status === 201) {
          bar.classList.add('bg-success');
          show(result, 'success', 'Stored ' + body.fileName + ' (' + human(body.sizeBytes) + '), SHA-256 ' + body.sha256);
          refreshUploaded();
        } else {
          bar.classList.add('bg-danger');
          show(result, 'danger', body.detail || ('Upload failed with HTTP ' + xhr.status + '.'));
        }
      });
      xhr.addEventListener('error', function () {
        button.disabled = false;
        bar.classList.add('bg-danger');
        show(result, 'danger', 'The connection broke off: nothing was stored. Try again.');
      });
      progress.hidden = false;
      bar.classList.remove('bg-success', 'bg-danger');
      bar.style.width = '0%';
      button.disabled = true;
      show(result, 'info', 'Uploading ' + file.name + ' (' + human(file.size) + ')…');
      xhr.send(file);
    });
  });
}());
