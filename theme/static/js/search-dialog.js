// Search as you type, in a modal <dialog>. site.js imports this module only when the reader
// opens search (the header's field, "/", Ctrl/Cmd+K), with its stylesheet; Pagefind then loads
// in a worker (search-client.js) while the reader types. The field is a combobox: the arrow keys
// move through the results (aria-activedescendant), Enter opens one, Escape closes, and focus
// goes back to where it was. showModal() makes the rest of the page inert while it is open.
import { search } from "./search-client.js";

const DELAY = 120; // ms of quiet typing before a query is sent
const PAGES = 8; // pages asked for
const SECTIONS = 3; // headings shown per page, those with the most hits
const field = document.getElementById("search-box"); // the header's, which the form submits
const base = new URL(".", field ? field.form.action : location.href).href;

const TEMPLATE = `
<div class="search-dialog-bar">
  <label class="visually-hidden" for="search-dialog-input">Search the guide</label>
  <input id="search-dialog-input" type="search" role="combobox" aria-autocomplete="list" aria-expanded="false"
    aria-controls="search-dialog-results" aria-describedby="search-dialog-keys" autocomplete="off" spellcheck="false"
    placeholder="Search the guide" enterkeyhint="go">
  <button type="button" class="search-dialog-close">Close</button>
</div>
<p class="search-dialog-status" role="status"></p>
<div id="search-dialog-results" class="search-dialog-results" role="listbox" aria-label="Results" hidden></div>
<p id="search-dialog-keys" class="search-dialog-keys">Up and down arrows choose a result, Enter opens it, Escape closes.</p>`;

let built, dialog, input, closer, status, list, opener, timer;
let latest = 0; // the newest query's number: older answers are dropped
let shown = ""; // the query whose results are shown
let active = -1; // the chosen option's index, -1 for none

function stylesheet() {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = new URL("../css/search-dialog.css", import.meta.url).href;
  const loaded = new Promise((resolve) => {
    link.onload = link.onerror = resolve; // unstyled is better than no search
  });
  document.head.appendChild(link);
  return loaded;
}

async function build() {
  const styled = stylesheet();
  dialog = document.createElement("dialog");
  dialog.className = "search-dialog";
  dialog.setAttribute("aria-label", "Search the guide");
  dialog.innerHTML = TEMPLATE; // a fixed template: results are built with the DOM below
  input = dialog.querySelector("input");
  status = dialog.querySelector(".search-dialog-status");
  list = dialog.querySelector("[role=listbox]");
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, DELAY);
  });
  input.addEventListener("keydown", onKey);
  closer = dialog.querySelector(".search-dialog-close");
  closer.addEventListener("click", () => dialog.close());
  dialog.addEventListener("click", onClick);
  dialog.addEventListener("keydown", wrapTab);
  dialog.addEventListener("close", onClose);
  document.body.appendChild(dialog);
  await styled;
}

function option(section, page, index) {
  const a = document.createElement("a");
  a.href = section.url;
  a.id = `search-dialog-option-${index}`;
  a.setAttribute("role", "option");
  a.setAttribute("aria-selected", "false");
  a.tabIndex = -1; // reached with the arrow keys from the field, not with Tab
  // Its name is all it shows (WCAG 2.5.3): the heading, the page, the excerpt.
  a.append(part("search-dialog-heading", section.title || page.title));
  if (section.url !== page.url) a.append(part("search-dialog-page", page.title));
  const excerpt = a.appendChild(part("search-dialog-excerpt", ""));
  excerpt.innerHTML = section.excerpt || page.excerpt; // Pagefind escapes the text and adds only <mark>
  return a;
}

function part(className, text) {
  const span = document.createElement("span");
  span.className = className;
  span.textContent = text;
  return span;
}

// Each page's sections with the most hits, in the page's order; a page without any, itself.
function options(pages) {
  const found = [];
  for (const page of pages) {
    const best = page.sections
      .map((section, order) => ({ section, order }))
      .sort((a, b) => b.section.hits - a.section.hits)
      .slice(0, SECTIONS)
      .sort((a, b) => a.order - b.order);
    const sections = best.length ? best.map((each) => each.section) : [page];
    for (const section of sections) found.push(option(section, page, found.length));
  }
  return found;
}

async function run() {
  const query = input.value.trim();
  const number = ++latest;
  if (!query) return show([], "", "");
  if (!shown) status.textContent = "Searching…"; // once: later, the results change in place
  try {
    const { total, pages } = await search(query, base, PAGES);
    if (number !== latest) return;
    const count = `${total} page${total === 1 ? "" : "s"}`;
    const message = total ? `${count} found for “${query}”.` : `Nothing found for “${query}”. Try fewer or other words.`;
    show(options(pages), message, query);
  } catch {
    if (number === latest) show([], "Search could not load. Press Enter to open the search page.", "");
  }
}

function show(found, message, query) {
  shown = query;
  list.replaceChildren(...found);
  list.hidden = !found.length;
  input.setAttribute("aria-expanded", String(found.length > 0));
  choose(-1);
  status.textContent = message;
}

function choose(index) {
  const found = list.children;
  if (found[active]) found[active].setAttribute("aria-selected", "false");
  active = index;
  if (found[active]) {
    found[active].setAttribute("aria-selected", "true");
    found[active].scrollIntoView({ block: "nearest" });
    input.setAttribute("aria-activedescendant", found[active].id);
  } else {
    input.removeAttribute("aria-activedescendant");
  }
}

function onKey(event) {
  if (event.isComposing) return; // the keys belong to the input method until the word is in
  const count = list.children.length;
  if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    event.preventDefault();
    if (!count) return;
    const step = event.key === "ArrowDown" ? 1 : -1;
    choose(active < 0 && step < 0 ? count - 1 : (active + step + count) % count);
  } else if (event.key === "Enter") {
    event.preventDefault();
    const query = input.value.trim();
    const chosen = query === shown && list.children[Math.max(active, 0)];
    if (chosen) follow(chosen.href);
    else if (query) follow(`${base}search.html?q=${encodeURIComponent(query)}`); // results not in yet
  } else if (event.key === "Escape") {
    event.preventDefault(); // a search field would only clear itself
    dialog.close();
  }
}

// Tab goes round the field and the Close button: the page behind is inert (showModal), and the
// browser's own toolbar is not where a reader of the dialog expects to land.
function wrapTab(event) {
  if (event.key !== "Tab") return;
  const [first, last] = [input, closer];
  const from = document.activeElement;
  if (event.shiftKey ? from === first : from === last) {
    event.preventDefault();
    (event.shiftKey ? last : first).focus();
  }
}

function onClick(event) {
  if (event.target === dialog) dialog.close(); // the backdrop
  const chosen = event.target.closest("[role=option]");
  if (chosen && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
    event.preventDefault();
    follow(chosen.href);
  }
}

// Leave for a result: focus goes to the page (or heading) opened, not back to the opener.
function follow(url) {
  opener = null;
  dialog.close();
  location.href = url;
}

function onClose() {
  clearTimeout(timer);
  if (field) field.value = input.value;
  if (opener && opener !== document.body && opener.isConnected) opener.focus({ preventScroll: true });
  else document.activeElement.blur(); // back to the page itself, or to the result's heading
  opener = null;
}

/** Open the dialog with the header field's text; `from` is the element to give focus back to. */
export async function open(from) {
  built ??= build();
  await built;
  if (dialog.open) return input.focus();
  opener = from;
  input.value = field ? field.value : "";
  dialog.showModal();
  input.focus();
  input.setSelectionRange(input.value.length, input.value.length); // typing carries on
  if (input.value.trim() !== shown) run();
  else search("", base).catch(() => {}); // Pagefind loads while the reader types
}
