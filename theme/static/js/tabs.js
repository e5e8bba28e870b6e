// Linked content tabs. The tabs switch without this script (theme/static/css/tabs.css); with it,
// choosing a tab ("JavaScript") chooses the tab of the same name in every other set of the page,
// and in the sets of the pages read next: the names chosen are kept in localStorage, the latest
// first. The set the reader clicked stays where it was on the screen while the sets above it
// change height. Loaded (defer) only by pages with tabs.
(function () {
  "use strict";
  var KEY = "guide.tabs";
  var KEPT = 10; // names remembered, the latest first
  var sets = document.querySelectorAll(".tabbed-set");

  function nameOf(label) {
    return label.textContent.replace(/\s+/g, " ").trim();
  }

  // Check the radio button of the set's tab with this name; false when the set has none.
  function choose(set, name) {
    var labels = set.querySelectorAll(":scope > .tabbed-labels > label");
    for (var i = 0; i < labels.length; i++) {
      var input = document.getElementById(labels[i].htmlFor);
      if (input && input.parentNode === set && nameOf(labels[i]) === name) {
        input.checked = true;
        return true;
      }
    }
    return false;
  }

  function remembered() {
    try {
      var names = JSON.parse(localStorage.getItem(KEY));
      return Array.isArray(names) ? names.filter(function (n) { return typeof n === "string"; }) : [];
    } catch (e) {
      return []; // storage off or unreadable: nothing remembered
    }
  }

  function remember(name) {
    var names = [name].concat(remembered().filter(function (n) { return n !== name; })).slice(0, KEPT);
    try { localStorage.setItem(KEY, JSON.stringify(names)); } catch (e) { /* private mode: not kept */ }
  }

  // On arrival, each set shows the latest chosen name it has.
  var names = remembered();
  sets.forEach(function (set) {
    names.some(function (name) { return choose(set, name); });
  });

  document.addEventListener("change", function (event) {
    var input = event.target;
    var set = input.parentNode;
    if (input.type !== "radio" || !set.classList || !set.classList.contains("tabbed-set")) return;
    var label = set.querySelector(":scope > .tabbed-labels > label[for=\"" + CSS.escape(input.id) + "\"]");
    if (!label) return;
    var name = nameOf(label);
    var top = set.getBoundingClientRect().top;
    sets.forEach(function (other) {
      if (other !== set) choose(other, name);
    });
    // Sets above this one may have grown or shrunk: scroll by as much, so this one does not move.
    var moved = set.getBoundingClientRect().top - top;
    if (moved) window.scrollBy(0, moved);
    remember(name);
  });
})();
