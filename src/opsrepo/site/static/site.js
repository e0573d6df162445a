// opsrepo site: copy buttons on code blocks, table filters, post-mortem filters, checklist steps.
// Static file (the Content-Security-Policy allows no inline script).
"use strict";

(function () {
  function addCopyButtons() {
    document.querySelectorAll(".markdown pre").forEach(function (pre) {
      var code = pre.querySelector("code");
      if (!code || pre.querySelector("button.copy")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy this code");
      button.addEventListener("click", function () {
        copyText(code.textContent || "").then(function () {
          button.textContent = "Copied";
          button.classList.add("done");
          setTimeout(function () { button.textContent = "Copy"; button.classList.remove("done"); }, 2000);
        }, function () {
          button.textContent = "Select and copy";
          selectText(code);
        });
      });
      pre.appendChild(button);
    });
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return Promise.reject(new Error("no clipboard"));
  }

  function selectText(node) {
    var range = document.createRange();
    range.selectNodeContents(node);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function normalise(text) {
    return (text || "").toLowerCase().replace(/\s+/g, " ").trim();
  }

  function addTableFilters() {
    document.querySelectorAll("input[data-filter]").forEach(function (input) {
      var table = document.getElementById(input.getAttribute("data-filter"));
      if (!table) return;
      var rows = Array.prototype.slice.call(table.tBodies[0].rows);
      var texts = rows.map(function (row) { return normalise(row.textContent); });
      input.addEventListener("input", function () {
        var words = normalise(input.value).split(" ").filter(Boolean);
        rows.forEach(function (row, i) {
          row.hidden = !words.every(function (word) { return texts[i].indexOf(word) >= 0; });
        });
      });
    });
  }

  function addPostmortemFilters() {
    var form = document.querySelector("form[data-pm-filters]");
    var table = document.getElementById("postmortems-table");
    if (!form || !table) return;
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var count = form.querySelector("[data-pm-count]");
    function apply() {
      var service = form.elements.service.value;
      var severity = form.elements.severity.value;
      var category = form.elements.category.value;
      var shown = 0;
      rows.forEach(function (row) {
        var services = (row.getAttribute("data-service") || "").split(" ");
        var visible = (!service || services.indexOf(service) >= 0) &&
          (!severity || row.getAttribute("data-severity") === severity) &&
          (!category || row.getAttribute("data-category") === category);
        row.hidden = !visible;
        if (visible) shown += 1;
      });
      if (count) count.textContent = shown + " post-mortem" + (shown === 1 ? "" : "s");
    }
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(); });
  }

  // A checklist step's text names its box (aria-labelledby, not a <label>, which
  // search indexers skip); a click on the text ticks the box as a label would.
  function addTaskToggles() {
    document.addEventListener("click", function (event) {
      var target = event.target;
      if (!(target instanceof Element) || target.closest("a")) return;
      var text = target.closest(".task-list-item span[id^='ops-task-']");
      var box = text && document.querySelector("input[aria-labelledby='" + text.id + "']");
      if (box && !box.disabled) box.click();
    });
  }

  // A box that scrolls sideways (a wide table or a chart on a phone) can be reached and scrolled from the
  // keyboard: it takes the focus, as a region named after its table's caption or the section it is in.
  function markScrollingBoxes() {
    document.querySelectorAll(".table-wrap, figure.chart, .markdown table").forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        if (box.tagName !== "TABLE") box.setAttribute("role", "region");  // a table keeps its own role
        box.setAttribute("aria-label", boxName(box) + " (scrolls sideways)");
        box.dataset.scrolls = "";
      } else if (!scrolls && box.hasAttribute("data-scrolls")) {
        ["tabindex", "role", "aria-label", "data-scrolls"].forEach(function (name) { box.removeAttribute(name); });
      }
    });
  }

  function boxName(box) {
    var caption = box.querySelector("caption, figcaption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    var details = box.closest("details"), summary = details && details.querySelector("summary");
    if (summary && summary.textContent.trim()) return summary.textContent.trim();
    for (var node = box; node; node = node.previousElementSibling || node.parentElement) {
      if (/^H[1-6]$/.test(node.tagName)) return node.textContent.trim();
      if (node.tagName === "MAIN") break;
    }
    return "Table";
  }

  function start() {
    markScrollingBoxes();
    window.addEventListener("resize", markScrollingBoxes);
    addCopyButtons();
    addTableFilters();
    addPostmortemFilters();
    addTaskToggles();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
