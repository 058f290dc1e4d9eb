// foobar guestbook — client side.
// Served under a strict CSP (default-src 'self'): no inline code, no external
// resources. User data is rendered ONLY through textContent/createElement.
(function () {
  'use strict';

  var API = '/api/messages';
  var LIMIT = 20;
  var MAX_AUTHOR = 64;
  var MAX_BODY = 2000;
  var TIMEOUT_MS = 10000;

  var els = {};

  function $(id) { return document.getElementById(id); }

  // fetch with a timeout; records X-Served-By from every API response.
  function api(path, options) {
    options = options || {};
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, TIMEOUT_MS) : null;
    if (ctrl) options.signal = ctrl.signal;
    options.headers = Object.assign({ 'Accept': 'application/json' }, options.headers || {});
    options.credentials = 'same-origin';
    options.cache = 'no-store';
    return fetch(path, options).then(function (res) {
      var by = res.headers.get('X-Served-By');
      if (by) els.servedBy.textContent = by;
      return res.text().then(function (text) {
        var data = null;
        if (text) {
          try { data = JSON.parse(text); } catch (e) { data = null; }
        }
        if (!res.ok) {
          var msg = data && typeof data.error === 'string' && data.error
            ? data.error
            : 'HTTP ' + res.status + (res.statusText ? ' ' + res.statusText : '');
          var err = new Error(msg);
          err.status = res.status;
          throw err;
        }
        if (data === null) throw new Error('invalid response from server');
        return data;
      });
    }, function (e) {
      if (e && e.name === 'AbortError') throw new Error('request timed out');
      throw new Error('network error: ' + (e && e.message ? e.message : 'request failed'));
    }).finally(function () {
      if (timer) clearTimeout(timer);
    });
  }

  function formatTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return String(iso || '');
    try {
      return d.toLocaleString(undefined, {
        year: 'numeric', month: 'short', day: 'numeric',
        hour: '2-digit', minute: '2-digit'
      });
    } catch (e) {
      return d.toISOString();
    }
  }

  function renderMessage(m) {
    var li = document.createElement('li');
    li.className = 'message';
    if (m.id !== undefined && m.id !== null) li.dataset.id = String(m.id);

    var head = document.createElement('div');
    head.className = 'message-head';

    var author = document.createElement('span');
    author.className = 'author';
    author.textContent = String(m.author == null ? '' : m.author);

    var time = document.createElement('time');
    time.className = 'created-at';
    var created = String(m.created_at == null ? '' : m.created_at);
    time.dateTime = created;
    time.title = created;
    time.textContent = formatTime(created);

    head.appendChild(author);
    head.appendChild(time);

    var body = document.createElement('p');
    body.className = 'body';
    body.textContent = String(m.body == null ? '' : m.body);

    li.appendChild(head);
    li.appendChild(body);
    return li;
  }

  function renderList(messages) {
    // Newest first, whatever order the server used.
    var sorted = messages.slice().sort(function (a, b) {
      var ta = Date.parse(a.created_at), tb = Date.parse(b.created_at);
      if (!isNaN(ta) && !isNaN(tb) && ta !== tb) return tb - ta;
      return (Number(b.id) || 0) - (Number(a.id) || 0);
    });
    var frag = document.createDocumentFragment();
    sorted.forEach(function (m) {
      if (m && typeof m === 'object') frag.appendChild(renderMessage(m));
    });
    els.messages.replaceChildren(frag);
    els.status.textContent = sorted.length ? '' : 'No messages yet — be the first!';
    els.status.hidden = sorted.length > 0;
    els.status.classList.remove('error');
  }

  // Load the list; if a load is already in flight, run one more afterwards so
  // the caller always sees data fetched after its call (e.g. right after a post).
  var inflight = null;
  var again = null;

  function fetchOnce() {
    els.messages.setAttribute('aria-busy', 'true');
    return api(API + '?limit=' + LIMIT).then(function (data) {
      var list = data && Array.isArray(data.messages) ? data.messages : null;
      if (!list) throw new Error('invalid response from server');
      renderList(list);
      els.messages.dataset.loaded = 'true';
    }).catch(function (e) {
      els.status.hidden = false;
      els.status.classList.add('error');
      els.status.textContent = 'Could not load messages: ' + e.message;
    }).finally(function () {
      els.messages.removeAttribute('aria-busy');
    });
  }

  function loadMessages() {
    if (!inflight) {
      inflight = fetchOnce().finally(function () { inflight = null; });
      return inflight;
    }
    if (!again) {
      again = inflight.then(function () {
        again = null;
        return loadMessages();
      });
    }
    return again;
  }

  function showError(text) {
    els.error.textContent = text;
    els.error.hidden = !text;
  }

  function updateCounter() {
    var n = els.body.value.length;
    els.counter.textContent = n + ' / ' + MAX_BODY;
    els.counter.classList.toggle('over', n > MAX_BODY);
  }

  function onSubmit(ev) {
    ev.preventDefault();
    var author = els.author.value.trim();
    var body = els.body.value.trim();

    if (!author) { showError('Please enter your name.'); els.author.focus(); return; }
    if (author.length > MAX_AUTHOR) { showError('Name is too long (max ' + MAX_AUTHOR + ' characters).'); return; }
    if (!body) { showError('Please write a message.'); els.body.focus(); return; }
    if (body.length > MAX_BODY) { showError('Message is too long (max ' + MAX_BODY + ' characters).'); return; }

    showError('');
    els.submit.disabled = true;
    els.submit.textContent = 'Posting…';

    api(API, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ author: author, body: body })
    }).then(function () {
      els.body.value = '';
      updateCounter();
      try { localStorage.setItem('foobar.author', author); } catch (e) { /* ignore */ }
      return loadMessages();
    }).catch(function (e) {
      showError(e.message || 'Could not post the message.');
    }).finally(function () {
      els.submit.disabled = false;
      els.submit.textContent = 'Post message';
    });
  }

  function init() {
    els.form = $('post-form');
    els.author = $('author');
    els.body = $('body');
    els.submit = $('submit');
    els.error = $('error');
    els.messages = $('messages');
    els.status = $('status');
    els.servedBy = $('served-by');
    els.counter = $('counter');
    els.refresh = $('refresh');

    try {
      var saved = localStorage.getItem('foobar.author');
      if (saved && !els.author.value) els.author.value = saved;
    } catch (e) { /* storage may be unavailable */ }

    els.form.addEventListener('submit', onSubmit);
    els.body.addEventListener('input', updateCounter);
    els.body.addEventListener('keydown', function (ev) {
      if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
        ev.preventDefault();
        if (typeof els.form.requestSubmit === 'function') els.form.requestSubmit();
        else els.submit.click();
      }
    });
    els.refresh.addEventListener('click', function () { loadMessages(); });
    updateCounter();
    loadMessages();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }
})();
