// A schedule page's timeline: the zoom buttons (a week, two weeks), the "now" line, placed from the
// browser's clock, and a line under the timeline saying what a tapped or clicked bar is (its title, which
// a mouse shows on hover but a phone never does). The bars are drawn by the site build; without JavaScript
// both zooms show, no now line.
"use strict";

(function () {
  // the now line's x, in percent of the view's span [start, end) (seconds), or null outside it
  function nowPercent(start, end, now) {
    if (!(now >= start && now < end)) return null;
    return (100 * (now - start) / (end - start)).toFixed(3) + "%";
  }

  function place(view, now) {
    var line = view.querySelector("[data-tl-now]");
    var note = view.querySelector("[data-tl-now-text]");
    var start = Number(view.getAttribute("data-start")), end = Number(view.getAttribute("data-end"));
    var x = nowPercent(start, end, now);
    if (line) {
      line.setAttribute("x1", x || "0");
      line.setAttribute("x2", x || "0");
      line.setAttribute("visibility", x ? "visible" : "hidden");
    }
    if (note) {
      note.textContent = x ? "the blue line is now" : now >= end ? "now is past this timeline: rebuild the site" : "";
    }
  }

  function zoom(box, name) {
    box.querySelectorAll("[data-tl-view]").forEach(function (view) {
      view.hidden = view.getAttribute("data-tl-view") !== name;
    });
    box.querySelectorAll("[data-tl-show]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.getAttribute("data-tl-show") === name ? "true" : "false");
    });
  }

  // the line under the timeline tells what the bar tapped or clicked last is: who, from when to when
  function explain(box) {
    var line = document.createElement("p");
    line.className = "tl-detail";
    line.setAttribute("data-tl-detail", "");
    line.setAttribute("aria-live", "polite");
    line.hidden = true;
    box.appendChild(line);
    box.addEventListener("click", function (event) {
      var bar = event.target.closest ? event.target.closest(".tl-bar") : null;
      var title = bar && bar.querySelector("title");
      if (!title) return;
      box.querySelectorAll(".tl-picked").forEach(function (picked) { picked.classList.remove("tl-picked"); });
      bar.classList.add("tl-picked");
      line.textContent = title.textContent;
      line.hidden = false;
    });
  }

  function start() {
    var boxes = document.querySelectorAll("[data-timeline]");
    if (!boxes.length) return;
    boxes.forEach(function (box) {
      var bar = box.querySelector("[data-tl-zoom]");
      if (bar) bar.hidden = false;
      box.querySelectorAll("[data-tl-show]").forEach(function (button) {
        button.addEventListener("click", function () { zoom(box, button.getAttribute("data-tl-show")); });
      });
      zoom(box, "week");
      explain(box);
    });
    var tick = function () {
      var now = Date.now() / 1000;
      document.querySelectorAll("[data-tl-view]").forEach(function (view) { place(view, now); });
    };
    tick();
    setInterval(tick, 60000);
  }

  if (typeof document === "undefined") {  // node, in the tests: the pure helpers only
    module.exports = { nowPercent: nowPercent };
    return;
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
