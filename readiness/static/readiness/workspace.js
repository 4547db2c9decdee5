// The workspace for long days: filters, "next unrated" (key N), collapsing
// questions (remembered in this browser's localStorage, per assessment), and
// the marks of what changed since the last visit. Without JavaScript every
// question is shown open and the tools are hidden.
(function () {
  var root = document.querySelector(".workspace[data-assessment]");
  if (!root) return;
  var tools = root.querySelector(".workspace-tools");
  var storageKey = "readiness:collapsed:" + root.dataset.assessment;
  var changedData = document.getElementById("changed-questions");
  var changed = new Set((changedData ? JSON.parse(changedData.textContent) || [] : []).map(String));

  function questions() {
    return Array.prototype.slice.call(root.querySelectorAll("article.question"));
  }
  function idOf(article) {
    return article.id.replace(/^q-/, "");
  }
  function loadCollapsed() {
    try {
      return new Set(JSON.parse(localStorage.getItem(storageKey) || "[]"));
    } catch (error) {
      return new Set();
    }
  }
  function saveCollapsed(collapsed) {
    try {
      localStorage.setItem(storageKey, JSON.stringify(Array.from(collapsed)));
    } catch (error) {
      /* private mode or full: collapsing still works for this page */
    }
  }
  var collapsed = loadCollapsed();

  function setCollapsed(article, isCollapsed) {
    var body = article.querySelector(".question-body");
    var button = article.querySelector("button.collapse-toggle");
    if (!body || !button) return;
    body.hidden = isCollapsed;
    button.setAttribute("aria-expanded", String(!isCollapsed));
    if (isCollapsed) collapsed.add(idOf(article));
    else collapsed.delete(idOf(article));
  }

  // Each question gets its toggle (again after htmx replaces the question).
  function enhance(article) {
    var heading = article.querySelector("h3");
    if (heading && !article.querySelector("button.collapse-toggle")) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "collapse-toggle secondary";
      button.setAttribute("aria-controls", article.id + "-body");
      button.textContent = tools.dataset.toggleLabel;
      button.addEventListener("click", function () {
        setCollapsed(article, button.getAttribute("aria-expanded") === "true");
        saveCollapsed(collapsed);
      });
      heading.insertAdjacentElement("afterend", button);
    }
    setCollapsed(article, collapsed.has(idOf(article)));
    var mark = article.querySelector(".changed-mark");
    if (mark) mark.hidden = !changed.has(idOf(article));
  }

  var tests = {
    all: function () { return true; },
    unrated: function (a) { return a.dataset.rated === "0"; },
    "no-evidence": function (a) { return a.dataset.evidence === "0"; },
    disagree: function (a) { return a.dataset.disagrees === "1"; },
    changed: function (a) { return changed.has(idOf(a)); },
    mine: function (a) { return a.dataset.assigned === "1"; },
  };
  function currentFilter() {
    var checked = tools.querySelector("input[name=question-filter]:checked");
    return checked ? checked.value : "all";
  }
  function applyFilter() {
    var test = tests[currentFilter()] || tests.all;
    var all = questions();
    var shown = 0;
    all.forEach(function (article) {
      var match = test(article);
      article.hidden = !match;
      if (match) shown += 1;
    });
    document.getElementById("filter-count").textContent = tools.dataset.countLabel
      .replace("%(shown)s", shown)
      .replace("%(total)s", all.length);
  }

  function nextUnrated() {
    var all = questions().filter(function (a) { return a.dataset.rated === "0"; });
    var here = document.activeElement && document.activeElement.closest
      ? document.activeElement.closest("article.question")
      : null;
    var start = here ? questions().indexOf(here) : -1;
    var target = all.filter(function (a) { return questions().indexOf(a) > start; })[0] || all[0];
    var onward = document.getElementById("next-unrated-dimension");
    if (!target) {
      if (onward) {
        onward.hidden = false;
        onward.querySelector("a").focus();
      }
      return;
    }
    target.hidden = false;
    setCollapsed(target, false);
    saveCollapsed(collapsed);
    var heading = target.querySelector("h3");
    heading.setAttribute("tabindex", "-1");
    heading.focus();
    heading.scrollIntoView({ block: "start" });
  }

  tools.hidden = false;
  questions().forEach(enhance);
  applyFilter();
  tools.addEventListener("change", function (event) {
    if (event.target.name === "question-filter") applyFilter();
  });
  document.getElementById("next-unrated").addEventListener("click", nextUnrated);
  document.getElementById("collapse-all").addEventListener("click", function () {
    questions().forEach(function (a) { setCollapsed(a, true); });
    saveCollapsed(collapsed);
  });
  document.getElementById("expand-all").addEventListener("click", function () {
    questions().forEach(function (a) { setCollapsed(a, false); });
    saveCollapsed(collapsed);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "n" && event.key !== "N") return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    // Not while typing: text fields keep their N; radios, boxes and buttons do not type.
    var target = event.target;
    var typing = "textarea, select, [contenteditable], input:not([type=radio]):not([type=checkbox])";
    if (target.closest && target.closest(typing)) return;
    event.preventDefault();
    nextUnrated();
  });
  // A saved question comes back from the server: keep its state and the filter.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    var article = event.detail.elt && event.detail.elt.closest
      ? event.detail.elt.closest("article.question")
      : null;
    var swapped = article || (event.detail.target && event.detail.target.id
      ? document.getElementById(event.detail.target.id)
      : null);
    if (swapped && swapped.matches && swapped.matches("article.question")) {
      enhance(swapped);
      applyFilter();
      if (swapped.hidden) swapped.hidden = false;  // the one just saved stays in view
    }
  });
})();
