// Keeps what a learner types in this browser until the server says it was saved (issue 18).
//
// A text area with data-draft="KEY" is saved to localStorage as the learner types, and restored when
// the page comes back untouched (after a reload, a crash, or a failed post). Submitting marks the
// draft as sent but keeps it; the page the server shows after saving carries data-saved-draft="KEY",
// and only then is the draft removed. Signing out removes every draft, so the next person at a shared
// computer does not see them. Without JavaScript or storage, the forms work as before.
(function () {
  "use strict";
  var store;
  try {
    store = window.localStorage;
    store.setItem("rounds-probe", "1");
    store.removeItem("rounds-probe");
  } catch (e) {
    return;
  }
  var prefix = "rounds-draft:";

  function read(key) {
    try { return JSON.parse(store.getItem(prefix + key) || "null"); } catch (e) { return null; }
  }
  function write(key, text, sent) {
    try {
      if (text.trim()) store.setItem(prefix + key, JSON.stringify({ text: text, sent: sent, at: Date.now() }));
      else store.removeItem(prefix + key);
    } catch (e) { /* full or blocked: the form still works */ }
  }

  document.querySelectorAll("[data-saved-draft]").forEach(function (marker) {
    var draft = read(marker.getAttribute("data-saved-draft"));
    if (draft && draft.sent) store.removeItem(prefix + marker.getAttribute("data-saved-draft"));
  });

  document.querySelectorAll("form[action='/signout']").forEach(function (form) {
    form.addEventListener("submit", function () {
      for (var i = store.length - 1; i >= 0; i--) {
        var name = store.key(i);
        if (name && name.indexOf(prefix) === 0) store.removeItem(name);
      }
    });
  });

  document.querySelectorAll("textarea[data-draft]").forEach(function (area) {
    var key = area.getAttribute("data-draft");
    var draft = read(key);
    var note = document.getElementById(area.id + "-draft");
    if (draft && draft.text !== area.value && area.value === area.defaultValue) {
      area.value = draft.text;
      if (note) note.textContent = "Restored the draft this browser kept " + (draft.sent ? "(it was sent but not confirmed as saved)." : "from your last visit.");
    }
    var timer = null;
    area.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { write(key, area.value, false); }, 300);
    });
    if (area.form) {
      area.form.addEventListener("submit", function () {
        clearTimeout(timer);
        write(key, area.value, true);
      });
    }
  });
})();
