// Search with Pagefind's own index (pagefind/ in the site), from any sub-path: results as you type in
// the header's box on every page (a combobox: arrows, Enter, Escape), and the search page.
//
// pagefind/parts.json lists the index's shards (pages dealt by a hash of their path, so that an edit
// re-indexes one shard). The first is loaded and the others merged into it (mergeIndex), so one
// query searches all of them. Where a shard has no word that starts with a word of the query,
// Pagefind answers with the pages of the longest shorter word the shard has ("roll" for "rollback"),
// which one index of the whole site would not: the script asks for the words each result matched
// (playground mode, which opsrepo patches Pagefind's script to turn on for every shard) and, for
// each word of the query, keeps the results that matched a word starting with it wherever any shard
// has one (else those of the longest shorter word found). The pages are then those one index finds,
// scored again with the whole site's numbers (see rescore) to come in one index's order.
// Excerpts are rebuilt as text nodes with <mark> only: nothing from the index becomes markup.
"use strict";

(function () {
  var root = document.documentElement.getAttribute("data-root") || "";
  var base = new URL(root || "./", document.baseURI);
  var folder = new URL("pagefind/", base);
  var index = null;
  var site = { pages: 0, average: 1 };  // the whole site's searched pages and their average length in words
  var hidden = {};  // the ids of the shards' copies of pages the recent part holds again (or that are gone)

  function shown(result) {
    return !hidden[result.id];
  }

  function load() {
    if (!index) {
      index = fetch(new URL("parts.json", folder).href, { cache: "no-cache" }).then(function (response) {
        if (!response.ok) throw new Error("no search index");
        return response.json();
      }).then(function (listing) {
        var parts = (listing.parts || []).map(function (part) { return new URL(part, folder).href; });
        var totals = listing.site || [0, 0];
        site.pages = totals[0];
        site.average = totals[0] ? totals[1] / totals[0] : 1;
        hidden = {};
        Object.keys(listing.hidden || {}).forEach(function (page) { hidden[listing.hidden[page][1]] = true; });
        if (!parts.length) throw new Error("an empty search index");
        return import(parts[0] + "pagefind.js").then(function (module) {
          var options = { baseUrl: base.pathname };
          var instance = module.createInstance({ basePath: parts[0] });
          return instance.options(options).then(function () {
            return parts.slice(1).reduce(function (done, part) {
              return done.then(function () { return instance.mergeIndex(part, options); });
            }, Promise.resolve());
          }).then(function () {
            return instance.enterPlaygroundMode();
          }).then(function () { return instance; });
        });
      });
      index.catch(function () { index = null; });  // try again on the next query
    }
    return index;
  }

  // The index words a result matched (its words and, for its title, the meta fields' words).
  function matched(result) {
    var words = (result.scores || []).map(function (score) { return score.search_term; });
    (result.verbose_meta_scores || []).forEach(function (meta) {
      (meta.matched_terms || []).forEach(function (word) { words.push(word); });
    });
    return words;
  }

  // For each word of the query (as Pagefind stemmed it): the words a result must match, as one
  // index would choose them: those starting with it if any shard has one, else the longest
  // shorter word any shard fell back to.
  function rule(keyword, results) {
    var longest = "";
    var extended = results.filter(shown).some(function (result) {
      return matched(result).some(function (word) {
        if (word.indexOf(keyword) === 0) return true;
        if (keyword.indexOf(word) === 0 && word.length > longest.length) longest = word;
        return false;
      });
    });
    return extended ? function (word) { return word.indexOf(keyword) === 0; }
                    : function (word) { return word === longest; };
  }

  function keywordsOf(search) {
    return search.search_keywords || [];
  }

  // Pagefind's ranking (1.5, BM25 with its default weights): each shard scores a word with its own
  // number of pages, pages having the word and average page length. Results are scored again with
  // the whole site's, as one index scores them: each matched word's score (its inverse document
  // frequency times its saturated frequency on the page, times Pagefind's bonus where it starts
  // like the word typed), plus the title's boost.
  var SATURATION = 1.4, LENGTH = 0.75, DIACRITICS = 0.8;
  var PUNCTUATION = /^\p{Pd}|\p{Pe}|\p{Pf}|\p{Pi}|\p{Po}|\p{Ps}$/u;  // (Pagefind's own test of a character)

  // The words of the query as Pagefind keeps them before stemming: lower case, without punctuation.
  function originals(query) {
    var kept = Array.from(query).filter(function (char) { return char === "_" || !PUNCTUATION.test(char); });
    return kept.join("").toLocaleLowerCase().replace(/\s{2,}/g, " ").trim().split(" ");
  }

  // Pagefind's bonus for an index word that the word typed starts with, or that starts with it.
  function bonus(original, word) {
    return original !== undefined && (word.indexOf(original) === 0 || original.indexOf(word) === 0)
      ? 1 + DIACRITICS : 1;
  }

  function idf(pages, having) {
    return Math.log((pages - having + 0.5) / (having + 0.5) + 1);
  }

  function wordScore(entry, result, having) {
    var frequency = entry.params.weighted_term_frequency * entry.params.length_bonus;
    var length = result.params.document_length / site.average;
    var saturated = (SATURATION + 1) * frequency / (SATURATION * (1 - LENGTH + LENGTH * length) + frequency);
    return idf(site.pages, having) * saturated;
  }

  // The shard a result came from (the results of one shard share its page count and average length).
  function shardOf(result) {
    return result.params.total_pages + "/" + result.params.average_page_length;
  }

  // For each word of the query, the site's pages having it: the sum over the shards of the pages
  // having the words of the query that each shard's results matched (``sets``: the results of each
  // word alone, which every page of a shard with the word is among), less the hidden copies among them.
  function pagesHaving(checks, sets) {
    return checks.map(function (check, n) {
      var byShard = {}, hiddenIn = {};
      sets[n].forEach(function (result) {
        (result.scores || []).forEach(function (entry) {
          if (check(entry.search_term)) byShard[shardOf(result)] = entry.params.pages_containing_term;
        });
        if (!shown(result) && matched(result).some(check)) {
          hiddenIn[shardOf(result)] = (hiddenIn[shardOf(result)] || 0) + 1;
        }
      });
      return Object.keys(byShard).reduce(function (sum, shard) {
        return sum + byShard[shard] - (hiddenIn[shard] || 0);
      }, 0);
    });
  }

  function rescore(result, checks, having, typed) {
    var entries = result.scores || [];
    if (!result.params || !entries.length) return result.score;
    var metas = result.verbose_meta_scores || [];
    var termOf = function (word) {
      for (var n = 0; n < checks.length; n++) if (checks[n](word)) return n;
      return -1;
    };
    var words = entries.reduce(function (sum, entry) {
      var term = termOf(entry.search_term);
      return sum + (term < 0 ? entry.score : wordScore(entry, result, having[term]) *
                                              bonus(typed[term], entry.search_term));
    }, 0);
    var total = having.reduce(function (sum, count) { return sum + idf(site.pages, count); }, 0);
    var metaBoost = metas.reduce(function (sum, meta) {
      // (in one order: Pagefind lists a field's words in no order of its own, and sums of floats differ by it)
      var matched = (meta.matched_terms || []).slice().sort().reduce(function (idfs, word) {
        var term = termOf(word);
        return idfs + (term < 0 ? 0 : idf(site.pages, having[term]));
      }, 0);
      return sum + (total > 0 ? meta.field_weight * matched * (matched / total) * (matched / total) : 0);
    }, 0);
    return words + metaBoost;
  }

  // The results one index would give for ``query``, best first.
  function find(query) {
    return load().then(function (instance) {
      return instance.search(query).then(function (search) {
        var keywords = keywordsOf(search);
        if (keywords.length < 2) return [search, keywords, {}, {}];
        // each word alone tells whether any shard has a word starting with it (together, a shard
        // whose pages lack another word of the query returns nothing to tell it by), and on how
        // many pages of each shard it stands
        var tokens = query.trim().split(/\s+/);
        return Promise.all(tokens.map(function (token) { return instance.search(token); }))
          .then(function (alone) {
            var rules = {}, sets = {};
            alone.forEach(function (one) {
              keywordsOf(one).forEach(function (keyword) {
                rules[keyword] = rule(keyword, one.results);
                sets[keyword] = one.results;
              });
            });
            return [search, keywords, rules, sets];
          });
      }).then(function (found) {
        var search = found[0], keywords = found[1], rules = found[2], sets = found[3];
        var checks = keywords.map(function (keyword) {
          return rules[keyword] || rule(keyword, search.results);
        });
        var kept = search.results.filter(function (result) {
          if (!shown(result)) return false;
          var words = matched(result);
          return checks.every(function (check) { return words.some(check); });
        });
        var having = pagesHaving(checks, keywords.map(function (keyword) { return sets[keyword] || search.results; }));
        var typed = originals(query);
        var scored = kept.map(function (result) { return [rescore(result, checks, having, typed), result]; });
        scored.sort(function (a, b) { return b[0] - a[0]; });
        return scored.map(function (pair) { pair[1].rank = pair[0]; return pair[1]; });
      });
    });
  }

  // Up to ``limit`` results of ``query`` with their pages' data: {count, results: [{id, url, title, kind, excerpt}]}.
  function query(text, limit) {
    if (!text.trim()) return Promise.resolve({ count: 0, results: [] });
    return find(text).then(function (results) {
      return Promise.all(results.slice(0, limit).map(function (result) { return result.data(); }))
        .then(function (data) {
          return {
            count: results.length,
            results: data.map(function (page, n) {
              return { id: results[n].id, url: href(page.url), title: (page.meta && page.meta.title) || page.url,
                       kind: (page.filters && page.filters.kind && page.filters.kind[0]) || "",
                       excerpt: page.excerpt || "" };
            }),
          };
        });
    });
  }

  // Pagefind keeps a page's URL as its file's path, unencoded: a name with "%", "#" or "?"
  // must be encoded to lead to the page.
  function href(url) {
    return url.split("/").map(encodeURIComponent).join("/");
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

  function clear(element) {
    while (element.firstChild) element.removeChild(element.firstChild);
  }

  function plural(count) {
    return count + " result" + (count === 1 ? "" : "s");
  }

  var UNAVAILABLE = "Search is unavailable here (it needs the site served over HTTP, with its pagefind/ folder).";

  // The search page: every result of the query in its address, and of its form as you type.
  function searchPage(form, input, status, list) {
    var asked = 0;
    function run(text) {
      var ask = ++asked;
      if (!text.trim()) { status.textContent = ""; clear(list); return; }
      status.textContent = "Searching…";
      query(text, 30).then(function (found) {
        if (ask !== asked) return;
        status.textContent = plural(found.count) + " for “" + text + "”";
        clear(list);
        found.results.forEach(function (result) {
          var item = document.createElement("li");
          var link = document.createElement("a");
          link.href = result.url;
          link.textContent = result.title;
          item.appendChild(link);
          if (result.kind) {
            var label = document.createElement("span");
            label.className = "kind";
            label.textContent = result.kind;
            item.appendChild(label);
          }
          var excerpt = document.createElement("p");
          excerptNodes(result.excerpt).forEach(function (node) { excerpt.appendChild(node); });
          item.appendChild(excerpt);
          list.appendChild(item);
        });
      }).catch(function () {
        if (ask === asked) status.textContent = UNAVAILABLE;
      });
    }
    var text = new URLSearchParams(window.location.search).get("q") || "";
    input.value = text;
    run(text);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var url = new URL(window.location.href);
      url.searchParams.set("q", input.value);
      window.history.replaceState(null, "", url.href);
      run(input.value);
    });
    var timer = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { run(input.value); }, 200);
    });
  }

  // The header's box: a combobox whose listbox shows the first results as you type. Arrow keys
  // move through them, Enter opens the one chosen (or, with none chosen, the search page),
  // Escape closes the list (and, when it is closed, empties the box).
  var SUGGESTIONS = 8;

  function headerBox(form, input, box, status) {
    var asked = 0, active = -1, timer = null;
    var options = function () { return box.querySelectorAll("[role=option]"); };

    function close() {
      box.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function choose(number) {
      var all = options();
      if (!all.length) return;
      active = (number + all.length) % all.length;
      all.forEach(function (option, n) { option.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    }

    function open(found, text) {
      clear(box);
      found.results.forEach(function (result, n) {
        var option = document.createElement("li");
        option.id = "ops-suggestion-" + n;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-href", result.url);
        var title = document.createElement("span");
        title.className = "title";
        title.textContent = result.title;
        option.appendChild(title);
        if (result.kind) {
          var kind = document.createElement("span");
          kind.className = "kind";
          kind.textContent = result.kind;
          option.appendChild(document.createTextNode(" "));  // (a word apart in the option's name)
          option.appendChild(kind);
        }
        var excerpt = document.createElement("span");
        excerpt.className = "excerpt";
        excerptNodes(result.excerpt).forEach(function (node) { excerpt.appendChild(node); });
        option.appendChild(excerpt);
        box.appendChild(option);
      });
      var more = found.count > found.results.length ? ", the first " + found.results.length + " below" : "";
      status.textContent = found.count ? plural(found.count) + " for “" + text + "”" + more
                                       : "No results for “" + text + "”";
      active = -1;
      input.removeAttribute("aria-activedescendant");
      box.hidden = !found.results.length;
      input.setAttribute("aria-expanded", found.results.length ? "true" : "false");
    }

    function run() {
      var text = input.value, ask = ++asked;
      if (!text.trim()) { clear(box); status.textContent = ""; close(); return; }
      query(text, SUGGESTIONS).then(function (found) {
        if (ask === asked) open(found, text);
      }).catch(function () {
        if (ask === asked) { status.textContent = UNAVAILABLE; close(); }
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (box.hidden) {
          if (options().length) {
            box.hidden = false;
            input.setAttribute("aria-expanded", "true");
          } else {
            return;
          }
        }
        event.preventDefault();
        choose(active < 0 && event.key === "ArrowUp" ? -1 : active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && !box.hidden && active >= 0) {
        event.preventDefault();
        window.location.href = options()[active].getAttribute("data-href");
      } else if (event.key === "Escape") {
        if (!box.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          clear(box);
          status.textContent = "";
        }
      }
    });
    box.addEventListener("mousedown", function (event) { event.preventDefault(); });  // keep the focus
    box.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) window.location.href = option.getAttribute("data-href");
    });
    input.addEventListener("blur", close);
    form.addEventListener("submit", close);
  }

  function start() {
    var form = document.querySelector("form[data-search-form]");
    var input = document.getElementById("ops-search-input");
    var status = document.querySelector("[data-search-status]");
    var list = document.querySelector("[data-search-results]");
    if (form && input && status && list) searchPage(form, input, status, list);
    var header = document.querySelector("form[data-search-box]");
    var box = document.getElementById("ops-search-suggestions");
    var boxInput = document.getElementById("ops-site-search");
    var boxStatus = document.querySelector("[data-suggestions-status]");
    if (header && box && boxInput && boxStatus) headerBox(header, boxInput, box, boxStatus);
  }

  // for tests and scripts: the results one index would give, as the pages show them
  // (ranked: each result's page id and score, in the order shown, without loading the pages' data)
  window.opsrepoSearch = {
    query: query,
    ranked: function (text) {
      return find(text).then(function (results) { return results.map(function (r) { return [r.id, r.rank]; }); });
    },
  };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
