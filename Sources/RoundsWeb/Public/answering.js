// Comforts for typing answers (issue 18); every page works without this script.
//
// - Under an answer box: its word count and, on practice questions, the time since the page opened
//   against the question's suggested minutes (mock interviews have their own countdown).
// - Ctrl+Enter (or Cmd+Enter) in a text box sends its form.
// - On a feedback page, keys 1 to 4 re-rate the answer (Again, Hard, Good, Easy), as in Anki.
// - "?" lists the shortcuts; Escape closes the list.
(function () {
  "use strict";

  function words(text) {
    var found = text.trim().match(/\S+/g);
    return found ? found.length : 0;
  }

  var area = document.querySelector("textarea[data-minutes]");
  var meter = document.getElementById("answer-meter");
  if (area && meter) {
    var minutes = Number(area.getAttribute("data-minutes")) || 0;
    var opened = Date.now();
    var timed = !document.querySelector(".countdown");
    var update = function () {
      var count = words(area.value);
      var text = count + (count === 1 ? " word" : " words");
      if (timed) {
        var seconds = Math.floor((Date.now() - opened) / 1000);
        text += " · " + Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
        if (minutes) text += " of about " + minutes + " min";
        meter.classList.toggle("over", minutes > 0 && seconds > minutes * 60);
      }
      meter.textContent = text;
    };
    area.addEventListener("input", update);
    update();
    if (timed) window.setInterval(update, 1000);
  }

  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && target.tagName === "TEXTAREA" && target.form) {
      event.preventDefault();
      if (target.form.reportValidity()) target.form.requestSubmit();
      return;
    }
    var typing = /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) || target.isContentEditable;
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    var rating = document.getElementById("rating");
    if (rating && /^[1-4]$/.test(event.key) && rating.form) {
      rating.value = event.key;
      rating.form.requestSubmit();
    } else if (event.key === "?") {
      toggleHelp();
    } else if (event.key === "Escape") {
      var open = document.getElementById("shortcuts");
      if (open) open.remove();
    }
  });

  function toggleHelp() {
    var open = document.getElementById("shortcuts");
    if (open) { open.remove(); return; }
    var box = document.createElement("aside");
    box.id = "shortcuts";
    box.className = "shortcuts";
    box.setAttribute("role", "dialog");
    box.setAttribute("aria-label", "Keyboard shortcuts");
    var rows = [["Ctrl+Enter", "send the answer or form you are typing in"], ["1 to 4", "on feedback: re-rate as Again, Hard, Good or Easy"], ["?", "show or hide this list"], ["Escape", "close it"]];
    var list = document.createElement("dl");
    rows.forEach(function (row) {
      var key = document.createElement("dt");
      var kbd = document.createElement("kbd");
      kbd.textContent = row[0];
      key.appendChild(kbd);
      var what = document.createElement("dd");
      what.textContent = row[1];
      list.appendChild(key);
      list.appendChild(what);
    });
    var heading = document.createElement("h2");
    heading.textContent = "Keyboard shortcuts";
    var close = document.createElement("button");
    close.type = "button";
    close.className = "secondary";
    close.textContent = "Close";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(heading);
    box.appendChild(list);
    box.appendChild(close);
    document.body.appendChild(box);
    close.focus();
  }
})();
