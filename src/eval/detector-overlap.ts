/**
 * Which detector catches what the others miss: per labelled case, the windows each detector flags and the
 * windows it flags alone; without labels, the rows each flags alone. Detectors, rules and baselines are
 * compared on the same rows through their `predict`-style flags (-1 flagged, anything else not).
 *
 * @example
 * const rows = caseRecall(["normal", "burst", "burst", "spray"], {
 *   forest: [1, -1, 1, -1], rule: [1, -1, -1, 1],
 * });
 * rows.map((r) => [r.label, r.windows, r.caught.forest, r.caught.rule, r.caughtAlone.rule]);
 * // [["burst", 2, 1, 2, 1], ["spray", 1, 1, 0, 0]]
 */
import { DataError, OptionError } from "../errors";

/** Flags of each detector on the same rows, keyed by detector name: -1 flagged (as `predict`), else not. */
export type DetectorFlags = Readonly<Record<string, ArrayLike<number>>>;

/** Options of {@link caseRecall}. */
export interface CaseRecallOptions {
  /** The labels to report, in this order. Default: every label but 'normal', in order of first appearance. */
  readonly cases?: readonly string[];
}

/** One case: its windows, and how many each detector flags, and flags alone. */
export interface CaseRecall {
  readonly label: string;
  /** Rows with this label. */
  readonly windows: number;
  /** Rows of the case each detector flags. */
  readonly caught: Readonly<Record<string, number>>;
  /** Rows of the case each detector flags and no other detector of `flags` does. */
  readonly caughtAlone: Readonly<Record<string, number>>;
}

function check(flags: DetectorFlags, n?: number): { names: string[]; n: number } {
  const names = Object.keys(flags);
  if (names.length === 0) throw new OptionError("Expected flags of at least one detector, e.g. { iforest: predictions }");
  const len = n ?? flags[names[0]].length;
  for (const name of names) {
    if (flags[name].length !== len) throw new DataError(`Expected ${len} flags for every detector, got ${flags[name].length} for ${JSON.stringify(name)}`);
  }
  return { names, n: len };
}

/**
 * Per labelled case, the rows each detector flags and the rows it alone flags (counts, so results of
 * several runs can be added up). `labels[i]` is the case of row i; `flags[name][i]` is -1 when detector
 * `name` flags row i. Errors: DataError when a detector's flags and the labels differ in length;
 * OptionError without detectors.
 *
 * @example
 * caseRecall(["a", "b", "b"], { x: [-1, -1, 1], y: [1, -1, -1] }, { cases: ["b"] });
 * // [{ label: "b", windows: 2, caught: { x: 1, y: 2 }, caughtAlone: { x: 0, y: 1 } }]
 */
export function caseRecall(labels: readonly string[], flags: DetectorFlags, options: CaseRecallOptions = {}): CaseRecall[] {
  const { names } = check(flags, labels.length);
  const cases = options.cases ?? [...new Set(labels)].filter((l) => l !== "normal");
  const index = new Map(cases.map((c, k) => [c, k]));
  const windows = cases.map(() => 0);
  const caught = cases.map(() => names.map(() => 0));
  const alone = cases.map(() => names.map(() => 0));
  for (let i = 0; i < labels.length; i++) {
    const k = index.get(labels[i]);
    if (k === undefined) continue;
    windows[k]++;
    let by = -1;
    let count = 0;
    for (let d = 0; d < names.length; d++) {
      if (flags[names[d]][i] === -1) {
        caught[k][d]++;
        by = d;
        count++;
      }
    }
    if (count === 1) alone[k][by]++;
  }
  const record = (v: number[]) => Object.fromEntries(names.map((n, d) => [n, v[d]]));
  return cases.map((label, k) => ({ label, windows: windows[k], caught: record(caught[k]), caughtAlone: record(alone[k]) }));
}

/**
 * {@link caseRecall} as a table for `showTable`: one row per case with its windows, each detector's recall
 * (share of the case's rows it flags) and `caughtOnlyBy`, the detectors that flag some of the case's rows
 * that no other detector flags ('—' for none).
 *
 * @example
 * caseRecallTable(caseRecall(["a", "b", "b"], { x: [-1, -1, 1], y: [1, -1, -1] }));
 * // [{ case: "a", windows: 1, x: 1, y: 0, caughtOnlyBy: "x" }, { case: "b", windows: 2, x: 0.5, y: 1, caughtOnlyBy: "y" }]
 */
export function caseRecallTable(rows: readonly CaseRecall[]): Record<string, string | number>[] {
  return rows.map((r) => {
    const names = Object.keys(r.caught);
    const out: Record<string, string | number> = { case: r.label, windows: r.windows };
    for (const n of names) out[n] = r.windows > 0 ? r.caught[n] / r.windows : 0;
    const only = names.filter((n) => r.caughtAlone[n] > 0);
    out.caughtOnlyBy = only.length > 0 ? only.join(", ") : "—";
    return out;
  });
}

/**
 * Without labels: the rows each detector flags and no other does (indices, increasing). Errors as
 * {@link caseRecall}.
 *
 * @example
 * flaggedOnlyBy({ forest: [-1, -1, 1], baseline: [1, -1, -1], rule: [1, 1, 1] });
 * // { forest: [0], baseline: [2], rule: [] }
 */
export function flaggedOnlyBy(flags: DetectorFlags): Record<string, number[]> {
  const { names, n } = check(flags);
  const out: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let i = 0; i < n; i++) {
    const by = names.filter((name) => flags[name][i] === -1);
    if (by.length === 1) out[by[0]].push(i);
  }
  return out;
}
