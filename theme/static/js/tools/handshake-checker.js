// Handshake checker (RFC 6455). Its links and the causes of refusals come from the block's lists.
import { el, field, panel } from "./kit.js";

export const CAP = 65536;
const LONG = [["bad", "Over 64 KiB: paste the handshake's headers only."]];
const ST = /^HTTP\/\S+ (\d+)/;

export function split(text) {
  const all = text.split(/\r?\n/).map((l) => l.replace(/^[<>] ?/, ""));
  const at = all.findIndex((l) => ST.test(l));
  return at < 0 ? [all, []] : [all.slice(0, at), all.slice(at)];
}

export function parse(lines, start) {
  const at = lines.findIndex((l) => start.test(l));
  const h = {};
  for (const l of lines.slice(at + 1)) {
    if (!l.trim()) break;
    const [, name, value] = /^([^\s:]+):(.*)/.exec(l) || [];
    const k = name?.toLowerCase();
    if (k) h[k] = (h[k] ? h[k] + ", " : "") + value.trim();
  }
  return [(lines[at] || "").trim(), h];
}

const list = (v = "") => v.split(",").map((s) => s.trim()).filter(Boolean);
const has = (v = "", token) => list(v.toLowerCase()).includes(token);
const exts = (v) => list(v).map((e) => e.split(";").map((p) => p.split("=").map((s) => s.trim().toLowerCase())));

// prose(name) -> [link, text] of the block's item "name: text"
export async function check(boxes, prose = () => []) {
  const text = boxes.join("\n");
  if (text.length > CAP) return LONG;
  const [a, b] = split(text);
  const [request, q] = parse(a, /^[A-Za-z]+ \S+ HTTP\/\S+$/);
  const [response, r] = parse(b, ST);
  if (!request && !response) return [["bad", "No request line (GET /path HTTP/1.1) or status line (HTTP/1.1 101 …) found."]];
  const key = q["sec-websocket-key"];
  const status = ST.exec(response)?.[1];
  const n = key?.length % 4 == 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(key) ? atob(key).length : -1;
  const rules = request
    ? [
        [/^GET \S+ HTTP\/1\.1$/.test(request), "Request line", request],
        [!!q.host, "Host", q.host],
        [has(q.upgrade, "websocket"), "Upgrade", q.upgrade],
        [has(q.connection, "upgrade"), "Connection", q.connection],
        [q["sec-websocket-version"] == "13", "Sec-WebSocket-Version", q["sec-websocket-version"]],
        [n == 16, "Sec-WebSocket-Key", key, ` (${n < 0 ? "not base64" : n + " bytes"})`],
      ]
    : [[0, "Request line", "", " (paste it too)"]];
  if (!response) rules.push([0, "Status line", "", " (paste it too)"]);
  else if (status == "101") {
    const got = r["sec-websocket-accept"];
    const want = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.digest("SHA-1", new TextEncoder().encode((key || "") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")))));
    const chosen = list(r["sec-websocket-protocol"]);
    const offered = exts(q["sec-websocket-extensions"]).map(([[name]]) => name);
    // RFC 7692, 7.1
    const wrong = exts(r["sec-websocket-extensions"]).find(
      ([[name], ...ps]) =>
        !offered.includes(name) ||
        (name == "permessage-deflate" &&
          ps.some(
            ([p, v]) =>
              !/^(server|client)_(no_context_takeover|max_window_bits)$/.test(p) ||
              (p.endsWith("bits") && !/^(8|9|1[0-5])$/.test(v)) ||
              (p[0] == "c" && v && !q["sec-websocket-extensions"].includes(p)),
          )),
    );
    rules.push(
      [1, "Status line", response],
      [has(r.upgrade, "websocket") && has(r.connection, "upgrade"), "Response Upgrade and Connection", [r.upgrade, r.connection].join(", ")],
      [got == want, "Sec-WebSocket-Accept", got, `, expected "${want}"`],
      [chosen.length < 2 && chosen.every((p) => list(q["sec-websocket-protocol"]).includes(p)), "Sec-WebSocket-Protocol", r["sec-websocket-protocol"], `, offered: "${q["sec-websocket-protocol"] || ""}"`],
      [!wrong, "Sec-WebSocket-Extensions", r["sec-websocket-extensions"], wrong ? ", not offered or not valid" : ""],
    );
  } else {
    const [link, cause = " any status but 101 refuses the upgrade"] = prose(status);
    rules.push([0, "Status line", response, ":" + cause, link]);
  }
  if (request) rules.push(["note", "Origin", q.origin]);
  return rules.map(([ok, name, value, more = "", link = prose(name)[0]]) => [
    ok.at ? ok : ok ? "ok" : "bad",
    `${name}: ${value ? `"${value}"` : "none"}${more}`,
    link,
  ]);
}

export function mount(block) {
  const items = [...block.querySelectorAll(":scope > ul > li")];
  const prose = (key) => {
    for (const li of items) {
      const [head, ...text] = li.textContent.trim().split(":");
      if (head.includes(key)) return [li.querySelector("a")?.href, text.join(":")];
    }
    return [];
  };
  const [request, response] = [0, 0].map(() => el("textarea"));
  const ui = panel(block, field("Request, or both", request), field("Response", response), el("button", {}, "Check"));
  ui.form.onpaste = (event) => {
    // refused before the box takes it: drawing 10 MB freezes the page
    if (event.clipboardData.getData("text").length > CAP) event.preventDefault(), ui.verdicts(LONG);
  };
  ui.form.onsubmit = async () => {
    try {
      ui.verdicts(await check([request.value, response.value], prose));
    } catch {
      ui.verdicts([["bad", "Could not read this paste."]]);
    }
  };
}
