// What every in-page tool shares: its stylesheet, elements with labels, and a live output list.
// Loaded with the first tool a reader opens, never before (site.js imports the tool on demand).

const sheet = new URL("../../css/tools.css", import.meta.url).href;

function useStylesheet() {
  if ([...document.styleSheets].some((s) => s.href === sheet)) return;
  document.head.append(el("link", { rel: "stylesheet", href: sheet }));
}

// el("p", { class: "x" }, "text", child...): attributes are set, never innerHTML, so pasted
// input is always shown as text.
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

let fields = 0;

// A control with its label (and a hint read with it by screen readers).
export function field(label, control, hint) {
  const id = `tool-field-${++fields}`;
  control.id = id;
  const wrap = el("div", { class: "tool-field" }, el("label", { for: id }, label), control);
  if (hint) {
    wrap.append(el("p", { class: "tool-hint", id: `${id}-hint` }, hint));
    control.setAttribute("aria-describedby", `${id}-hint`);
  }
  return wrap;
}

// The tool's panel after the block's prose: the form, then a polite live region for results.
// verdicts([["ok", "text"], ["bad", "text", "/page.html#anchor"]]) fills the region.
export function panel(block, ...controls) {
  useStylesheet();
  const form = el("form", { class: "tool-ui" }, ...controls);
  const output = el("div", { class: "tool-output", role: "status", "aria-live": "polite" });
  block.append(form, output);
  form.addEventListener("submit", (event) => event.preventDefault());
  return {
    form,
    output,
    show(...nodes) {
      output.replaceChildren(...nodes);
    },
    verdicts(rows) {
      const list = el("ul", { class: "tool-verdicts" });
      for (const [kind, text, link] of rows) {
        const item = el("li", { class: `tool-${kind}` }, el("span", { class: "tool-mark" }, kind === "ok" ? "Pass" : kind === "bad" ? "Fail" : "Note"), " ", text);
        if (link) item.append(" ", el("a", { href: link }, "Why?"));
        list.append(item);
      }
      output.replaceChildren(list);
    },
  };
}
