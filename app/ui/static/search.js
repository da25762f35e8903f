// The static catalogue's search (eventry site): the page's query (?q=) matched in the browser
// against the site's search index, a JSON file beside the pages. No server, no other host.
(function () {
  "use strict";

  var KINDS = [
    ["event", "Event types"], ["field", "Fields"], ["domain", "Domains"], ["bus", "Buses"],
    ["service", "Services"], ["team", "Teams"]
  ];
  var MOST_PER_KIND = 50;

  function words(text) {
    return text.toLowerCase().split(/\s+/).filter(function (word) { return word.length > 0; });
  }

  // Every word of the query must be found; a hit in the title ranks first.
  function matches(entry, query) {
    var title = entry.title.toLowerCase();
    var all = title + " " + entry.text.toLowerCase();
    if (!query.every(function (word) { return all.indexOf(word) >= 0; })) { return -1; }
    return query.every(function (word) { return title.indexOf(word) >= 0; }) ? 0 : 1;
  }

  function element(tag, text, className) {
    var node = document.createElement(tag);
    if (text) { node.textContent = text; }
    if (className) { node.className = className; }
    return node;
  }

  function show(box, entries, raw) {
    var query = words(raw);
    box.textContent = "";
    if (query.length === 0) { return; }
    var found = 0;
    KINDS.forEach(function (kind) {
      var hits = entries.map(function (entry) { return [matches(entry, query), entry]; })
        .filter(function (pair) { return pair[1].kind === kind[0] && pair[0] >= 0; })
        .sort(function (a, b) { return a[0] - b[0]; });
      if (hits.length === 0) { return; }
      found += hits.length;
      box.appendChild(element("h2", kind[1] + " (" + hits.length + ")"));
      var list = element("ul", "", "plain found-" + kind[0]);
      hits.slice(0, MOST_PER_KIND).forEach(function (pair) {
        var item = element("li");
        var link = element("a", pair[1].title);
        link.href = box.getAttribute("data-index").replace(/[^/]*$/, "") + pair[1].file;
        item.appendChild(link);
        item.appendChild(element("div", pair[1].text.slice(0, 160), "note"));
        list.appendChild(item);
      });
      box.appendChild(list);
    });
    if (found === 0) { box.appendChild(element("p", "Nothing matches \u201c" + raw + "\u201d.", "empty")); }
  }

  function start() {
    var box = document.getElementById("static-search");
    if (!box) { return; }
    var raw = new URLSearchParams(window.location.search).get("q") || "";
    Array.prototype.forEach.call(document.querySelectorAll("input[name=q]"), function (input) {
      input.value = raw;
    });
    fetch(box.getAttribute("data-index")).then(function (answer) {
      if (!answer.ok) { throw new Error(answer.status); }
      return answer.json();
    }).then(function (index) {
      show(box, index.entries, raw);
    }, function () {
      box.textContent = "";
      box.appendChild(element("p", "The search index could not be read: serve this folder over HTTP.", "alert"));
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
