/* Idle-logout warning and form drafts (issue 12, wall 3; docs/security.md).
 *
 * 1. A few minutes before the idle logout a dialog warns; "Pozostań zalogowany" POSTs the
 *    keep-alive endpoint (CSRF token from the page) and restarts the countdown.
 * 2. Forms marked data-draft keep what is typed in localStorage, keyed by user id + form URL,
 *    saved as the user types; after a re-login the draft is restored with a notice and a
 *    "Odrzuć szkic" button; a submit that leads away from the form deletes it.
 * 3. An explicit logout deletes all drafts of the user (shared computers); only the idle-expiry
 *    case keeps them.
 */
(function () {
  "use strict";
  var watch = document.getElementById("session-watch");
  if (!watch) { return; }
  var user = watch.dataset.user;
  var prefix = "draft:" + user + ":";
  var SUBMITTED = "draft-submitted";

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  // --- the idle-logout warning -------------------------------------------------------------
  var timeout = parseInt(watch.dataset.timeout, 10) * 1000;
  var warnBefore = parseInt(watch.dataset.warnBefore, 10) * 1000;
  var modalElement = document.getElementById("session-warning");
  var stay = document.getElementById("session-stay");
  var modal = null;
  var warnTimer = null;
  var expireTimer = null;

  function showModal() {
    if (!modal && window.bootstrap) { modal = new window.bootstrap.Modal(modalElement); }
    if (modal) { modal.show(); } else { modalElement.classList.add("show"); modalElement.style.display = "block"; }
  }

  function hideModal() {
    if (modal) { modal.hide(); } else { modalElement.classList.remove("show"); modalElement.style.display = "none"; }
  }

  function expired() {
    document.getElementById("session-warning-text").hidden = true;
    document.getElementById("session-expired-text").hidden = false;
    document.getElementById("session-login").hidden = false;
    stay.hidden = true;
    showModal();
    document.getElementById("session-login").focus();
  }

  function schedule() {
    clearTimeout(warnTimer);
    clearTimeout(expireTimer);
    warnTimer = setTimeout(showModal, Math.max(0, timeout - warnBefore));
    expireTimer = setTimeout(expired, timeout);
  }

  modalElement.addEventListener("shown.bs.modal", function () {
    (stay.hidden ? document.getElementById("session-login") : stay).focus();
  });

  stay.addEventListener("click", function () {
    fetch(watch.dataset.keepaliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": watch.dataset.csrf, "X-Requested-With": "fetch" },
      redirect: "manual"
    }).then(function (response) {
      if (response.ok) { hideModal(); schedule(); } else { expired(); }
    }).catch(expired);
  });

  schedule();

  // --- explicit logout clears the user's drafts --------------------------------------------
  // Set at the logout: a draft save still pending from the last keystroke (300 ms) must not write
  // the draft back while the logout request is on its way.
  var loggingOut = false;
  function clearDrafts() {
    loggingOut = true;
    var store = storage();
    if (!store) { return; }
    var doomed = [];
    for (var i = 0; i < store.length; i++) {
      var key = store.key(i);
      if (key && key.indexOf(prefix) === 0) { doomed.push(key); }
    }
    doomed.forEach(function (key) { store.removeItem(key); });
    store.removeItem(SUBMITTED);
  }

  document.querySelectorAll("form").forEach(function (form) {
    if (form.getAttribute("action") === watch.dataset.logoutUrl) {
      form.addEventListener("submit", clearDrafts);
    }
  });

  // --- drafts --------------------------------------------------------------------------------
  var store = storage();
  if (!store) { return; }

  // a submit that left the form (saved): its draft goes; back on the same form (errors): kept
  var submitted = store.getItem(SUBMITTED);
  if (submitted) {
    store.removeItem(SUBMITTED);
    var stillHere = submitted === prefix + location.pathname + location.search;
    if (!stillHere && location.pathname.indexOf("/konto/") !== 0) { store.removeItem(submitted); }
  }

  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && !el.disabled && ["hidden", "password", "file", "submit", "button"].indexOf(el.type) < 0;
    });
  }

  function collect(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        values[el.name + "=" + el.value] = el.checked;
      } else if (el.multiple) {
        values[el.name] = Array.prototype.filter.call(el.options, function (o) { return o.selected; })
          .map(function (o) { return o.value; });
      } else {
        values[el.name] = el.value;
      }
    });
    return values;
  }

  function apply(form, values) {
    fields(form).forEach(function (el) {
      if (el.type === "checkbox" || el.type === "radio") {
        var key = el.name + "=" + el.value;
        if (key in values) { el.checked = values[key]; }
      } else if (el.multiple && Array.isArray(values[el.name])) {
        Array.prototype.forEach.call(el.options, function (o) { o.selected = values[el.name].indexOf(o.value) >= 0; });
      } else if (el.name in values) {
        el.value = values[el.name];
      }
    });
  }

  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }

  function notice(form, key, savedAt) {
    var box = document.createElement("div");
    box.className = "alert alert-info d-flex flex-wrap align-items-center gap-2 draft-restored";
    box.setAttribute("role", "status");
    var text = document.createElement("span");
    text.textContent = watch.dataset.restoredText + " " + savedAt.toLocaleString("pl-PL", {
      day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit"
    }) + ".";
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "btn btn-sm btn-outline-secondary";
    discard.textContent = watch.dataset.discardText;
    discard.addEventListener("click", function () {
      store.removeItem(key);
      location.reload();
    });
    box.appendChild(text);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  document.querySelectorAll("form[data-draft]").forEach(function (form) {
    var key = prefix + location.pathname + location.search;
    var pristine = collect(form);
    var saved = null;
    try { saved = JSON.parse(store.getItem(key) || "null"); } catch (e) { saved = null; }
    // An edit form carries the version it was read at (core.locking): a draft keeps the version it
    // was typed against, so restoring a draft older than someone else's save ends on the "changed in
    // the meantime" page with both versions, never as a silent overwrite.
    var version = form.elements.namedItem("lock_version");
    if (saved && saved.values && !same(saved.values, pristine)) {
      apply(form, saved.values);
      if (version && saved.version) { version.value = saved.version; }  // the draft's, not today's
      notice(form, key, new Date(saved.at));
    }
    function record(values) {
      if (loggingOut) { return; }
      var draft = { at: Date.now(), values: values };
      if (version) { draft.version = version.value; }  // after a restore: the draft's own version
      store.setItem(key, JSON.stringify(draft));
    }
    var pending = null;
    function save() {
      clearTimeout(pending);
      pending = setTimeout(function () {
        var values = collect(form);
        if (same(values, pristine)) { store.removeItem(key); return; }
        record(values);
      }, 300);
    }
    form.addEventListener("input", save);
    form.addEventListener("change", save);
    form.addEventListener("submit", function () {
      clearTimeout(pending);
      var values = collect(form);
      if (!same(values, pristine)) { record(values); }
      store.setItem(SUBMITTED, key);
    });
  });
})();
