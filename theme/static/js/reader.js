// The outline follows the reader; a guide page loads before its link is clicked.
(function () {
  "use strict";

  // Outline: the last heading above a line a quarter down the window (else the first), or the
  // one jumped to while in view. Observers report crossings: no code runs on scroll.
  var links = [], headings = [], passed = {}, seen = {}, jumped, current;
  document.querySelectorAll(".outline a[href^='#']").forEach(function (link) {
    var heading = document.getElementById(link.getAttribute("href").slice(1));
    if (heading) { links.push(link); headings.push(heading); }
  });
  function mark() {
    var index = 0;
    headings.forEach(function (heading, i) {
      if (passed[heading.id] || (heading.id === jumped && seen[jumped])) index = i;
    });
    if (current) current.removeAttribute("aria-current");
    (current = links[index]).setAttribute("aria-current", "location");
  }
  function watch(state, rootMargin) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { state[entry.target.id] = entry.isIntersecting; });
      if (!seen[jumped]) jumped = ""; // scrolled out of view
      mark();
    }, { rootMargin: rootMargin });
    headings.forEach(function (heading) { observer.observe(heading); });
  }
  function jump() {
    try { jumped = decodeURIComponent(location.hash.slice(1)); } catch (e) { jumped = ""; }
    seen[jumped] = 1; // scrolled into view
    mark();
  }
  if (headings[0] && window.IntersectionObserver) {
    watch(passed, "99999px 0px -75% 0px"); // far above the window, down to the line
    watch(seen, "0px");
    addEventListener("hashchange", jump);
    jump();
  }

  // No speculation rules (base.html): prefetch a hovered or touched page, five at most.
  var fetched = {}, count = 0, timer;
  function prefetch(link) {
    var path = link && link.origin === location.origin && link.pathname;
    if (/\.html$/.test(path) && !/search\.html$|\/pagefind\//.test(path) && path !== location.pathname && !fetched[path] && count < 5) {
      var hint = document.head.appendChild(document.createElement("link"));
      hint.rel = "prefetch";
      hint.href = link.origin + path;
      fetched[path] = ++count;
    }
  }
  function near(event) { return event.target.closest("a[href]"); }
  if (!(HTMLScriptElement.supports && HTMLScriptElement.supports("speculationrules"))) {
    addEventListener("mouseover", function (event) {
      clearTimeout(timer); // passing over is not resting on
      timer = setTimeout(prefetch, 65, near(event));
    });
    addEventListener("touchstart", function (event) { prefetch(near(event)); }, { passive: true });
  }
})();
