// Asks the search worker (search-worker.js) and returns its answer, a promise of
// { total, pages: [{ url, title, excerpt, sections: [{ url, title, excerpt, hits }] }] }.
// Shared by the search dialog and search.html; the worker starts on the first question.
let worker;
let asked = 0;
const waiting = new Map(); // question id -> { resolve, reject }

function start() {
  worker = new Worker(new URL("search-worker.js", import.meta.url), { type: "module" });
  worker.addEventListener("message", ({ data }) => {
    const question = waiting.get(data.id);
    waiting.delete(data.id);
    if (data.error) question.reject(new Error(data.error));
    else question.resolve(data);
  });
  worker.addEventListener("error", () => {
    for (const question of waiting.values()) question.reject(new Error("the search worker did not start"));
    waiting.clear();
    worker = undefined;
  });
}

/** Search the site whose root is `base` (its URL, ending in "/") for `query`: at most `limit` pages. */
export function search(query, base, limit = 10) {
  if (!worker) start();
  const id = ++asked;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, query, base: new URL(base, location.href).href, limit });
  });
}
