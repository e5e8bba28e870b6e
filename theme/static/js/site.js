// Reader comforts that need a script. Every page reads and navigates fully without it.
(function () {
  "use strict";
  var root = document.documentElement;

  // A polite live region, so screen readers hear "Copied" and theme changes.
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);
  function announce(text) {
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  // Dark mode toggle: follows prefers-color-scheme until the reader picks, then remembers.
  var toggle = document.querySelector(".theme-toggle");
  var systemDark = window.matchMedia("(prefers-color-scheme: dark)");
  function isDark() {
    return root.dataset.theme ? root.dataset.theme === "dark" : systemDark.matches;
  }
  function showToggle() {
    toggle.setAttribute("aria-pressed", String(isDark()));
  }
  if (toggle) {
    toggle.hidden = false;
    showToggle();
    systemDark.addEventListener("change", showToggle);
    toggle.addEventListener("click", function () {
      var theme = isDark() ? "light" : "dark";
      root.dataset.theme = theme;
      try { localStorage.setItem("theme", theme); } catch (e) { /* private mode: not remembered */ }
      showToggle();
      announce(theme === "dark" ? "Dark mode on" : "Dark mode off");
    });
  }

  // The announcement: once dismissed it stays away, on every page, until its text (its key) changes;
  // the boot script hides it before the first paint (partials/announcement.html).
  var banner = document.querySelector(".announcement");
  if (banner) {
    var dismiss = banner.querySelector("button");
    dismiss.hidden = false;
    dismiss.addEventListener("click", function () {
      try { localStorage.setItem("announcement", root.dataset.announcement); } catch (e) { /* private mode: this page only */ }
      root.classList.add("announcement-dismissed");
      document.querySelector(".brand").focus();  // the button is gone: focus moves to what followed it
      announce("Announcement dismissed");
    });
  }

  // Code blocks and tables wider than the column scroll sideways; keyboard users reach those
  // with Tab and scroll them with the arrow keys, so only the ones that overflow take focus.
  function focusOverflowing() {
    document.querySelectorAll(".prose pre, .prose table").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    });
  }
  focusOverflowing();
  window.addEventListener("resize", focusOverflowing);

  // Copy buttons on code blocks. Line numbers (linenums) are not part of the code.
  function codeText(code) {
    var copy = code.cloneNode(true);
    copy.querySelectorAll(".linenos").forEach(function (number) { number.remove(); });
    return copy.textContent;
  }
  document.querySelectorAll("figure.code").forEach(function (figure) {
    var head = figure.querySelector(".code-head");
    var code = figure.querySelector("pre code");
    if (!head || !code || !navigator.clipboard) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy";
    button.textContent = "Copy";
    var title = figure.querySelector(".code-title");
    button.setAttribute("aria-label", "Copy " + (title ? title.textContent : "code") + " to the clipboard");
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(codeText(code)).then(function () {
        button.textContent = "Copied";
        announce("Copied");
        setTimeout(function () { button.textContent = "Copy"; }, 2000);
      }, function () {
        announce("Copy failed: select the code and copy it by hand");
      });
    });
    head.appendChild(button);
  });

  // Search as you type: clicking or typing in the header's field, "/" or Ctrl/Cmd+K open the
  // dialog, a module loaded only then (search-dialog.js). Without JavaScript the form opens search.html.
  var field = document.getElementById("search-box");
  var dialog = new URL("search-dialog.js", document.currentScript.src).href;
  function openSearch(event) {
    if (event) event.preventDefault();
    var opener = document.activeElement;
    field.focus({ preventScroll: true }); // what the reader types while the dialog loads lands here, then moves
    import(dialog).then(function (search) { search.open(opener); });
  }
  if (field) {
    field.setAttribute("aria-keyshortcuts", "/ Control+K Meta+K");
    field.addEventListener("click", openSearch);
    field.addEventListener("input", function () { openSearch(); });
    field.form.addEventListener("submit", openSearch);
    document.addEventListener("keydown", function (event) {
      var key = event.key || ""; // autofill sends keydown events without a key
      var typing = event.target.closest && event.target.closest("input, textarea, select, [contenteditable]");
      if ((event.ctrlKey || event.metaKey) && !event.altKey && key.toLowerCase() === "k") openSearch(event);
      else if (key === "/" && !typing && !event.ctrlKey && !event.metaKey && !event.altKey) openSearch(event);
    });
  }

  // In-page tools (??? tool NAME "Title"): the block's prose serves readers without JavaScript;
  // the tool's module (tools/NAME.js) is requested only when its reader first opens the block.
  var tools = new URL("tools/", document.currentScript.src).href;
  document.querySelectorAll("details.tool").forEach(function (block) {
    var name = block.classList[1];
    block.addEventListener("toggle", function () {
      if (!block.open || block.dataset.tool) return;
      block.dataset.tool = "loading";
      import(tools + name + ".js").then(function (tool) {
        tool.mount(block);
        block.dataset.tool = "ready";
      }, function () {
        block.dataset.tool = "failed";
        var note = document.createElement("p");
        note.setAttribute("role", "alert");
        note.textContent = "The tool did not load (offline?). The text above says what it would compute.";
        block.appendChild(note);
      });
    });
  });
})();
