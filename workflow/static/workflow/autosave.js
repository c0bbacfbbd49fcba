// No lost work on a change page: every few seconds while the form has unsaved
// changes, its text fields are kept in this browser (localStorage, keyed by the
// page's address and the signed-in user, with the time); on coming back, the
// editor is offered "Restore" or "Discard" (never restored or submitted by
// itself); leaving a form with unsaved changes asks first. The copy is removed
// once a save succeeds (the next page shows Django's success message).
// The restore box and the storage key come from templates/workflow/admin/conflict.html.
(function () {
  "use strict";

  var PREFIX = "medsite-autosave:";
  var PENDING = "medsite-autosave-pending";
  var EVERY_MS = 5000;
  var KEEP_MS = 7 * 24 * 60 * 60 * 1000;
  // Restored with the text, so a save of an old copy is checked against the version it started from.
  var KEPT_HIDDEN = ["edit_version", "edit_opened"];
  var TEXT_TYPES = ["text", "url", "email", "number", "search", "tel"];

  function read(key) {
    try {
      return JSON.parse(localStorage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function write(key, entry) {
    try {
      localStorage.setItem(key, JSON.stringify(entry));
    } catch (error) {
      // Storage full or switched off: the unsaved-changes warning still protects the text.
    }
  }

  function clearAfterSuccessfulSave() {
    var pending = sessionStorage.getItem(PENDING);
    sessionStorage.removeItem(PENDING);
    if (pending && document.querySelector(".messagelist .success")) {
      localStorage.removeItem(pending);
    }
  }

  function dropExpired() {
    var now = Date.now();
    for (var i = localStorage.length - 1; i >= 0; i--) {
      var key = localStorage.key(i);
      if (key && key.indexOf(PREFIX) === 0) {
        var entry = read(key);
        if (!entry || !entry.savedAt || now - entry.savedAt > KEEP_MS) localStorage.removeItem(key);
      }
    }
  }

  function isTextField(element) {
    if (!element.name || element.disabled || element.name.indexOf("__prefix__") !== -1) return false;
    if (element.tagName === "TEXTAREA") return true;
    if (element.tagName !== "INPUT") return false;
    if (element.type === "hidden") return KEPT_HIDDEN.indexOf(element.name) !== -1;
    return TEXT_TYPES.indexOf(element.type) !== -1;
  }

  function textFields(form) {
    return Array.prototype.filter.call(form.elements, isTextField);
  }

  function snapshot(form) {
    var values = {};
    textFields(form).forEach(function (element) { values[element.name] = element.value; });
    return values;
  }

  function differsFromPage(saved, now) {
    return Object.keys(saved).some(function (name) {
      return KEPT_HIDDEN.indexOf(name) === -1 && name in now && saved[name] !== now[name];
    });
  }

  // django-prose-editor keeps a Tiptap editor over each rich-text textarea and announces it with
  // "prose-editor:ready"; listened for at once, since editors may be ready before the page is.
  var richEditors = new WeakMap();
  document.addEventListener("prose-editor:ready", function (event) {
    richEditors.set(event.detail.textarea, event.detail.editor);
  });

  function richEditorOf(textarea) {
    return richEditors.get(textarea);
  }

  function fill(form, values) {
    Object.keys(values).forEach(function (name) {
      var element = form.elements.namedItem(name);
      if (!element || !isTextField(element)) return;
      element.value = values[name];
      var editor = element.tagName === "TEXTAREA" ? richEditorOf(element) : null;
      if (editor) editor.commands.setContent(values[name]);
    });
  }

  function formatTime(milliseconds) {
    return new Date(milliseconds).toLocaleString(undefined, {
      day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
    });
  }

  function offerRestore(box, form, key, entry, onRestored) {
    var text = document.getElementById("workflow-autosave-text");
    var restore = document.getElementById("workflow-autosave-restore");
    var discard = document.getElementById("workflow-autosave-discard");
    var when = formatTime(entry.savedAt);
    text.textContent = "This browser kept changes to this page that were not saved, from " + when + ".";
    restore.textContent = "Restore unsaved changes from " + when;
    restore.addEventListener("click", function () {
      fill(form, entry.fields);
      onRestored();
      text.textContent = "Unsaved changes from " + when + " are back in the form. Save to keep them.";
      restore.hidden = discard.hidden = true;
    });
    discard.addEventListener("click", function () {
      localStorage.removeItem(key);
      text.textContent = "Unsaved changes discarded.";
      restore.hidden = discard.hidden = true;
    });
    box.hidden = false;
  }

  function watch(box) {
    var form = box.closest("form");
    var key = box.dataset.storageKey;
    if (!form || !key) return;
    // A form shown again with errors (or an edit conflict) holds text the server has not saved.
    var unsaved = Boolean(form.querySelector("#edit-conflict, .errorlist"));
    var changedSinceCopy = false;
    var submitting = false;

    function keepCopy() {
      if (!changedSinceCopy) return;
      write(key, {savedAt: Date.now(), fields: snapshot(form)});
      changedSinceCopy = false;
    }
    function markChanged(event) {
      if (event && !event.isTrusted) return;  // the editors' own bookkeeping is not the editor typing
      unsaved = changedSinceCopy = true;
    }

    var entry = read(key);
    if (entry && entry.fields && !unsaved) {
      if (differsFromPage(entry.fields, snapshot(form))) {
        offerRestore(box, form, key, entry, function () { unsaved = changedSinceCopy = true; });
      } else {
        localStorage.removeItem(key);  // the page already shows this text: it was saved
      }
    }

    ["input", "change", "paste", "drop"].forEach(function (type) { form.addEventListener(type, markChanged); });
    setInterval(keepCopy, EVERY_MS);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") keepCopy();
    });
    window.addEventListener("pagehide", keepCopy);
    form.addEventListener("submit", function () {
      submitting = true;
      changedSinceCopy = unsaved;
      keepCopy();
      sessionStorage.setItem(PENDING, key);
    });
    window.addEventListener("beforeunload", function (event) {
      if (!unsaved || submitting) return;
      keepCopy();
      event.preventDefault();
      event.returnValue = "";  // older browsers show the warning only when this is set
    });
  }

  function start() {
    clearAfterSuccessfulSave();
    dropExpired();
    var box = document.getElementById("workflow-autosave");
    if (box) watch(box);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
