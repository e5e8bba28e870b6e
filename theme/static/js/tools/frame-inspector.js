// Frame inspector: hex in, RFC 6455 frames out with the rules they break; Build encodes a frame
// and decodes it back. NAMES: IANA close codes 1000-1015 (test_frame_inspector_close_codes.py).
import { el, field, panel } from "./kit.js";

const NAMES = "Normal Closure|Going Away|Protocol error|Unsupported Data|Reserved|No Status Rcvd|Abnormal Closure|Invalid frame payload data|Policy Violation|Message Too Big|Mandatory Ext.|Internal Error|Service Restart|Try Again Later|Bad Gateway|TLS handshake".split("|");
const OPS = ["continuation", "text", "binary", , , , , , "close", "ping", "pong"];
const CAP = 1e6; // characters of hex at most: a longer paste is refused before any work
const DOC = new URL("../../../websocket-protocol.html#", import.meta.url).href;
const hex = (bytes) => Array.from(bytes, (b) => (b | 256).toString(16).slice(1)).join(" ");
const utf8 = (bytes, stream, decoder = new TextDecoder("utf-8", { fatal: true })) => JSON.stringify(decoder.decode(bytes, { stream }));

function bytesOf(input) {
  if (input.length > CAP) throw "Over 1,000,000 characters: paste fewer frames.";
  const digits = input.replace(/0x|[\s:,]/gi, "");
  const bad = digits.match(/[^\da-f]/i);
  if (bad) throw `"${bad}" is not hex.`;
  if (digits.length % 2) throw "Odd number of hex digits.";
  return Uint8Array.from(digits.match(/../g) || [], (pair) => parseInt(pair, 16));
}

// Frames as [caption, rows, problems]; from: 1 client to server, 2 server to client, 0 not known.
function decode(data, from, deflate) {
  const frames = [];
  let at = 0;
  let message; // the data message being read: {text, zipped, decoder}
  while (at < data.length) {
    const [b0, b1 = 0] = data.subarray(at, at + 2);
    const [fin, rsv, op, masked] = [b0 >> 7, (b0 >> 4) & 7, b0 & 15, b1 >> 7];
    const rows = [];
    const bad = [];
    const flag = (problem, section) => bad.push(["bad", problem, DOC + section]);
    const missing = (n) => n > 0 && flag(`Truncated: ${n} bytes missing.`, "frames");
    let size = b1 & 127;
    const extra = size < 126 ? 0 : size < 127 ? 2 : 8;
    const header = 2 + extra + masked * 4;
    const name = OPS[op] || "reserved";
    frames.push([`Frame ${frames.length + 1}, at byte ${at}: ${name}`, rows, bad]);
    if (missing(at + header - data.length)) break;
    if (extra) size = data.subarray(at + 2, at + 2 + extra).reduce((n, b) => n * 256 + b, 0);
    if (data[at + 2] > 127 && extra > 2) flag("64-bit length with its top bit set.", "payload-length");
    else if (size < (extra > 2 ? 65536 : extra && 126)) flag("Length not in its shortest encoding.", "payload-length");
    const key = masked ? data.slice(at + header - 4, at + header) : [];
    const payload = data.slice((at += header), (at += size)).map((b, i) => b ^ key[i & 3]);
    const zipped = rsv > 3 && (op == 1 || op == 2);
    if (op == 1 || op == 2) message = { text: op < 2, zipped, decoder: new TextDecoder("utf-8", { fatal: true }) };
    const part = op < 3 ? message || {} : {};
    rows.push(
      ["FIN", fin],
      ["RSV1-3", `${rsv >> 2} ${(rsv >> 1) & 1} ${rsv & 1}`],
      ["opcode", `0x${op.toString(16)} (${name})`],
      ["MASK", masked],
      ["length", `${size} (${extra * 8 || 7}-bit)`],
      ["masking key", hex(key) || "none"],
      ["payload", hex(payload.subarray(0, 500)) + (size > 500 ? " …" : "")],
    );
    missing(size - payload.length);
    if (from == 1 && !masked) flag("Client frame not masked.", "masking");
    if (from == 2 && masked) flag("Server frame masked.", "masking");
    if ((op > 2 && op < 8) || op > 10) flag("Reserved opcode.", "opcodes");
    if (op > 7 && size > 125) flag("Control frame over 125 bytes.", "fragmentation-and-control-frames");
    if (op > 7 && !fin) flag("Fragmented control frame.", "fragmentation-and-control-frames");
    if (rsv & 3 || (rsv && !(zipped && deflate))) flag("RSV bit set that no negotiated extension explains.", "frames");
    try {
      if (part.zipped) rows.push(["text", "compressed (permessage-deflate)"]);
      else if (op == 8 && payload.length) {
        const code = (payload[0] << 8) | payload[1];
        if (payload.length < 2) flag("Close payload of 1 byte.", "closing-the-connection");
        else {
          const range = code > 2999 && code < 5000 ? (code < 4000 ? "registered" : "private use") : "unassigned";
          rows.push(["close code", `${code} (${NAMES[code - 1000] || range})`]);
          if (code < 1000 || code > 4999 || (code > 1003 && code < 1007) || (code > 1014 && code < 3000)) flag(`Close code ${code} must not be sent.`, "close-codes");
          rows.push(["reason", utf8(payload.subarray(2))]);
        }
      } else rows.push(["text", utf8(payload, !fin, part.decoder)]);
    } catch {
      if (op == 8) flag("Invalid UTF-8 in the reason.", "closing-the-connection");
      else if (part.text) flag("Invalid UTF-8 in a text message.", "opcodes");
    }
    if (fin && op < 3) message = 0;
  }
  return frames;
}

function build(f) {
  const op = +f.op.value;
  const code = f.code.value;
  let body = f.hex.checked ? bytesOf(f.payload.value) : new TextEncoder().encode(f.payload.value);
  if (op == 8 && code) {
    if (!(code >= 0 && code < 65536 && code % 1 == 0)) throw "A close code is a whole number up to 65535.";
    body = [code >> 8, code & 255, ...body];
  }
  const n = body.length;
  if (n > 3e5) throw "Over 300,000 bytes of payload: its hex would be more than the tool reads.";
  const mask = f.mask.checked << 7;
  const key = mask ? (f.key.value ? bytesOf(f.key.value) : crypto.getRandomValues(new Uint8Array(4))) : [];
  if (mask && key.length != 4) throw "A masking key is 8 hex digits.";
  const length = n < 126 ? [n] : n < 65536 ? [126, n >> 8, n & 255] : [127, 0, 0, 0, 0, n >>> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255];
  length[0] |= mask;
  return [(f.fin.checked << 7) | op, ...length, ...key, ...body.map((b, i) => b ^ key[i & 3])];
}

const box = (on) => el("input", on ? { type: "checkbox", checked: "" } : { type: "checkbox" });
const check = (control, text) => el("label", {}, control, " ", text);
const group = (legend, ...controls) => el("fieldset", { class: "tool-ui" }, el("legend", {}, legend), ...controls);
const select = (...texts) => el("select", {}, ...texts.map((text) => el("option", { value: parseInt(text) }, text.replace(/\d+ /, ""))));

export function mount(block) {
  const f = {
    input: el("textarea", { spellcheck: "false" }),
    from: select("0 not known", "1 client to server", "2 server to client"),
    deflate: box(),
    op: select("1 text", "2 binary", "0 continuation", "8 close", "9 ping", "10 pong"),
    fin: box(1),
    mask: box(1),
    key: el("input"),
    payload: el("input"),
    hex: box(),
    code: el("input", { inputmode: "numeric" }),
  };
  const run = (action) => {
    try {
      ui.show(...action());
    } catch (problem) {
      if (problem.stack) throw problem;
      ui.verdicts([["note", problem]]);
    }
  };
  const button = (text, action) => {
    const node = el("button", { type: "button" }, text);
    node.onclick = () => run(action);
    return node;
  };
  const inspect = () => {
    const data = bytesOf(f.input.value);
    if (!data.length) throw "Paste a frame as hex, such as 81 05 48 65 6c 6c 6f.";
    return decode(data, f.from.value, f.deflate.checked).flatMap(([caption, rows, bad]) => {
      ui.verdicts(bad.length ? bad : [["ok", "No rule broken."]]);
      const cells = rows.map(([name, value]) => el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, el("code", {}, value))));
      return [el("table", {}, el("caption", {}, caption), ...cells), ui.output.firstChild];
    });
  };
  // Refused before it reaches the field, which would take seconds to lay out megabytes of text.
  f.input.onpaste = (event) => {
    const text = event.clipboardData.getData("text");
    if (text.length > CAP) run(() => event.preventDefault() || bytesOf(text));
  };
  const ui = panel(
    block,
    group("Inspect", field("Frame bytes in hex", f.input, "Spaces, colons and 0x are ignored; frames may follow each other."),
      field("Direction", f.from), check(f.deflate, "permessage-deflate negotiated"), button("Decode", inspect)),
    group("Build", field("Opcode", f.op), check(f.fin, "FIN"), check(f.mask, "Masked (from a client)"),
      field("Masking key", f.key, "8 hex digits; empty: random."), field("Payload", f.payload, "For close: the reason."),
      check(f.hex, "Payload is hex"), field("Close code", f.code), button("Build", () => ((f.input.value = hex(build(f))), inspect()))),
  ); // prettier-ignore
}
