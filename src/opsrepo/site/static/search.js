// Search with Pagefind's own index (pagefind/ in the site), from any sub-path.
// Excerpts are rebuilt as text nodes with <mark> only: nothing from the index becomes markup.
"use strict";

(function () {
  var root = document.documentElement.getAttribute("data-root") || "";
  var base = new URL(root || "./", document.baseURI);
  var pagefind = null;

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", base).href).then(function (module) {
        return module.options({ baseUrl: base.pathname }).then(function () { return module; });
      });
    }
    return pagefind;
  }

  function excerptNodes(html) {
    var parsed = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var nodes = [];
    parsed.body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        nodes.push(mark);
      } else {
        nodes.push(document.createTextNode(node.textContent));
      }
    });
    return nodes;
  }

  function show(results, list) {
    while (list.firstChild) list.removeChild(list.firstChild);
    results.forEach(function (result) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = result.url;
      link.textContent = (result.meta && result.meta.title) || result.url;
      item.appendChild(link);
      var kind = result.filters && result.filters.kind && result.filters.kind[0];
      if (kind) {
        var label = document.createElement("span");
        label.className = "kind";
        label.textContent = kind;
        item.appendChild(label);
      }
      var excerpt = document.createElement("p");
      excerptNodes(result.excerpt || "").forEach(function (node) { excerpt.appendChild(node); });
      item.appendChild(excerpt);
      list.appendChild(item);
    });
  }

  function run(query, status, list) {
    if (!query.trim()) { status.textContent = ""; show([], list); return; }
    status.textContent = "Searching…";
    load().then(function (module) {
      return module.search(query);
    }).then(function (search) {
      return Promise.all(search.results.slice(0, 30).map(function (r) { return r.data(); })).then(function (data) {
        status.textContent = search.results.length + " result" + (search.results.length === 1 ? "" : "s") +
          " for “" + query + "”";
        show(data, list);
      });
    }).catch(function () {
      status.textContent = "Search is unavailable here (it needs the site served over HTTP, with its pagefind/ folder).";
    });
  }

  function start() {
    var form = document.querySelector("form[data-search-form]");
    var input = document.getElementById("ops-search-input");
    var status = document.querySelector("[data-search-status]");
    var list = document.querySelector("[data-search-results]");
    if (!form || !input || !status || !list) return;
    var query = new URLSearchParams(window.location.search).get("q") || "";
    input.value = query;
    run(query, status, list);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url.href);
      run(input.value, status, list);
    });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value, status, list); }, 200);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
