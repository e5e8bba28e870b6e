// The search page (search.html), for a query typed here or given in ?q=: the dialog's engine
// (search-client.js, Pagefind in a worker), with every page found listed. Without JavaScript
// the page says so and points to the table of contents.
import { search } from "./search-client.js";

const base = document.querySelector("script[data-base]").dataset.base;
const form = document.querySelector(".search-page-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const SECTIONS = 3; // headings listed under each page

function link(url, text, className) {
  const a = document.createElement("a");
  a.href = url;
  a.textContent = text;
  if (className) a.className = className;
  return a;
}

function item(page) {
  const li = document.createElement("li");
  li.appendChild(link(page.url, page.title, "result-title"));
  const excerpt = document.createElement("p");
  excerpt.innerHTML = page.excerpt; // Pagefind escapes the text and adds only <mark>
  li.appendChild(excerpt);
  const sections = page.sections.filter((section) => section.url !== page.url).slice(0, SECTIONS);
  if (sections.length) {
    const ul = document.createElement("ul");
    for (const section of sections) {
      const entry = document.createElement("li");
      entry.appendChild(link(section.url, section.title));
      ul.appendChild(entry);
    }
    li.appendChild(ul);
  }
  return li;
}

async function run(query) {
  list.replaceChildren();
  if (!query.trim()) {
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  try {
    const { total, pages } = await search(query, base);
    list.replaceChildren(...pages.map(item));
    status.textContent = total
      ? `${total} page${total === 1 ? "" : "s"} found for “${query}”.`
      : `Nothing found for “${query}”. Try fewer or other words.`;
  } catch {
    status.textContent = "Search could not load. Reload the page to try again.";
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set("q", input.value);
  history.replaceState(null, "", url);
  run(input.value);
});

const initial = new URLSearchParams(location.search).get("q") || "";
input.value = initial;
if (initial) run(initial);
else input.focus();
