// The search engine, in a module worker: Pagefind (pagefind.js, its WebAssembly and the index)
// loads and runs here, never in the page. A same-origin worker takes its Content-Security-Policy
// from its own HTTP response, not from the page's <meta> policy, so no page of the guide needs
// 'wasm-unsafe-eval' (README, "Search"). Asked by search-client.js: { id, query, base, limit }; an empty query only loads Pagefind.
let engine; // Pagefind, once loaded

function load(base) {
  engine ??= import(new URL("pagefind/pagefind.js", base).href).then(async (pagefind) => {
    await pagefind.options({ baseUrl: base });
    await pagefind.init(); // the WebAssembly and the index's first files
    return pagefind;
  });
  return engine;
}

// Only what the page draws, so the answer crosses to the page as plain data.
function shape(page) {
  const sections = page.sub_results.map((sub) => ({
    url: sub.url,
    title: sub.title,
    excerpt: sub.excerpt, // Pagefind escapes the text and adds only <mark>
    hits: sub.locations ? sub.locations.length : 0,
  }));
  return { url: page.url, title: page.meta.title || page.url, excerpt: page.excerpt, sections };
}

async function answer({ query, base, limit }) {
  if (!query) return (await load(base), { total: 0, pages: [] }); // the dialog opened: get ready
  const found = await (await load(base)).search(query);
  const pages = await Promise.all(found.results.slice(0, limit).map((result) => result.data()));
  return { total: found.results.length, pages: pages.map(shape) };
}

self.addEventListener("message", async ({ data }) => {
  try {
    self.postMessage({ id: data.id, ...(await answer(data)) });
  } catch (error) {
    engine = undefined; // try loading again with the next query
    self.postMessage({ id: data.id, error: String(error) });
  }
});
