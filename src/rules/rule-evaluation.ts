import { createDetector } from "../detectors/registry";
import type { Contamination } from "../detectors/types";
import { OptionError } from "../errors";
import type { LogEvent } from "../events";
import { precisionRecallF1 } from "../eval/metrics";
import type { WindowFeature } from "../features/window-plan";
import { windowCounts } from "../features/window-counts";
import { parseLogLines } from "../ingest/parse-log";
import { ATTACK_LABELS, labelSimulatedWindows, type SimLabel, simulateAttacks, type SimulatedLog } from "../simulate/attacks";
import { runSigmaRules, type SigmaRuleSet } from "./sigma-rule-set";

/** Options of {@link compareRulesWithDetectors}. */
export interface CompareRulesOptions {
  /** The Sigma rules to evaluate (e.g. `loadSigmaRules("data/rules")`). Required. */
  readonly rules: SigmaRuleSet;
  /** Detector registry names fitted per log on windowed counts. Default: ["iforest", "lof", "robust-zscore"]. */
  readonly detectors?: readonly string[];
  /** Seed of the simulated day (`simulateAttacks`). Default: 42. */
  readonly seed?: number;
  /** Seed of the detectors. Default: 0. */
  readonly detectorSeed?: number;
  /** Contamination of the detectors. Default: 0.02. */
  readonly contamination?: Contamination;
  /** Length of the labelled (source IP, window) cells, in minutes. Default: 1. */
  readonly windowMinutes?: number;
}

/** Precision, recall and timing of one rule or detector on the simulator's labelled day. */
export interface RuleComparisonRow {
  readonly name: string;
  readonly kind: "rule" | "detector";
  /**
   * Over labelled (log, source IP, window) cells: flagged attack cells / flagged cells; null when nothing was
   * flagged (0/0: a rule that never fired has no precision, not a precision of 0). Show it as "—"
   * ({@link formatPrecision}).
   */
  readonly precision: number | null;
  /** Flagged attack cells / attack cells. */
  readonly recall: number;
  /** Cells flagged (the denominator of `precision`). */
  readonly flaggedCells: number;
  readonly f1: number;
  /** Per attack kind: the share of its cells flagged. */
  readonly recallByKind: Readonly<Record<string, number>>;
  /** Alerts raised (rules: alerts; detectors: flagged cells, one alert each). */
  readonly alerts: number;
  readonly alertsPerDay: number;
  /** Per attack kind: seconds from the attack's first line to the first alert on its source IP, null when missed. */
  readonly timeToFirstAlert: Readonly<Record<string, number | null>>;
}

/** One alert on the timeline: who raised it, when, on what, and whether it was on an attack. */
export interface RuleFiring {
  readonly name: string;
  readonly kind: "rule" | "detector";
  /** Epoch ms at which the alert could be raised (rule `firedAt`; detectors: end of the flagged window). */
  readonly time: number;
  readonly entity: string;
  /** The attack label of the source IP's cell, or "normal"/"background". */
  readonly label: string;
  /** True when `label` is an attack label. */
  readonly attack: boolean;
}

/** What {@link compareRulesWithDetectors} returns. */
export interface RuleComparison {
  readonly rows: RuleComparisonRow[];
  readonly firings: RuleFiring[];
  readonly attacks: readonly { readonly kind: string; readonly srcIp: string; readonly start: number; readonly end: number }[];
  /** Labelled cells and how many hold attack lines. */
  readonly cells: number;
  readonly attackCells: number;
  readonly days: number;
  readonly seed: number;
}

const AUTH_FEATURES: WindowFeature[] = ["failures", "distinctUsers", "count", "successes"];
const WEB_FEATURES: WindowFeature[] = ["count", "failures", "bytesSum"];

/**
 * Sigma rules against ML detectors on the same labelled data: the simulator's day (`simulateAttacks`:
 * brute force, password spraying, request flood, exfiltration among benign traffic), both logs parsed,
 * the rules run with `runSigmaRules`, each detector fitted per log on counts per source IP per window.
 * Every (log, source IP, window) cell with lines is labelled attack/benign (`labelSimulatedWindows`); a
 * rule flags the cells its alerts' events fall in, a detector the cells it predicts -1 for. Precision,
 * recall and F1 come from `precisionRecallF1`; time to first alert is measured per attack from its first
 * line (detectors can only alert when their window closes). Rules that never alert are still listed, with
 * precision null (nothing flagged: 0/0).
 *
 * @example
 * const cmp = compareRulesWithDetectors({ rules: loadSigmaRules("data/rules") }); // seed 42, 1-minute cells
 * cmp.rows.map((r) => r.name).slice(-3) // ["iforest", "lof", "robust-zscore"] (after the 9 rules)
 * const bf = cmp.rows.find((r) => r.name === "sigma:ssh_brute_force")!;
 * [bf.precision, bf.recall, bf.timeToFirstAlert.brute_force] // [1, 0.088, 34.4] (seconds after the attack's first line)
 * cmp.rows.find((r) => r.name === "sigma:web_scanner_user_agent")!.precision // null (it never fired)
 */
export function compareRulesWithDetectors(options: CompareRulesOptions): RuleComparison {
  const seed = options.seed ?? 42;
  const minutes = options.windowMinutes ?? 1;
  if (!(minutes > 0) || !Number.isFinite(minutes)) throw new OptionError(`Expected \`windowMinutes\` to be a positive number, got ${String(minutes)}`);
  const w = minutes * 60_000;
  const sim = simulateAttacks({ seed });
  const year = new Date(sim.start).getUTCFullYear();
  const logs: Array<{ log: "auth" | "access"; sim: SimulatedLog; events: LogEvent[]; features: WindowFeature[] }> = [
    { log: "auth", sim: sim.auth, events: parseLogLines(sim.auth.lines, { format: "rfc3164", year }).events, features: AUTH_FEATURES },
    { log: "access", sim: sim.access, events: parseLogLines(sim.access.lines, { format: "combined" }).events, features: WEB_FEATURES },
  ];
  const attack = new Set<string>(ATTACK_LABELS);
  const cellIndex = new Map<string, number>();
  const labels: string[] = [];
  for (const l of logs) {
    for (const c of labelSimulatedWindows(l.sim, { window: w })) {
      cellIndex.set(`${l.log} ${c.srcIp} ${c.windowStart}`, labels.length);
      labels.push(c.label);
    }
  }
  const y = Uint8Array.from(labels, (k) => (attack.has(k) ? 1 : 0));
  const days = (sim.end - sim.start) / 86_400_000;
  const logOf = new Map<LogEvent, "auth" | "access">();
  for (const l of logs) for (const e of l.events) logOf.set(e, l.log);
  const cellOf = (log: string, ip: string | undefined, t: number) => (ip === undefined ? undefined : cellIndex.get(`${log} ${ip} ${Math.floor(t / w) * w}`));

  const rows: RuleComparisonRow[] = [];
  const firings: RuleFiring[] = [];
  const ttfa = (hits: Array<{ ip: string; time: number }>) => {
    const out: Record<string, number | null> = {};
    for (const a of sim.attacks) {
      let best = Infinity;
      for (const h of hits) if (h.ip === a.srcIp && h.time >= a.start - w && h.time <= a.end + 3_600_000) best = Math.min(best, h.time);
      const prev = out[a.kind];
      const v = best === Infinity ? null : Math.max(0, (best - a.start) / 1000);
      out[a.kind] = prev === undefined || prev === null ? v : v === null ? prev : Math.min(prev, v);
    }
    return out;
  };
  const addRow = (name: string, kind: "rule" | "detector", flags: Uint8Array, alerts: number, hits: Array<{ ip: string; time: number }>) => {
    const m = precisionRecallF1(y, flags);
    let flagged = 0;
    for (const f of flags) flagged += f;
    const recallByKind: Record<string, number> = {};
    for (const k of ATTACK_LABELS) {
      let n = 0;
      let hit = 0;
      for (let i = 0; i < labels.length; i++) {
        if (labels[i] !== k) continue;
        n++;
        hit += flags[i];
      }
      if (n > 0) recallByKind[k] = hit / n;
    }
    // Nothing flagged: precision is 0/0, undefined (scikit-learn's zero_division=0 would print it as 0).
    rows.push({ name, kind, precision: flagged === 0 ? null : m.precision, recall: m.recall, f1: m.f1, flaggedCells: flagged, recallByKind, alerts, alertsPerDay: alerts / days, timeToFirstAlert: ttfa(hits) });
  };

  // Rules: one run over both logs.
  const all = logs.flatMap((l) => l.events);
  const run = runSigmaRules(all, options.rules);
  const referenced = new Set(options.rules.correlations.filter((c) => !c.generate).flatMap((c) => c.rules));
  const alerting = [
    ...options.rules.detections.filter((d) => ![d.id, d.name].some((k) => k !== undefined && referenced.has(k))),
    ...options.rules.correlations.filter((c) => ![c.id, c.name].some((k) => k !== undefined && referenced.has(k))),
  ].map((r) => `sigma:${r.name ?? r.id ?? r.title}`);
  for (const name of alerting) {
    const alerts = run.alerts.filter((a) => a.detector === name);
    const flags = new Uint8Array(labels.length);
    const hits: Array<{ ip: string; time: number }> = [];
    for (const a of alerts) {
      for (const e of a.events) {
        const c = cellOf(logOf.get(e) ?? "auth", e.srcIp, e.time);
        if (c !== undefined) flags[c] = 1;
      }
      const ips = new Set(a.events.map((e) => e.srcIp).filter((x): x is string => x !== undefined));
      for (const ip of ips) hits.push({ ip, time: a.firedAt });
      const c = cellOf(logOf.get(a.events[0]) ?? "auth", a.events[0]?.srcIp, a.events[0]?.time ?? NaN);
      const label = c === undefined ? "normal" : labels[c];
      firings.push({ name, kind: "rule", time: a.firedAt, entity: a.entity, label, attack: attack.has(label) });
    }
    addRow(name, "rule", flags, alerts.length, hits);
  }

  // Detectors: fitted per log on counts per source IP per window.
  for (const detName of options.detectors ?? ["iforest", "lof", "robust-zscore"]) {
    const flags = new Uint8Array(labels.length);
    const hits: Array<{ ip: string; time: number }> = [];
    let alerts = 0;
    for (const l of logs) {
      const f = windowCounts(l.events, { by: "srcIp", window: w, features: l.features, zeroFill: false });
      if (f.matrix.rows < 2) continue;
      const det = createDetector(detName, { seed: options.detectorSeed ?? 0, contamination: options.contamination ?? 0.02 }).fit(f.matrix);
      const pred = det.predict(f.matrix);
      for (let i = 0; i < pred.length; i++) {
        if (pred[i] !== -1) continue;
        const k = f.keys[i];
        const c = cellIndex.get(`${l.log} ${k.entity} ${k.windowStart}`);
        if (c !== undefined) flags[c] = 1;
        alerts++;
        hits.push({ ip: k.entity, time: k.windowStart + w });
        const label = c === undefined ? "normal" : labels[c];
        firings.push({ name: detName, kind: "detector", time: k.windowStart + w, entity: k.entity, label, attack: attack.has(label) });
      }
    }
    addRow(detName, "detector", flags, alerts, hits);
  }
  firings.sort((a, b) => a.time - b.time);
  return {
    rows,
    firings,
    attacks: sim.attacks.map((a) => ({ kind: a.kind as SimLabel, srcIp: a.srcIp, start: a.start, end: a.end })),
    cells: labels.length,
    attackCells: y.reduce((s, v) => s + v, 0),
    days,
    seed,
  };
}

/**
 * A precision as text: the number with `digits` decimals (default 3), or "—" when it is undefined (null:
 * nothing was flagged, 0/0), so a rule that never fired does not read as a precision of 0.
 *
 * @example
 * formatPrecision(0.8571) // "0.857"
 * formatPrecision(null) // "—"
 */
export function formatPrecision(precision: number | null, digits = 3): string {
  return precision === null || !Number.isFinite(precision) ? "—" : String(Number(precision.toFixed(digits)));
}
