// Keeps what a learner types until the server says the answer was saved (issue 18).
//
// A text area with data-draft="KEY" is kept twice as the learner types:
// - in this browser (localStorage), at once, so a reload, a crash or a failed post loses nothing;
// - on the server (PUT /api/v1/drafts/KEY), a second or two after typing stops and when the page is
//   left, so the draft also survives an expired session or a change of computer. The server puts its
//   copy in the box when it renders the page, with its time in data-draft-at.
// Whichever copy is newer wins when the page loads. Submitting marks the browser's copy as sent but
// keeps it; the page the server shows after saving carries data-saved-draft="KEY", and only then is
// it removed (the server removes its own copy when it saves the answer). A save still on its way when
// the form is submitted is waited for, so it cannot bring back a draft of an answer already saved.
// Signing out removes this browser's drafts, so the next person at a shared computer does not see
// them. Without JavaScript the forms work as before, and the server's copy is still shown.
(function () {
  "use strict";
  var store = null;
  try {
    store = window.localStorage;
    store.setItem("rounds-probe", "1");
    store.removeItem("rounds-probe");
  } catch (e) {
    store = null;
  }
  var prefix = "rounds-draft:";
  var serverDelay = 1500;

  function read(key) {
    if (!store) return null;
    try { return JSON.parse(store.getItem(prefix + key) || "null"); } catch (e) { return null; }
  }
  function write(key, text, sent) {
    if (!store) return;
    try {
      if (text.trim()) store.setItem(prefix + key, JSON.stringify({ text: text, sent: sent, at: Date.now() }));
      else store.removeItem(prefix + key);
    } catch (e) { /* full or blocked: the server copy and the form still work */ }
  }
  function clock(ms) {
    var date = new Date(ms);
    var today = new Date();
    var time = date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    return date.toDateString() === today.toDateString() ? "at " + time : "on " + date.toLocaleDateString() + " at " + time;
  }

  if (store) {
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
  }

  document.querySelectorAll("textarea[data-draft]").forEach(function (area) {
    var key = area.getAttribute("data-draft");
    var url = "/api/v1/drafts/" + key;
    var serverAt = Number(area.getAttribute("data-draft-at")) || 0;
    var note = document.getElementById(area.id + "-draft");
    function say(text) { if (note && note.textContent !== text) note.textContent = text; }

    // The server's copy: what it holds, one save at a time, the latest text wins.
    var saved = area.defaultValue;
    var inflight = null;
    var serverTimer = null;
    var failed = false;
    function saveToServer(keepalive) {
      clearTimeout(serverTimer);
      var text = area.value;
      if (text === saved || !window.fetch) return inflight;
      if (inflight) {
        serverTimer = setTimeout(function () { saveToServer(false); }, serverDelay);
        return inflight;
      }
      inflight = fetch(url, {
        method: "PUT",
        credentials: "same-origin",
        keepalive: keepalive,
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ text: text })
      }).then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        saved = text;
        if (failed) { failed = false; say("Draft saved to your account again."); }
      }).catch(function () {
        if (!failed) { failed = true; say("Your draft could not be saved to your account just now; this browser keeps it."); }
      }).then(function () { inflight = null; });
      return inflight;
    }

    var draft = read(key);
    if (draft && draft.text !== area.value && area.value === area.defaultValue && draft.at > serverAt) {
      area.value = draft.text;
      say("Restored the draft this browser kept " + (draft.sent ? "(it was sent but not confirmed as saved)." : "from your last visit."));
      serverTimer = setTimeout(function () { saveToServer(false); }, serverDelay);
    } else if (serverAt > 0 && area.value.trim()) {
      say("Restored your draft, saved " + clock(serverAt) + ".");
    }

    var localTimer = null;
    area.addEventListener("input", function () {
      clearTimeout(localTimer);
      localTimer = setTimeout(function () { write(key, area.value, false); }, 300);
      clearTimeout(serverTimer);
      serverTimer = setTimeout(function () { saveToServer(false); }, serverDelay);
    });
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") saveToServer(true);
    });

    if (area.form) {
      var waited = false;
      area.form.addEventListener("submit", function (event) {
        clearTimeout(localTimer);
        clearTimeout(serverTimer);
        write(key, area.value, true);
        if (inflight && !waited && area.form.requestSubmit) {
          // Let the save land first, so it cannot recreate the draft after the answer is saved.
          event.preventDefault();
          waited = true;
          var submitter = event.submitter || null;
          var go = function () { area.form.requestSubmit(submitter); };
          Promise.race([inflight, new Promise(function (done) { setTimeout(done, 3000); })]).then(go, go);
        }
      });
    }
  });
})();
