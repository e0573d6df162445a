// Search with Pagefind's own index (pagefind/ in the site), from any sub-path.
// pagefind/parts.json lists the index's parts: the whole index, and after an incremental
// build a small one of the pages written since, merged into it so that one query searches
// both, ranked together. The whole index's older versions of those pages (and pages since
// removed) are listed as "stale" and dropped from the results; a page whose text did not
// change has the same id in both ("twice") and is shown once. Every part after the first holds
// the site's vocabulary as records without a kind (so that it never answers a word it lacks
// with a shorter one): asking for pages of any kind leaves them out.
// Excerpts are rebuilt as text nodes with <mark> only: nothing from the index becomes markup.
"use strict";

(function () {
  var root = document.documentElement.getAttribute("data-root") || "";
  var base = new URL(root || "./", document.baseURI);
  var folder = new URL("pagefind/", base);
  var pagefind = null;
  var searchOptions = {};
  var stale = new Set();
  var twice = new Set();

  function parts() {
    return fetch(new URL("parts.json", folder).href, { cache: "no-cache" }).then(function (response) {
      if (!response.ok) throw new Error("no search index");
      return response.json();
    }).then(function (listing) {
      if (!listing.parts || !listing.parts.length) throw new Error("an empty search index");
      return { bundles: listing.parts.map(function (part) { return new URL(part, folder).href; }),
               stale: new Set(listing.stale || []),
               twice: new Set(listing.twice || []) };
    });
  }

  function load() {
    if (!pagefind) {
      pagefind = parts().then(function (index) {
        var bundles = index.bundles;
        stale = index.stale;
        twice = index.twice;
        return import(bundles[0] + "pagefind.js").then(function (module) {
          var options = { baseUrl: base.pathname };
          return module.options(options).then(function () {
            return Promise.all(bundles.slice(1).map(function (bundle) {
              return module.mergeIndex(bundle, options);
            }));
          }).then(function () {
            if (bundles.length < 2) return module;  // no part after the first: no vocabulary records
            return module.filters().then(function (filters) {
              searchOptions = { filters: { kind: { any: Object.keys(filters.kind || {}) } } };
              return module;
            });
          });
        });
      });
      pagefind.catch(function () { pagefind = null; });  // try again on the next query
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
      link.href = href(result.url);
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

  // Results without the whole index's stale pages, each page once (a page written again
  // with the same text has the same id in both indexes).
  function current(results) {
    var seen = new Set();
    return results.filter(function (result) {
      if (stale.has(result.id)) return false;
      if (!twice.has(result.id)) return true;
      if (seen.has(result.id)) return false;
      seen.add(result.id);
      return true;
    });
  }

  // Pagefind keeps a page's URL as its file's path, unencoded: a name with "%", "#" or "?"
  // must be encoded to lead to the page.
  function href(url) {
    return url.split("/").map(encodeURIComponent).join("/");
  }

  function run(query, status, list) {
    if (!query.trim()) { status.textContent = ""; show([], list); return; }
    status.textContent = "Searching…";
    load().then(function (module) {
      return module.search(query, searchOptions);
    }).then(function (search) {
      var results = current(search.results);
      return Promise.all(results.slice(0, 30).map(function (r) { return r.data(); })).then(function (data) {
        status.textContent = results.length + " result" + (results.length === 1 ? "" : "s") +
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
