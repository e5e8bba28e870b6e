// Keepalive planner. Its limits: data/idle-timeouts.json, the build's copy of the page's table.
import { el, field, panel } from "./kit.js";

const DATA = new URL("../../../data/idle-timeouts.json", import.meta.url); // from THEME_STATIC_DIR/js/tools/
const HERE = "keepalive-timeouts.html#";
const s = (n) => n.toLocaleString("en") + " s";

function seconds(label, text) {
  const t = text.trim().toLowerCase();
  if (t == "none") return null;
  if (!/^\d{1,5}(\.\d{1,3})?$/.test(t) || +t <= 0 || +t > 86400) throw Error(`${label}: “${text.slice(0, 12)}” is not seconds (0.001 to 86400) nor “none”.`);
  return +t;
}

const num = (r, k) => (typeof r?.[k] == "number" ? r[k] : null);
const least = (pairs) => pairs.filter((p) => p[1]).sort((a, b) => a[1] - b[1])[0] || [];

function plan({ interval, timeout, server, proxy, proxyName, platform, beat }) {
  const [idleName, idle] = least([[proxyName, proxy], [platform?.name, platform?.kind == "platform idle" && num(platform, "seconds")]]);
  const capOf = (r) => (r?.kind == "lifetime cap" ? num(r, "seconds") : num(r, "lifetime"));
  const [capRow, cap] = least([[server, capOf(server)], [platform, capOf(platform)]]);
  const gap = Math.min(interval || Infinity, beat ? 15 : Infinity);
  const cut = gap >= idle ? idle : Infinity;
  const rows = [
    cut < Infinity
      ? ["bad", `First idle timer to fire: ${idleName}, after ${s(idle)}. Both ends see 1006 (no Close frame).`, HERE + "who-closes-idle-connections"]
      : gap < Infinity
        ? ["ok", `No idle timer fires: ${gap == interval ? "pings" : "heartbeats"} every ${s(gap)} keep every hop busy.`]
        : ["note", "Nothing here closes it, nor keeps it busy: a NAT or proxy not listed may cut it."],
    interval && timeout
      ? ["note", `A dead peer goes unnoticed up to ${s(interval + timeout)} (interval + timeout); websockets then sends 1011 “keepalive ping timeout” and logs 1006 as received.`, HERE + "keepalive-ping-timeout"]
      : ["bad", `${interval ? "No ping timeout" : "No pings"}: a dead peer goes unnoticed until TCP gives up, after 15 minutes or never.`, HERE + "half-open-connections"],
    [
      "note",
      beat ? "The heartbeat gives up on a dead server after 20 s and closes with its own 4000 (its close event may report 1006)." : "No heartbeat: a page notices a dead server only when TCP gives up.",
      HERE + "browsers-cannot-send-pings",
    ],
    ["note", `Suggested: ping interval ${idle ? `at most ${s(idle / 2)}, half of ${idleName}'s ${s(idle)}` : "20 s"}; ping timeout 10 to 20 s${cap ? "; clients that reconnect" : ""}.`, HERE + "choosing-values"],
  ];
  if (cap) rows.splice(cap < cut ? 0 : 1, 0, ["bad", `Lifetime cap: ${capRow.name} ends every connection after ${s(cap)}, busy or not.${capRow == server ? "" : " Both ends see 1006."}`]);
  return rows;
}

const input = (value) => el("input", { value, maxlength: 12 });
const option = (value, text) => el("option", { value }, text);
const label = (r) => r.name + (r.kind[0] == "s" ? "" : `: ${r.kind[0] == "l" ? "lifetime" : "idle"} ${num(r, "seconds") ? s(r.seconds) : r.seconds}`);
const choose = (rows, first) => el("select", {}, option("", first), ...rows.map((r, i) => option(i, label(r))));

export async function mount(block) {
  const ui = panel(block);
  let data;
  try {
    data = (await (await fetch(DATA)).json()).rows;
  } catch {
    return ui.show("The limits did not load (offline?): the table above lists them.");
  }
  const of = (...kinds) => data.filter((r) => kinds.includes(r.kind));
  const [servers, proxies, platforms] = [of("server pinger"), of("proxy idle"), of("platform idle", "lifetime cap")];
  const [server, proxy, platform] = [choose(servers, "Other"), choose(proxies, "None"), choose(platforms, "None")];
  const [interval, timeout, idle] = [input(20), input(20), input("none")];
  const beat = el("select", {}, option("", "Off"), option(1, "On: 15 s, then 5 s"));
  const fill = (to, r, k) => r && (to.value = num(r, k) || "none");
  server.onchange = () => (fill(interval, servers[server.value], "seconds"), fill(timeout, servers[server.value], "ping_timeout"));
  proxy.onchange = () => fill(idle, proxies[proxy.value] || {}, "seconds");
  server.value = 0;
  ui.form.append(
    field("Server", server),
    field("Ping interval (s)", interval, "Seconds, or none"),
    field("Ping timeout (s)", timeout),
    field("Proxy in front", proxy),
    field("Proxy idle timeout (s)", idle),
    field("Platform or edge", platform),
    field("Browser heartbeat", beat),
    el("button", {}, "Plan"),
  );
  const run = () => {
    try {
      ui.verdicts(
        plan({
          interval: seconds("Ping interval", interval.value),
          timeout: seconds("Ping timeout", timeout.value),
          server: servers[server.value],
          proxy: seconds("Proxy idle timeout", idle.value),
          proxyName: proxies[proxy.value]?.name || "the proxy",
          platform: platforms[platform.value],
          beat: beat.value,
        }),
      );
    } catch (error) {
      ui.verdicts([["bad", error.message]]);
    }
  };
  ui.form.onchange = ui.form.onsubmit = run;
  run();
}
