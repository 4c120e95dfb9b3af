// Makes the mock interview's countdown tick. Only a display: the server keeps the time, and the page
// works without this script (the clock then shows the time left when the page was loaded).
(function () {
  "use strict";
  var box = document.querySelector(".countdown[data-deadline]");
  var clock = document.getElementById("clock");
  if (!box || !clock) return;
  var deadline = Number(box.getAttribute("data-deadline")) * 1000;
  var announced = false;
  function tick() {
    var left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
    clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    clock.setAttribute("datetime", "PT" + left + "S");
    if (left <= 60) box.classList.add("ending");
    if (left === 0 && !announced) {
      announced = true;
      box.setAttribute("role", "alert");
      box.textContent = "Time is up: send this answer; it will be your last.";
    }
    if (left > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
