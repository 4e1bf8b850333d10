/**
 * A labelled fortnight of sshd logs where "unusual for this entity" is what matters (issue 13): ordinary
 * users who log in during business hours, plus six cases an analyst cares about, each labelled on its lines:
 * - `quiet_burst`: a quiet user (one login a day) whose address suddenly logs in dozens of times in an hour
 *   (a stolen key driving automation): every login succeeds, so a failed-login rule never fires, and the
 *   count is ordinary next to the service account;
 * - `noisy_service` (benign): a service account that logs in ~60 times an hour, all day, every day; a
 *   population-level detector flags it every hour, its own baseline never;
 * - `slow_spray`: one new address trying one user name every few minutes for hours (a slow password spray),
 *   far below "8 failures in 120 s";
 * - `unusual_hour`: a regular day-time user logging in at 03:00 UTC from the usual address;
 * - `brute_force`: one new address, ~10 minutes of a failure every 2 s (what the correlation rule is for);
 * - `distributed_brute_force`: 40–60 new addresses guessing ONE ordinary user's password within 30–60
 *   minutes, each address once or twice (a botnet working through a password list for a user name leaked
 *   elsewhere). Each (address, hour) is one or two failed logins, exactly like the background scanners
 *   below, so no feature keyed by source address can tell them apart; keyed by the target user, ten or more
 *   distinct addresses failing for one account within ten minutes is unmistakable (a Sigma `value_count`
 *   correlation: `slidingWindowRule(events, { by: "user", distinct: "srcIp", threshold: 5, windowSeconds: 600 })`).
 * - `stolen_credentials`: an ordinary user's password used from a new address in the small hours of a
 *   weekend, two or three successful logins and nothing else (valid accounts, MITRE T1078). No failure, so
 *   no failed-login rule fires; the address has no history, and each feature on its own (one or two logins,
 *   a success, an hour at which the service account and the scanners are busy too) is ordinary for the
 *   population, so the per-entity baseline (which falls back to the population one feature at a time)
 *   ranks it low; only the combination — successful user logins, at night, on a weekend — is rare, which
 *   a population-level multivariate detector such as the Isolation Forest can see, at a cost in alerts.
 * Benign background (`background_scan`): every internet-facing sshd sees a trickle of addresses trying one
 * to three passwords for root or a common name and going away; here ~20 such addresses a day, at any hour.
 * They are why a lone failed login from a new address is ordinary, as it is on a real server.
 * Seeded: the same seed gives the same lines. The scanners, the distributed brute force and the stolen
 * credentials are drawn from streams of their own (seeded from `seed`), so adding them left every other
 * line as it was.
 *
 * @example
 * const sim = simulateEntityScenario({ seed: 0 });
 * sim.lines.length; sim.incidents.map((i) => `${i.label} ${i.srcIp}`);
 */
import { OptionError } from "../errors";
import { checkOptions, type OptionKeys } from "../options";
import { RandomState } from "../random";
import { syslogStamp } from "./syslog-stamp";

/** Label of a scenario line: "normal", the benign "noisy_service" or "background_scan", or one of {@link SCENARIO_ATTACKS}. */
export type ScenarioLabel =
  | "normal"
  | "noisy_service"
  | "background_scan"
  | "quiet_burst"
  | "slow_spray"
  | "unusual_hour"
  | "brute_force"
  | "distributed_brute_force"
  | "stolen_credentials";

/** Labels that mark something an analyst must see (the rest are benign). */
export const SCENARIO_ATTACKS: readonly ScenarioLabel[] = ["quiet_burst", "slow_spray", "unusual_hour", "brute_force", "distributed_brute_force", "stolen_credentials"];

/** One injected case: who, when, how many lines. */
export interface ScenarioIncident {
  readonly label: ScenarioLabel;
  /** Source address (the first one, for the distributed case). */
  readonly srcIp: string;
  /** Distinct source addresses of the incident (1 except for `distributed_brute_force`). */
  readonly addresses: number;
  readonly user?: string;
  /** First and last line time (epoch ms). */
  readonly start: number;
  readonly end: number;
  readonly lines: number;
}

/** The simulated log: RFC 3164 sshd lines (no year: parse with `year` of `start`) and a label per line. */
export interface EntityScenario {
  readonly lines: string[];
  /** Label of each line (same order). */
  readonly labels: ScenarioLabel[];
  /** Time of each line, epoch ms. */
  readonly times: number[];
  /** Source address of each line. */
  readonly srcIps: string[];
  readonly incidents: ScenarioIncident[];
  readonly seed: number;
  /** Span, epoch ms, and its length in days. */
  readonly start: number;
  readonly end: number;
  readonly days: number;
}

/** Options of {@link simulateEntityScenario}. */
export interface EntityScenarioOptions {
  /** Seed of the generator. Default: 0. */
  readonly seed?: number;
  /** Days simulated, from `start`. Default: 14. */
  readonly days?: number;
  /** First instant (UTC, floored to midnight). Default: '2025-03-03' (a Monday). */
  readonly start?: string | number | Date;
  /** Ordinary users. Default: 16. */
  readonly users?: number;
  /** Host name in the lines. Default: 'gw01'. */
  readonly host?: string;
  /** Mean number of background scanners a day (Poisson), each 1–3 failed passwords; 0 for none. Default: 20. */
  readonly scannersPerDay?: number;
}

/** Every option name of {@link EntityScenarioOptions} (unknown names fail with a suggestion). */
const ENTITY_SCENARIO_OPTIONS_KEYS: OptionKeys<EntityScenarioOptions> = { seed: true, days: true, start: true, users: true, host: true, scannersPerDay: true };

const NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "uma", "walter", "wendy", "xavier", "yara"];
/** Names background scanners try (root first: about 40 % of their attempts). */
const SCAN_NAMES = ["admin", "test", "ubuntu", "oracle", "user", "pi", "postgres", "guest", "git", "ftpuser", "support", "nagios", "hadoop", "www", "teamspeak", "minecraft"];
const SPRAY_NAMES = ["admin", "test", "oracle", "ubuntu", "guest", "postgres", "support", "deploy", "jenkins", "backup", "web", "mysql", "ftp", "git", "demo", "user1", "sales", "hr", "finance", "it"];
const HOUR = 3600000;
const DAY = 24 * HOUR;


/**
 * Simulates the scenario (see the module comment). Errors: OptionError for an unknown option, `days`
 * outside [2, 62], `users` outside [4, 22], `scannersPerDay` outside [0, 500] or an invalid `start`.
 *
 * @example
 * const sim = simulateEntityScenario({ seed: 3, days: 7 });
 * const { events } = parseLogLines(sim.lines, { year: 2025 });
 */
export function simulateEntityScenario(options: EntityScenarioOptions = {}): EntityScenario {
  checkOptions(options, ENTITY_SCENARIO_OPTIONS_KEYS, "simulateEntityScenario");
  const seed = options.seed ?? 0;
  const rng = new RandomState(seed);
  const days = options.days ?? 14;
  if (!Number.isInteger(days) || days < 2 || days > 62) throw new OptionError(`Expected \`days\` to be an integer in [2, 62], got ${String(options.days)}`);
  const nUsers = options.users ?? 16;
  if (!Number.isInteger(nUsers) || nUsers < 4 || nUsers > NAMES.length) {
    throw new OptionError(`Expected \`users\` to be an integer in [4, ${NAMES.length}], got ${String(options.users)}`);
  }
  const t0 = options.start === undefined ? Date.parse("2025-03-03T00:00:00Z") : new Date(options.start).getTime();
  if (!Number.isFinite(t0)) throw new OptionError(`Expected \`start\` to be a date, got ${String(options.start)}`);
  const start = Math.floor(t0 / DAY) * DAY;
  const end = start + days * DAY;
  const host = options.host ?? "gw01";
  const scannersPerDay = options.scannersPerDay ?? 20;
  if (typeof scannersPerDay !== "number" || !(scannersPerDay >= 0 && scannersPerDay <= 500)) {
    throw new OptionError(`Expected \`scannersPerDay\` to be a number in [0, 500], got ${String(options.scannersPerDay)}`);
  }
  const items: { t: number; seq: number; text: string; label: ScenarioLabel; ip: string }[] = [];
  let seq = 0;
  let pid = 3000 + rng.randint(0, 1000);
  const port = () => rng.randint(32768, 61000);
  const line = (t: number, msg: string, label: ScenarioLabel, ip: string) => {
    if (t >= start && t < end) items.push({ t: Math.round(t), seq: seq++, text: `${host} sshd[${(pid += 1 + rng.randint(0, 9))}]: ${msg}`, label, ip });
  };
  const accepted = (t: number, user: string, ip: string, label: ScenarioLabel, method = "password") =>
    line(t, `Accepted ${method} for ${user} from ${ip} port ${port()} ssh2`, label, ip);
  const failed = (t: number, user: string, ip: string, label: ScenarioLabel, invalid = false) =>
    line(t, `Failed password for ${invalid ? "invalid user " : ""}${user} from ${ip} port ${port()} ssh2`, label, ip);

  const users = NAMES.slice(0, nUsers);
  const homes = users.map((_, i) => `10.0.${1 + (i % 5)}.${20 + i}`);
  const quiet = users.length - 1; // the quiet user
  const regular = users.length - 2; // the one with a login at an unusual hour
  const workday = (d: number) => {
    const wd = new Date(start + d * DAY).getUTCDay();
    return wd !== 0 && wd !== 6;
  };
  for (let d = 0; d < days; d++) {
    const day = start + d * DAY;
    for (let u = 0; u < users.length; u++) {
      if (!workday(d) && rng.rand() < 0.8) continue;
      const logins = u === quiet ? 1 : 1 + rng.poisson(2);
      for (let k = 0; k < logins; k++) {
        const t = day + 8 * HOUR + rng.uniform(0, 10 * HOUR);
        if (rng.rand() < 0.08) failed(t - 15000, users[u], homes[u], "normal");
        accepted(t, users[u], homes[u], "normal", u % 2 === 0 ? "publickey" : "password");
      }
    }
    // The service account: ~60 logins an hour, every hour, and the odd failure.
    for (let h = 0; h < 24; h++) {
      const n = 45 + rng.poisson(15);
      for (let k = 0; k < n; k++) accepted(day + h * HOUR + rng.uniform(0, HOUR), "svc-backup", "10.0.9.9", "noisy_service", "publickey");
      if (rng.rand() < 0.1) failed(day + h * HOUR + rng.uniform(0, HOUR), "svc-backup", "10.0.9.9", "noisy_service");
    }
  }
  const incidents: ScenarioIncident[] = [];
  const record = (label: ScenarioLabel, srcIp: string, user?: string) => {
    const mine = items.filter((it) => it.label === label);
    incidents.push({ label, srcIp, addresses: new Set(mine.map((m) => m.ip)).size, user, start: Math.min(...mine.map((m) => m.t)), end: Math.max(...mine.map((m) => m.t)), lines: mine.length });
  };
  // Pick incident days after the first two days, so every entity has some history first.
  const pickDay = () => start + (2 + rng.randint(0, days - 2)) * DAY;
  // Quiet burst: the quiet user's address, 30–50 successful logins within one afternoon hour.
  {
    const t = pickDay() + (13 + rng.randint(0, 4)) * HOUR;
    const n = 30 + rng.randint(0, 21);
    for (let k = 0; k < n; k++) accepted(t + rng.uniform(0, 50 * 60000), users[quiet], homes[quiet], "quiet_burst");
    record("quiet_burst", homes[quiet], users[quiet]);
  }
  // Slow spray: a new address, one user name every 3–6 minutes for ~5 hours.
  {
    const ip = `203.0.113.${100 + rng.randint(0, 100)}`;
    let t = pickDay() + (1 + rng.randint(0, 16)) * HOUR;
    const stop = t + 5 * HOUR;
    let i = rng.randint(0, SPRAY_NAMES.length + users.length);
    for (; t < stop; t += 3 * 60000 + rng.uniform(0, 3 * 60000)) {
      const all = [...users, ...SPRAY_NAMES];
      const name = all[i++ % all.length];
      failed(t, name, ip, "slow_spray", !users.includes(name));
    }
    record("slow_spray", ip);
  }
  // Unusual hour: the regular user logs in at ~03:00 from the usual address.
  {
    const t = pickDay() + 3 * HOUR + rng.uniform(0, 40 * 60000);
    accepted(t, users[regular], homes[regular], "unusual_hour", regular % 2 === 0 ? "publickey" : "password");
    record("unusual_hour", homes[regular], users[regular]);
  }
  // Brute force: a new address, ~10 minutes of failures every ~2 s, mostly root.
  {
    const ip = `198.51.100.${10 + rng.randint(0, 200)}`;
    let t = pickDay() + rng.uniform(0, 23 * HOUR);
    const stop = t + (8 + 4 * rng.rand()) * 60000;
    for (; t < stop; t += 1000 + rng.uniform(0, 2000)) failed(t, rng.rand() < 0.8 ? "root" : "admin", ip, "brute_force");
    record("brute_force", ip);
  }
  // The streams below were added later: each has its own generator (and pid counter), so the lines above
  // are the same as before they existed.
  const taken = new Set<string>();
  const botnetAddress = (r: RandomState) => {
    // 198.18.0.0/15, reserved for benchmarking (RFC 2544): looks public, routes nowhere.
    for (;;) {
      const ip = `198.${18 + r.randint(0, 2)}.${r.randint(0, 256)}.${1 + r.randint(0, 254)}`;
      if (!taken.has(ip)) {
        taken.add(ip);
        return ip;
      }
    }
  };
  const streamLine = (r: RandomState, state: { pid: number }) => (t: number, user: string, ip: string, label: ScenarioLabel) => {
    const invalid = !users.includes(user) && user !== "root";
    const msg = `Failed password for ${invalid ? "invalid user " : ""}${user} from ${ip} port ${r.randint(32768, 61000)} ssh2`;
    if (t >= start && t < end) items.push({ t: Math.round(t), seq: seq++, text: `${host} sshd[${(state.pid += 1 + r.randint(0, 9))}]: ${msg}`, label, ip });
  };
  // Distributed brute force: 40–60 addresses, one ordinary user (not the quiet or the regular one), each
  // address one or two guesses a few seconds apart, all within 30–60 minutes.
  {
    const r = new RandomState(subSeed(seed, 1));
    const fail = streamLine(r, { pid: 20000 + r.randint(0, 1000) });
    const target = users[r.randint(0, users.length - 2)];
    const t0 = start + (2 + r.randint(0, days - 2)) * DAY + r.uniform(0, 23 * HOUR);
    const span = (30 + 30 * r.rand()) * 60000;
    const n = 40 + r.randint(0, 21);
    for (let k = 0; k < n; k++) {
      const ip = botnetAddress(r);
      const t = t0 + r.uniform(0, span);
      const tries = r.rand() < 0.4 ? 2 : 1;
      for (let j = 0; j < tries; j++) fail(t + j * r.uniform(3000, 8000), target, ip, "distributed_brute_force");
    }
    record("distributed_brute_force", items.find((it) => it.label === "distributed_brute_force")!.ip, target);
  }
  // Stolen credentials: an ordinary user (not the quiet, regular or distributed target), a new address,
  // 2–3 successful password logins within 40 minutes, 01:00–04:59 on a Saturday or Sunday.
  {
    const r = new RandomState(subSeed(seed, 3));
    const state = { pid: 30000 + r.randint(0, 1000) };
    const others = users.slice(0, users.length - 2).filter((u) => u !== incidents[incidents.length - 1].user);
    const victim = others[r.randint(0, others.length)];
    const ip = botnetAddress(r);
    const weekend = Array.from({ length: days - 2 }, (_, k) => k + 2).filter((d) => !workday(d));
    const d = weekend.length > 0 ? weekend[r.randint(0, weekend.length)] : days - 1;
    const t0 = start + d * DAY + (1 + r.randint(0, 4)) * HOUR + r.uniform(0, 15 * 60000);
    const n = 2 + r.randint(0, 2);
    for (let k = 0; k < n; k++) {
      const t = t0 + k * r.uniform(5, 20) * 60000;
      const msg = `Accepted password for ${victim} from ${ip} port ${r.randint(32768, 61000)} ssh2`;
      if (t >= start && t < end) items.push({ t: Math.round(t), seq: seq++, text: `${host} sshd[${(state.pid += 1 + r.randint(0, 9))}]: ${msg}`, label: "stolen_credentials", ip });
    }
    record("stolen_credentials", ip, victim);
  }
  // Background scanners: a Poisson number a day, each a new address trying 1–3 passwords at any hour.
  {
    const r = new RandomState(subSeed(seed, 2));
    const fail = streamLine(r, { pid: 40000 + r.randint(0, 1000) });
    for (let d = 0; d < days; d++) {
      const n = scannersPerDay > 0 ? r.poisson(scannersPerDay) : 0;
      for (let k = 0; k < n; k++) {
        const ip = botnetAddress(r);
        let t = start + d * DAY + r.uniform(0, DAY);
        const tries = 1 + (r.rand() < 0.35 ? 1 : 0) + (r.rand() < 0.1 ? 1 : 0);
        for (let j = 0; j < tries; j++, t += r.uniform(2000, 10000)) {
          fail(t, r.rand() < 0.4 ? "root" : SCAN_NAMES[r.randint(0, SCAN_NAMES.length)], ip, "background_scan");
        }
      }
    }
  }
  items.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return {
    lines: items.map((it) => `${syslogStamp(it.t)} ${it.text}`),
    labels: items.map((it) => it.label),
    times: items.map((it) => it.t),
    srcIps: items.map((it) => it.ip),
    incidents,
    seed,
    start,
    end,
    days,
  };
}

/** A seed for the k-th independent stream of a scenario seed (a 32-bit mix; same inputs, same seed). */
function subSeed(seed: number, k: number): number {
  let h = Math.imul(seed ^ 0x5bd1e995, 0x9e3779b1) >>> 0;
  h = Math.imul(h ^ (h >>> 15) ^ k, 0x85ebca6b) >>> 0;
  return (h ^ (h >>> 13)) >>> 0;
}

/**
 * The label of every (source address, window) that has a line: the attack label when one of its lines is
 * an attack line (the first such line), else "noisy_service" or "background_scan" when it has one, else "normal". Keys are
 * `${srcIp}|${windowStart}` (epoch ms).
 *
 * @example
 * const sim = simulateEntityScenario({ seed: 3, days: 7 });
 * const labels = scenarioWindowLabels(sim, 3600000); // hourly windows
 * labels.size; // 586
 * labels.get(`10.0.9.9|${sim.start}`); // "noisy_service"
 */
export function scenarioWindowLabels(sim: EntityScenario, windowMs: number): Map<string, ScenarioLabel> {
  if (!(windowMs > 0)) throw new OptionError(`Expected \`windowMs\` to be a positive number of milliseconds, got ${windowMs}`);
  const out = new Map<string, ScenarioLabel>();
  const rank = (l: ScenarioLabel) => (SCENARIO_ATTACKS.includes(l) ? 2 : l === "normal" ? 0 : 1);
  for (let i = 0; i < sim.lines.length; i++) {
    const key = `${sim.srcIps[i]}|${Math.floor(sim.times[i] / windowMs) * windowMs}`;
    const prev = out.get(key);
    if (prev === undefined || rank(sim.labels[i]) > rank(prev)) out.set(key, sim.labels[i]);
  }
  return out;
}
