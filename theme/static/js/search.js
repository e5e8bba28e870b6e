// The search page: loads Pagefind only here, only once a query is typed or given in ?q=.
const script = document.currentScript || document.querySelector("script[data-pagefind]");
const form = document.querySelector(".search-page-form");
const input = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
let pagefind;

async function engine() {
  if (!pagefind) {
    const here = document.querySelector("script[data-pagefind]");
    pagefind = await import(here.dataset.pagefind + "pagefind.js");
    await pagefind.options({ baseUrl: here.dataset.base });
  }
  return pagefind;
}

function item(result) {
  const li = document.createElement("li");
  const title = document.createElement("a");
  title.href = result.url;
  title.className = "result-title";
  title.textContent = result.meta.title || result.url;
  li.appendChild(title);
  const excerpt = document.createElement("p");
  excerpt.innerHTML = result.excerpt; // Pagefind escapes the text and adds only <mark>
  li.appendChild(excerpt);
  const sections = result.sub_results.filter((sub) => sub.url !== result.url).slice(0, 3);
  if (sections.length) {
    const ul = document.createElement("ul");
    for (const sub of sections) {
      const link = document.createElement("a");
      link.href = sub.url;
      link.textContent = sub.title;
      const entry = document.createElement("li");
      entry.appendChild(link);
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
  const search = await (await engine()).search(query);
  const results = await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  list.replaceChildren(...results.map(item));
  status.textContent = results.length
    ? `${search.results.length} page${search.results.length === 1 ? "" : "s"} found for “${query}”.`
    : `Nothing found for “${query}”. Try fewer or other words.`;
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
