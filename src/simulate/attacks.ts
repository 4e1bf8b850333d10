import * as fs from "node:fs";
import * as path from "node:path";
import { OptionError } from "../errors";
import { RandomState } from "../random";
import { checkOptions, type OptionKeys } from "../options";
import { syslogStamp } from "./syslog-stamp";
import { MONTH_ABBREVIATIONS } from "../ingest/timestamps";

/** Every option name of {@link SimulateAttacksOptions} (unknown names fail with a suggestion). */
const SIMULATE_ATTACKS_OPTIONS_KEYS: OptionKeys<SimulateAttacksOptions> = { seed: true, start: true, hours: true, users: true, host: true, webRate: true, attacks: true };

/** Ground truth of a simulated line. Attack labels: brute_force, password_spraying, request_flood, exfiltration. */
export type SimLabel = "normal" | "background" | "brute_force" | "password_spraying" | "request_flood" | "exfiltration";

/** Labels that mark an attack (the rest are benign). */
export const ATTACK_LABELS: readonly SimLabel[] = ["brute_force", "password_spraying", "request_flood", "exfiltration"];

export interface SimLineLabel {
  readonly lineNo: number;
  /** Epoch ms of the line. */
  readonly time: number;
  readonly label: SimLabel;
  /** Source IP of the line (undefined for local events such as cron). */
  readonly srcIp?: string;
}

/** One simulated log file: its lines and the label of each. */
export interface SimulatedLog {
  readonly lines: string[];
  readonly labels: SimLineLabel[];
}

export interface SimulatedAttack {
  readonly kind: SimLabel;
  readonly srcIp: string;
  readonly start: number;
  readonly end: number;
  readonly lines: number;
}

export interface SimulatedAttacks {
  /** sshd auth.log (RFC 3164 lines, no year: parse with `year` of `start`). */
  readonly auth: SimulatedLog;
  /** Access log (combined format). */
  readonly access: SimulatedLog;
  readonly attacks: SimulatedAttack[];
  readonly seed: number;
  readonly start: number;
  readonly end: number;
}

export interface SimulateAttacksOptions {
  /** Seed of the generator. Default: 42. */
  readonly seed?: number;
  /** Start of the simulated span (UTC). Default: '2025-03-06T06:00:00Z'. */
  readonly start?: string | number | Date;
  /** Length of the span in hours (business hours are 08:00–18:00 UTC). Default: 12. */
  readonly hours?: number;
  /** Number of normal users. Default: 12. */
  readonly users?: number;
  /** Host name in the auth log. Default: 'gw01'. */
  readonly host?: string;
  /** Mean normal web requests per second. Default: 0.05. */
  readonly webRate?: number;
  /** Which attacks to inject. Default: all four. */
  readonly attacks?: readonly SimLabel[];
}

const USER_NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "oscar", "peggy", "rupert", "sybil", "trent", "victor", "walter", "wendy"];
const DICTIONARY = ["admin", "test", "oracle", "ubuntu", "pi", "guest", "postgres", "user", "git", "support"];
const PAGES = ["/", "/index.html", "/about", "/products", "/products/42", "/search?q=shoes", "/cart", "/login", "/static/app.js", "/static/style.css", "/img/logo.png", "/api/items?page=2"];
const AGENTS = [
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_3) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15",
  "Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148",
];
const pad = (n: number) => (n < 10 ? "0" + n : String(n));


function accessStamp(t: number): string {
  const d = new Date(t);
  return `${pad(d.getUTCDate())}/${MONTH_ABBREVIATIONS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

interface Pending {
  t: number;
  seq: number;
  text: string;
  label: SimLabel;
  srcIp?: string;
}

function finish(items: Pending[], stamp: (t: number) => string, access: boolean): SimulatedLog {
  items.sort((a, b) => a.t - b.t || a.seq - b.seq);
  const lines: string[] = [];
  const labels: SimLineLabel[] = [];
  items.forEach((it, i) => {
    lines.push(access ? it.text.replace("{T}", stamp(it.t)) : `${stamp(it.t)} ${it.text}`);
    labels.push({ lineNo: i + 1, time: it.t, label: it.label, srcIp: it.srcIp });
  });
  return { lines, labels };
}

/**
 * Simulate a labelled day of logs for teaching and tests (seeded, so the same seed gives the same bytes):
 * an sshd `auth.log` with normal users logging in during business hours (the odd mistyped password or
 * user name, cron sessions, a little internet background noise) plus an injected brute force (one IP,
 * hundreds of failures in minutes) and a password spraying (one IP, one attempt per user, slowly); and a
 * combined-format access log with normal browsing plus a request flood (one IP, ~10 requests/s for 90
 * seconds) and a slow exfiltration (one internal client pulling tens of MB every few minutes). Every line
 * carries its label; see {@link labelSimulatedWindows} for window labels.
 *
 * @example
 * const sim = simulateAttacks({ seed: 42 });
 * sim.auth.lines.length; sim.attacks.map((a) => `${a.kind} ${a.srcIp}`);
 */
export function simulateAttacks(options: SimulateAttacksOptions = {}): SimulatedAttacks {
  checkOptions(options, SIMULATE_ATTACKS_OPTIONS_KEYS, "simulateAttacks");
  const seed = options.seed ?? 42;
  const rng = new RandomState(seed);
  const start = options.start === undefined ? Date.parse("2025-03-06T06:00:00Z") : new Date(options.start).getTime();
  if (!Number.isFinite(start)) throw new OptionError(`Expected \`start\` to be a date, got ${String(options.start)}`);
  const hours = options.hours ?? 12;
  if (!(hours > 0 && hours <= 24 * 31)) throw new OptionError(`Expected \`hours\` to be in (0, 744], got ${String(hours)}`);
  const nUsers = options.users ?? 12;
  if (!Number.isInteger(nUsers) || nUsers < 1 || nUsers > USER_NAMES.length) {
    throw new OptionError(`Expected \`users\` to be an integer in [1, ${USER_NAMES.length}], got ${String(nUsers)}`);
  }
  const host = options.host ?? "gw01";
  const webRate = options.webRate ?? 0.05;
  const enabled = new Set(options.attacks ?? ATTACK_LABELS);
  const end = start + hours * 3600000;
  const span = end - start;
  const auth: Pending[] = [];
  const access: Pending[] = [];
  let seq = 0;
  let pid = 2000 + rng.randint(0, 1000);
  const nextPid = () => (pid += 1 + rng.randint(0, 40));
  const port = () => rng.randint(32768, 61000);
  const sshd = (t: number, p: number, msg: string, label: SimLabel, srcIp?: string) =>
    auth.push({ t: Math.round(t), seq: seq++, text: `${host} sshd[${p}]: ${msg}`, label, srcIp });
  const attacks: SimulatedAttack[] = [];

  // Normal users: a home IP each, logins during business hours, sessions of ~40 minutes.
  const users = USER_NAMES.slice(0, nUsers);
  const homes = users.map((_, i) => (i % 3 === 2 ? `203.0.113.${10 + i}` : `10.0.${1 + (i % 4)}.${20 + i}`));
  const dayStart = Math.floor(start / 86400000) * 86400000;
  for (let u = 0; u < users.length; u++) {
    const logins = rng.poisson(4);
    for (let k = 0; k < logins; k++) {
      const day = dayStart + 86400000 * rng.randint(0, Math.max(1, Math.ceil(hours / 24)));
      const t = day + 8 * 3600000 + rng.uniform(0, 10 * 3600000);
      if (t < start || t > end - 60000) continue;
      const ip = homes[u];
      const p = nextPid();
      const pt = port();
      let at = t;
      if (rng.rand() < 0.03) {
        const typo = users[u].slice(0, -1) + users[u].slice(-1).repeat(2);
        const p0 = nextPid();
        sshd(at - 20000, p0, `Invalid user ${typo} from ${ip} port ${pt - 1}`, "normal", ip);
        sshd(at - 18000, p0, `Failed password for invalid user ${typo} from ${ip} port ${pt - 1} ssh2`, "normal", ip);
        sshd(at - 17000, p0, `Connection closed by invalid user ${typo} ${ip} port ${pt - 1} [preauth]`, "normal", ip);
      }
      if (rng.rand() < 0.1) {
        sshd(at, p, `Failed password for ${users[u]} from ${ip} port ${pt} ssh2`, "normal", ip);
        at += 4000 + rng.uniform(0, 6000);
      }
      const method = u % 2 === 0 ? "publickey" : "password";
      sshd(at, p, `Accepted ${method} for ${users[u]} from ${ip} port ${pt} ssh2${method === "publickey" ? ": ED25519 SHA256:k" + u : ""}`, "normal", ip);
      sshd(at + 5, p, `pam_unix(sshd:session): session opened for user ${users[u]}(uid=${1000 + u}) by (uid=0)`, "normal");
      const close = Math.min(end - 1000, at + rng.exponential(40 * 60000) + 60000);
      sshd(close, p, `Received disconnect from ${ip} port ${pt}:11: disconnected by user`, "normal", ip);
      sshd(close + 2, p, `Disconnected from user ${users[u]} ${ip} port ${pt}`, "normal", ip);
      sshd(close + 4, p, `pam_unix(sshd:session): session closed for user ${users[u]}`, "normal");
    }
  }
  // Cron every 10 minutes (local, no IP).
  for (let t = Math.ceil(start / 600000) * 600000 + 1000; t < end; t += 600000) {
    const p = nextPid();
    auth.push({ t, seq: seq++, text: `${host} CRON[${p}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)`, label: "normal" });
    auth.push({ t: t + 1000, seq: seq++, text: `${host} CRON[${p}]: pam_unix(cron:session): session closed for user root`, label: "normal" });
  }
  // Internet background noise: a stray scanner every ~30 minutes, 1–2 attempts.
  for (let t = start + rng.exponential(30 * 60000); t < end; t += rng.exponential(30 * 60000)) {
    const ip = `192.0.2.${rng.randint(1, 255)}`;
    const p = nextPid();
    const name = DICTIONARY[rng.randint(0, DICTIONARY.length)];
    sshd(t, p, `Invalid user ${name} from ${ip} port ${port()}`, "background", ip);
    sshd(t + 1500, p, `Failed password for invalid user ${name} from ${ip} port ${port()} ssh2`, "background", ip);
    if (rng.rand() < 0.5) sshd(t + 3500, p, `Failed password for invalid user ${name} from ${ip} port ${port()} ssh2`, "background", ip);
    sshd(t + 4000, p, `Connection closed by invalid user ${name} ${ip} port ${port()} [preauth]`, "background", ip);
  }

  // Brute force: one IP, ~12 minutes, an attempt every ~2 s, mostly root.
  if (enabled.has("brute_force")) {
    const ip = "198.51.100.23";
    const t0 = start + span * (0.35 + 0.1 * rng.rand());
    const t1 = t0 + (10 + 4 * rng.rand()) * 60000;
    let n = 0;
    let t = t0;
    while (t < t1) {
      const p = nextPid();
      const tries = rng.randint(3, 7);
      for (let k = 0; k < tries && t < t1; k++) {
        const root = rng.rand() < 0.7;
        const name = root ? "root" : DICTIONARY[rng.randint(0, DICTIONARY.length)];
        const pt = port();
        if (!root) {
          sshd(t, p, `Invalid user ${name} from ${ip} port ${pt}`, "brute_force", ip);
          n++;
        }
        sshd(t + 300, p, `Failed password for ${root ? "" : "invalid user "}${name} from ${ip} port ${pt} ssh2`, "brute_force", ip);
        n++;
        t += rng.exponential(2000) + 500;
      }
      sshd(t, p, `Disconnecting authenticating user root ${ip} port ${port()}: Too many authentication failures [preauth]`, "brute_force", ip);
      n++;
      t += 200;
    }
    attacks.push({ kind: "brute_force", srcIp: ip, start: Math.round(t0), end: Math.round(t), lines: n });
  }
  // Password spraying: one IP, every ~45 s one attempt at the next user name, for ~90 minutes.
  if (enabled.has("password_spraying")) {
    const ip = "198.51.100.77";
    const t0 = start + span * (0.6 + 0.1 * rng.rand());
    const t1 = Math.min(end - 60000, t0 + 90 * 60000);
    const targets = [...users, ...DICTIONARY.slice(0, 4)];
    let n = 0;
    let k = 0;
    let t = t0;
    for (; t < t1; t += rng.exponential(45000) + 5000) {
      const name = targets[k++ % targets.length];
      const valid = users.includes(name);
      const p = nextPid();
      const pt = port();
      if (!valid) {
        sshd(t, p, `Invalid user ${name} from ${ip} port ${pt}`, "password_spraying", ip);
        n++;
      }
      sshd(t + 800, p, `Failed password for ${valid ? "" : "invalid user "}${name} from ${ip} port ${pt} ssh2`, "password_spraying", ip);
      sshd(t + 1200, p, `Connection closed by ${valid ? "authenticating user" : "invalid user"} ${name} ${ip} port ${pt} [preauth]`, "password_spraying", ip);
      n += 2;
    }
    attacks.push({ kind: "password_spraying", srcIp: ip, start: Math.round(t0), end: Math.round(t), lines: n });
  }

  // Access log: normal browsing (Poisson process, weighted clients).
  const clients = Array.from({ length: 40 }, (_, i) => (i < 25 ? `203.0.113.${100 + i}` : `10.0.5.${30 + i}`));
  const http = (t: number, ip: string, method: string, p: string, status: number, bytes: number, agent: string, label: SimLabel, referrer = "-") =>
    access.push({
      t: Math.round(t),
      seq: seq++,
      text: `${ip} - - [{T}] "${method} ${p} HTTP/1.1" ${status} ${status === 304 ? 0 : Math.round(bytes)} "${referrer}" "${agent}"`,
      label,
      srcIp: ip,
    });
  for (let t = start + rng.exponential(1000 / webRate); t < end; t += rng.exponential(1000 / webRate)) {
    const c = Math.min(clients.length - 1, Math.floor(rng.exponential(8)));
    const page = PAGES[rng.randint(0, PAGES.length)];
    const r = rng.rand();
    const status = r < 0.9 ? 200 : r < 0.96 ? 304 : 404;
    http(t, clients[c], "GET", page, status, page.startsWith("/static") ? 20000 + rng.exponential(30000) : 2000 + rng.exponential(6000), AGENTS[c % AGENTS.length], "normal", "https://shop.example/");
  }
  // Request flood: one IP, ~10 requests/s for 90 seconds.
  if (enabled.has("request_flood")) {
    const ip = "198.51.100.150";
    const t0 = start + span * (0.2 + 0.1 * rng.rand());
    const t1 = t0 + 90000;
    let n = 0;
    let t = t0;
    for (; t < t1; t += rng.exponential(1000 / 10)) {
      const ok = rng.rand() < 0.7;
      http(t, ip, "GET", rng.rand() < 0.5 ? "/" : `/search?q=${rng.randint(0, 100000)}`, ok ? 200 : 503, ok ? 2000 + rng.exponential(4000) : 300, "python-requests/2.31", "request_flood");
      n++;
    }
    attacks.push({ kind: "request_flood", srcIp: ip, start: Math.round(t0), end: Math.round(t), lines: n });
  }
  // Slow exfiltration: an internal client pulls 20–60 MB exports every ~8 minutes for most of the day.
  if (enabled.has("exfiltration")) {
    const ip = "10.0.9.23";
    const t0 = start + span * 0.1;
    let n = 0;
    let t = t0 + rng.exponential(8 * 60000);
    for (; t < end; t += rng.exponential(8 * 60000) + 60000) {
      http(t, ip, "GET", `/api/export?table=customers&page=${n + 1}`, 200, 20e6 + rng.uniform(0, 40e6), "curl/8.5.0", "exfiltration");
      n++;
    }
    attacks.push({ kind: "exfiltration", srcIp: ip, start: Math.round(t0), end: Math.round(Math.min(t, end)), lines: n });
  }

  return { auth: finish(auth, syslogStamp, false), access: finish(access, accessStamp, true), attacks, seed, start, end };
}

/** A labelled (source IP, window) of a simulated log. */
export interface SimWindowLabel {
  readonly srcIp: string;
  readonly windowStart: number;
  /** The attack label when any line of the window is an attack line, else 'normal' / 'background'. */
  readonly label: SimLabel;
  readonly lines: number;
}

/**
 * Label every non-empty (source IP, window) of a simulated log: an attack label when one of its lines is an
 * attack line, else the window's benign label. Windows with no line are normal by definition.
 *
 * @example
 * labelSimulatedWindows(simulateAttacks().auth, { window: 60000 }).filter((w) => w.label === "brute_force").length
 */
export function labelSimulatedWindows(log: SimulatedLog, options: { readonly window?: number } = {}): SimWindowLabel[] {
  const w = options.window ?? 60000;
  const cells = new Map<string, { srcIp: string; windowStart: number; label: SimLabel; lines: number }>();
  for (const l of log.labels) {
    if (l.srcIp === undefined) continue;
    const ws = Math.floor(l.time / w) * w;
    const key = `${l.srcIp} ${ws}`;
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { srcIp: l.srcIp, windowStart: ws, label: l.label, lines: 0 }));
    c.lines++;
    if (ATTACK_LABELS.includes(l.label) || (c.label === "normal" && l.label === "background")) c.label = l.label;
  }
  return [...cells.values()].sort((a, b) => (a.srcIp < b.srcIp ? -1 : a.srcIp > b.srcIp ? 1 : a.windowStart - b.windowStart));
}

/**
 * Write the simulator's small samples: auth.log, access.log, labels.csv (file, line_no, time, label, src_ip)
 * and windows.csv (file, src_ip, window_start, label, lines; 1-minute windows). Returns the paths written.
 * The two logs get the simulated end time as their modification time, so year inference (which reads a
 * year-less log's mtime as its reference date) gives the simulated year.
 * `data/sim/` in the repository holds the output of the default options (seed 42).
 *
 * @example
 * writeSimulatedSamples("data/sim");
 */
export function writeSimulatedSamples(dir: string, options: SimulateAttacksOptions = {}): string[] {
  checkOptions(options, SIMULATE_ATTACKS_OPTIONS_KEYS, "writeSimulatedSamples");
  const sim = simulateAttacks(options);
  fs.mkdirSync(dir, { recursive: true });
  const iso = (t: number) => new Date(t).toISOString();
  const files: Array<[string, string]> = [
    ["auth.log", sim.auth.lines.join("\n") + "\n"],
    ["access.log", sim.access.lines.join("\n") + "\n"],
    [
      "labels.csv",
      "file,line_no,time,label,src_ip\n" +
        [
          ...sim.auth.labels.map((l) => `auth.log,${l.lineNo},${iso(l.time)},${l.label},${l.srcIp ?? ""}`),
          ...sim.access.labels.map((l) => `access.log,${l.lineNo},${iso(l.time)},${l.label},${l.srcIp ?? ""}`),
        ].join("\n") +
        "\n",
    ],
    [
      "windows.csv",
      "file,src_ip,window_start,label,lines\n" +
        [
          ...labelSimulatedWindows(sim.auth).map((w) => `auth.log,${w.srcIp},${iso(w.windowStart)},${w.label},${w.lines}`),
          ...labelSimulatedWindows(sim.access).map((w) => `access.log,${w.srcIp},${iso(w.windowStart)},${w.label},${w.lines}`),
        ].join("\n") +
        "\n",
    ],
  ];
  // Year-less syslog takes its year from the file's modification time (siemlab's CLI without --year):
  // stamp the logs with the simulated end, so a later run infers the simulated year, not today's.
  const lastWritten = new Date(sim.end);
  return files.map(([name, text]) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    if (name.endsWith(".log")) fs.utimesSync(p, lastWritten, lastWritten);
    return p;
  });
}
