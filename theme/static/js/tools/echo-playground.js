// Echo playground: a WebSocket to this machine only (as the page's CSP), and its event log.
import { el, field, panel } from "./kit.js";

const CAP = 1 << 20; // websockets' default max_size: over it the echo server closes with 1009
const SHOW = 200; // characters or bytes of a message shown, and log entries kept
const STATES = ["CONNECTING", "OPEN", "CLOSING", "CLOSED"];
const size = (text) => new TextEncoder().encode(text).length;
const over = (n, unit = "bytes") => `${n} ${unit}: over the 1048576 bytes the echo server accepts (it would close with 1009)`;

function urlProblem(text) {
  try {
    const url = new URL(text);
    if (!["127.0.0.1", "localhost"].includes(url.hostname)) return `${url.hostname || text} is not this machine: the tool, and this page's CSP, allow only ws://127.0.0.1 and ws://localhost`;
    if (url.protocol != "ws:") return `${url.protocol} is not ws:`;
  } catch {
    return "not a URL: write one like ws://127.0.0.1:8765/";
  }
}

function closeProblem(code, reason) {
  if (code && !(code == 1000 || (code >= 3000 && code <= 4999)) || /\D/.test(code))
    return `close code ${code.slice(0, 9)}: close() throws InvalidAccessError unless 1000 or 3000-4999`;
  const n = size(reason);
  if (n > 123) return `the reason is ${n} bytes of UTF-8: close() takes at most 123 (else SyntaxError)`;
  if (reason && !code) return "a reason needs a code";
}

// {data: text or ArrayBuffer, n: bytes} to send, or why not.
function payload(text, binary) {
  if (text.length > (binary ? 4 : 1) * CAP) return over(text.length, "characters"); // before slow encode() or replace()
  if (!binary) {
    const n = size(text);
    return n > CAP ? over(n) : { data: text, n };
  }
  const hex = text.replace(/\s+/g, "");
  if (hex.length > 2 * CAP) return over(hex.length / 2);
  if (/[^\da-f]/i.test(hex)) return "not hex: write bytes as pairs of 0-9 and a-f, such as 48 69";
  if (hex.length % 2) return `${hex.length} hex digits: odd, so one is missing`;
  const bytes = new Uint8Array(hex.length / 2).map((_, i) => parseInt(hex.substr(2 * i, 2), 16));
  return { data: bytes.buffer, n: bytes.length };
}

export function mount(block) {
  const input = (value) => el("input", { value, maxlength: 999 });
  const button = (label, action) => Object.assign(el("button", { type: "button" }, label), { onclick: () => note(action(), 1) });
  const url = input("ws://127.0.0.1:8765/");
  const message = el("textarea", {}, "Hello");
  const kind = el("select", {}, el("option", {}, "Text"), el("option", {}, "Binary (hex)"));
  const code = input("1000");
  const reason = input("");
  const log = el("ol", { class: "tool-verdicts echo-playground-log", tabindex: "0", "aria-label": "Event log" });
  let ws;
  const state = (s = ws) => `readyState ${s.readyState} ${STATES[s.readyState]}`;

  function note(text, refused) {
    if (!text) return;
    log.append(el("li", {}, el("code", {}, new Date().toISOString().slice(11, 23), refused ? " Refused: " : " ", text)));
    if (log.children.length > SHOW) log.firstChild.remove();
    log.scrollTop = 1e9;
  }
  function connect() {
    if (ws?.readyState < 2) return `already ${state()}: disconnect first`;
    const target = url.value.trim();
    const problem = urlProblem(target);
    if (problem) return problem;
    try {
      ws = new WebSocket(target);
    } catch (error) {
      return error.message;
    }
    const socket = ws;
    socket.binaryType = "arraybuffer";
    note(`connecting to ${socket.url}: ${state()}`);
    socket.onopen = () => note(`open: ${state(socket)}`);
    socket.onmessage = ({ data }) => {
      const text = typeof data == "string";
      const shown = text ? JSON.stringify(data.slice(0, SHOW)) : Array.from(new Uint8Array(data).slice(0, SHOW), (b) => b.toString(16).padStart(2, 0)).join(" ");
      note(`message: ${text ? `text, ${size(data)}` : `binary, ${data.byteLength}`} bytes: ${shown}${(data.length || data.byteLength) > SHOW ? " …" : ""}`);
    };
    socket.onerror = () => note("error (no reason given; close follows)");
    socket.onclose = (e) => note(`close: code ${e.code}, reason "${e.reason}", wasClean ${e.wasClean}, ${state(socket)}`);
  }

  function send() {
    if (ws?.readyState != 1) return "not open: connect first";
    const binary = kind.selectedIndex;
    const sent = payload(message.value, binary);
    if (typeof sent == "string") return sent;
    ws.send(sent.data);
    note(`sent ${binary ? "binary" : "text"}, ${sent.n} bytes: bufferedAmount ${ws.bufferedAmount}, ${state()}`);
  }

  function disconnect() {
    const number = code.value.trim();
    const problem = closeProblem(number, reason.value) || (!(ws?.readyState < 2) && "not connected");
    if (problem) return problem;
    try {
      number ? ws.close(+number, reason.value) : ws.close();
      note(`closing: ${state()}`);
    } catch (error) {
      return `close() threw ${error.name}: ${error.message}`;
    }
  }

  panel(
    block,
    field("WebSocket URL", url, "ws://127.0.0.1:PORT/ or ws://localhost:PORT/ only"),
    button("Connect", connect),
    field("Message", message),
    field("Send as", kind),
    button("Send", send),
    field("Close code", code, "1000 or 3000-4999; empty: none"),
    field("Close reason", reason, "At most 123 bytes of UTF-8"),
    button("Disconnect", disconnect),
  ).show(log);
}
