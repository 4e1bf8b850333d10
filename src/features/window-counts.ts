import type * as dfd from "danfojs-node";
import { DataError, OptionError, warnOnce } from "../errors";
import { companionCounted, type LogEvent } from "../events";
import { parseDuration } from "./duration";
import { type EntityKey, entityGetter } from "./entity-key";
import { compileEventFilter, countsTypeOf, type EventFilter } from "./event-filter";
import { type Plan, plan, type WindowFeature } from "./window-plan";
import { windowFrame } from "./window-frame";
import { densestSpan, type ZeroFillCap } from "./zero-fill-cap";
import type { DenseMatrix } from "../matrix";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link WindowCountsOptions} (unknown names fail with a suggestion). */
const WINDOW_COUNTS_OPTIONS_KEYS: OptionKeys<WindowCountsOptions> = { by: true, window: true, filter: true, features: true, zeroFill: true, start: true, end: true, maxRows: true };

export interface WindowCountsOptions {
  /** Entity of each row: 'srcIp' (alias 'ip'), 'user', 'host', 'process', or a function. Default: 'srcIp'. */
  readonly by?: EntityKey;
  /** Window length: '1m', '5m', '1h', '90s', … or milliseconds. Windows are aligned to UTC epoch multiples. Default: '1m'. */
  readonly window?: string | number;
  /**
   * Events taken into account (e.g. 'failed_password'); the others are ignored entirely. Default: all events.
   * One attempt is counted once: with an event type or a list, a companion record (a PAM line beside sshd's
   * `Failed password`, see `LogEvent.companionOf`) is skipped when its attempt's type is counted too
   * (`skippedCompanions` says how many); a predicate decides alone (use `companionCounted` in it). Without a
   * filter every record is counted (the `failures` column counts attempts once).
   */
  readonly filter?: EventFilter;
  /** Columns. Default: ['count']. */
  readonly features?: readonly WindowFeature[];
  /**
   * Emit every window of every entity between start and end, zeros included (quiet minutes exist). With
   * false only windows with at least one event are rows. Default: true.
   */
  readonly zeroFill?: boolean;
  /** First window (its start is floored to the window grid). Default: the earliest counted event. */
  readonly start?: number | Date | string;
  /** Last instant covered. Default: the latest counted event. */
  readonly end?: number | Date | string;
  /**
   * Bound on zero-filled rows. When entities × windows would exceed it (one event years away from the rest),
   * only the span of at most `maxRows / entities` windows holding the most (entity, window) cells is
   * zero-filled; cells outside it are rows of their own, and `zeroFillCap` says what was left out.
   * Default: 20,000,000.
   */
  readonly maxRows?: number;
}

/** A {@link WindowAccumulator}'s counts as plain data: entity names, one entry per (entity, window) cell. */
export interface WindowAccumulatorState {
  readonly names: readonly string[];
  /** Per cell: index into `names`, and window index (floor(time / windowMs)). */
  readonly cellEntity: Int32Array;
  readonly cellWindow: Float64Array;
  /** Per numeric slot of the feature plan, the value of each cell. */
  readonly numeric: readonly Float64Array[];
  /** Per distinct-count slot, the values seen in each cell. */
  readonly distinct: ReadonlyArray<ReadonlyArray<readonly string[] | undefined>>;
  readonly minTime: number;
  readonly maxTime: number;
  readonly counted: number;
  readonly skippedNoEntity: number;
  readonly skippedNoTime: number;
  /** Companion records skipped because their attempt's record is counted (absent in states of older versions: 0). */
  readonly skippedCompanions?: number;
  /** Counted events that carried an outcome (kept when the plan has failure or success columns); absent: unknown. */
  readonly withOutcome?: number;
}

/** One row key: the entity and its window start (epoch ms). */
export interface WindowRowKey {
  readonly entity: string;
  readonly windowStart: number;
}

/** Features per entity per window: a numeric matrix for detectors plus its row keys. */
export interface WindowFeatures {
  /** Row keys, entity by entity (sorted), windows ascending. */
  readonly keys: WindowRowKey[];
  /** Entity of each row (same order as keys). */
  readonly entities: string[];
  /** Window start of each row, epoch ms. */
  readonly windowStarts: Float64Array;
  /** rows × columns, row-major. */
  readonly matrix: DenseMatrix;
  readonly columns: string[];
  /** Window length in ms. */
  readonly windowMs: number;
  /** Grid start and end (epoch ms; NaN when no event was counted). */
  readonly start: number;
  readonly end: number;
  /** Events considered (passed the filter, had an entity and a time). */
  readonly counted: number;
  /** Events passing the filter but skipped: no entity value, or no valid time. */
  readonly skippedNoEntity: number;
  readonly skippedNoTime: number;
  /**
   * Companion records passing the filter but not counted: their attempt's own record (its type in
   * `companionType`, e.g. 'failed_password') is counted, so counting them too would count the attempt twice.
   */
  readonly skippedCompanions: number;
  /** Set when `maxRows` narrowed the zero-filled span (see {@link ZeroFillCap}); undefined otherwise. */
  readonly zeroFillCap?: ZeroFillCap;
  /** The matrix as number[][] (copies). */
  toRows(): number[][];
  /** entity, window_start (ISO text) and one column per feature, for display. */
  toDataFrame(): dfd.DataFrame;
}

function toTime(v: number | Date | string | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const t = v instanceof Date ? v.getTime() : typeof v === "number" ? v : Date.parse(v);
  if (!Number.isFinite(t)) throw new OptionError(`Expected \`${name}\` to be a date or epoch milliseconds, got ${String(v)}`);
  return t;
}

/** {@link ipv4Key}'s answer for a string that is not a canonical IPv4 address (outside the int32 range). */
const NOT_IPV4 = 2 ** 32;

/**
 * The 32-bit value (as a signed int32) of a canonical dotted-quad IPv4 address ("10.0.0.1": four decimal
 * octets 0–255 without leading zeros), else {@link NOT_IPV4}. Canonical addresses and their values
 * correspond one to one, so the value can stand for the text as a Map key: hashing a small integer is
 * several times cheaper than hashing a freshly sliced string, and source IPs are the commonest entity.
 */
function ipv4Key(s: string): number {
  const n = s.length;
  if (n < 7 || n > 15) return NOT_IPV4;
  let key = 0;
  let p = 0;
  for (let octet = 0; octet < 4; octet++) {
    if (octet > 0) {
      if (s.charCodeAt(p) !== 46 /* . */) return NOT_IPV4;
      p++;
    }
    const start = p;
    let v = 0;
    for (; p < n && p - start < 3; p++) {
      const c = s.charCodeAt(p);
      if (c < 48 || c > 57) break;
      v = v * 10 + (c - 48);
    }
    const len = p - start;
    if (len === 0 || v > 255 || (len > 1 && s.charCodeAt(start) === 48)) return NOT_IPV4;
    key = (key << 8) | v;
  }
  return p === n ? key : NOT_IPV4;
}

/**
 * Cells aggregated elsewhere (a column store's GROUP BY), for {@link WindowAccumulator.addCells}: one entry per
 * non-empty (entity, window) cell, plus the totals of the events behind them.
 */
export interface AggregatedCells {
  /** Entity of each cell (non-empty). */
  readonly entities: readonly string[];
  /** Window index of each cell: floor(time / windowMs), time in epoch ms. */
  readonly windows: ArrayLike<number>;
  /**
   * Per named accumulator slot, its value in each cell: sums for 'count', 'failures', 'successes', 'bytes';
   * distinct-value counts for 'user', 'srcIp', 'host' (see the features' plan). Every slot the features
   * need must be present.
   */
  readonly slots: Readonly<Record<string, ArrayLike<number>>>;
  /** Events behind the cells (passed the filter, had an entity and a time), and those skipped. */
  readonly counted: number;
  readonly skippedNoEntity: number;
  readonly skippedNoTime: number;
  /** Companion records not counted because their attempt's record is (see {@link WindowFeatures.skippedCompanions}). Default: 0. */
  readonly skippedCompanions?: number;
  /** Earliest and latest time of the counted events (epoch ms; ignored when counted is 0). */
  readonly minTime: number;
  readonly maxTime: number;
}

/** A distinct-value count computed elsewhere (see {@link WindowAccumulator.addCells}): a cell's size without its values. */
class PreCounted {
  constructor(readonly size: number) {}
  add(): never {
    throw new DataError("Cannot add events to a cell whose distinct values were counted elsewhere (WindowAccumulator.addCells)");
  }
}

/** Grow a typed array to `n` elements (at least double), keeping its contents; new slots get `fill`. */
function grown<T extends Float64Array | Int32Array>(a: T, n: number, fill: number): T {
  const b = new (a.constructor as new (n: number) => T)(Math.max(n, a.length * 2));
  b.set(a);
  if (fill !== 0) b.fill(fill, a.length);
  return b;
}

/**
 * int32 key → id (≥ 0), open addressing with linear probing in two Int32Arrays: for IPv4 keys, several times
 * cheaper than a `Map<number, number>` (no hashing through the runtime, no boxed numbers).
 */
class Int32IdTable {
  private keys = new Int32Array(1024);
  /** id + 1 of each slot; 0 marks an empty slot. */
  private vals = new Int32Array(1024);
  private mask = 1023;
  /** 32 − log2(capacity): Fibonacci hashing takes the product's top bits, as many as the table has slots. */
  private shift = 22;
  private size = 0;

  /** The id of `key`, or -1. */
  get(key: number): number {
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const v = this.vals[i];
      if (v === 0) return -1;
      if (this.keys[i] === key) return v - 1;
      i = (i + 1) & this.mask;
    }
  }

  set(key: number, id: number): void {
    if ((this.size + 1) * 2 > this.mask) this.grow();
    this.put(key, id);
    this.size++;
  }

  private put(key: number, id: number): void {
    let i = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.vals[i] !== 0) i = (i + 1) & this.mask;
    this.keys[i] = key;
    this.vals[i] = id + 1;
  }

  private grow(): void {
    const keys = this.keys;
    const vals = this.vals;
    this.keys = new Int32Array(keys.length * 2);
    this.vals = new Int32Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    this.shift--;
    for (let i = 0; i < keys.length; i++) if (vals[i] !== 0) this.put(keys[i], vals[i] - 1);
  }
}

/**
 * Incremental form of {@link windowCounts}: feed events one at a time (e.g. from `parseLogStream`) and
 * build the features at the end. Memory grows with the number of non-empty (entity, window) cells, not
 * with the number of events; zero-filling happens only in {@link WindowAccumulator.finish}.
 *
 * How cells are found (the hot path of a big file): each entity is interned to a small integer once per
 * event (a single `Map<string, number>` lookup). Cells live in typed arrays, chained per entity from the
 * newest to the oldest. Logs are (nearly) time-ordered, so an event either hits the entity's current
 * window (one comparison) or opens a window later than any the entity has (appended, no lookup at all).
 * Only an event older than the entity's latest window needs a search: the entity then gets a
 * `Map<window, cell>` index, built from its chain on first need, and its cells are sorted in `finish()`.
 *
 * @example
 * const acc = new WindowAccumulator({ by: "srcIp", window: "1m", filter: "failed_password" });
 * await parseLogStream("data/sim/auth.log", { onEvent: (e) => acc.add(e) }, { year: 2025 });
 * const features = acc.finish();
 */
export class WindowAccumulator {
  readonly windowMs: number;
  private readonly options: WindowCountsOptions;
  private readonly entity: (e: LogEvent) => string | undefined;
  private readonly filter: ((e: LogEvent) => boolean) | undefined;
  /** The filter when it is a single event type (checked inline, no closure call). */
  private readonly filterType: string | undefined;
  private readonly plan: Plan;
  /** Entity name → entity id (index into `names` and the per-entity arrays below), for names that are not IPv4. */
  private readonly ids = new Map<string, number>();
  /** The same for names that are canonical dotted-quad IPv4 addresses, keyed by {@link ipv4Key}. */
  private readonly ipIds = new Int32IdTable();
  private readonly names: string[] = [];
  /** Per entity: latest window seen (-Infinity before the first), window and cell of the last event, newest cell. */
  private entMax = new Float64Array(256).fill(-Infinity);
  private entLastWindow = new Float64Array(256).fill(NaN);
  private entLastCell = new Int32Array(256);
  private entHead = new Int32Array(256).fill(-1);
  /** Per entity: window → cell, only for entities that received an event older than their latest window. */
  private readonly entIndex: Array<Map<number, number> | undefined> = [];
  /** Per cell: its window index (floor(t / windowMs)) and the entity's previous cell (-1 at the oldest). */
  private cellWindow = new Float64Array(1024);
  private cellPrev = new Int32Array(1024);
  /** Per cell: its entity id. */
  private cellEntity = new Int32Array(1024);
  /** Per feature column, the value of each cell (grown in place, element by element: replacing the array
   * itself changed the accumulator's shape and threw away the optimised `add` early in every big run). */
  private readonly numeric: Float64Array[];
  private distinct: Array<Array<Set<string> | PreCounted | undefined>>;
  private cellCount = 0;
  private minTime = Infinity;
  private maxTime = -Infinity;
  private counted = 0;
  private skippedNoEntity = 0;
  private skippedNoTime = 0;
  private skippedCompanions = 0;
  /** Whether the filter counts an event type (for the companion rule); undefined for a predicate filter. */
  private readonly countsType: ((eventType: string) => boolean) | undefined;
  private lastName: string | undefined;
  private lastId = -1;
  /** Simple 'count' with no other column: one slot, no per-event closures. */
  private readonly countOnly: boolean;
  /** The plan counts failures or successes: count the events that carry an outcome, to warn when none does. */
  private readonly needsOutcome: boolean;
  /** Counted events with an outcome; -1 once cells counted elsewhere were added (unknown). */
  private withOutcome = 0;

  constructor(options: WindowCountsOptions = {}) {
    checkOptions(options, WINDOW_COUNTS_OPTIONS_KEYS, "WindowAccumulator");
    this.options = options;
    this.windowMs = parseDuration(options.window ?? "1m");
    this.entity = entityGetter(options.by);
    this.filter = compileEventFilter(options.filter);
    // A single event type (also as a one-element list, as the CLI's --event gives it) is checked inline.
    const f = options.filter;
    this.filterType = typeof f === "string" ? f : Array.isArray(f) && f.length === 1 && typeof f[0] === "string" && f[0] !== "" ? (f[0] as string) : undefined;
    this.countsType = countsTypeOf(f);
    this.plan = plan(options.features ?? ["count"]);
    this.countOnly = this.plan.columns.length === 1 && this.plan.columns[0] === "count";
    this.needsOutcome = this.plan.numericKeys.includes("failures") || this.plan.numericKeys.includes("successes");
    this.numeric = this.plan.numeric.map(() => new Float64Array(this.cellWindow.length));
    this.distinct = this.plan.distinct.map(() => []);
    toTime(options.start, "start");
    toTime(options.end, "end");
  }

  /** Count one event (ignored when it fails the filter; skipped and counted when it has no entity or time). */
  add(e: LogEvent): void {
    if (this.filterType !== undefined) {
      if (e.eventType !== this.filterType) return;
    } else if (this.filter !== undefined && !this.filter(e)) return;
    // A companion whose attempt's own record is counted too: the attempt is counted once, through that record.
    if (e.companionOf !== undefined && this.countsType !== undefined && !companionCounted(e, this.countsType)) {
      this.skippedCompanions++;
      return;
    }
    const name = this.entity(e);
    if (name === undefined || name === "") {
      this.skippedNoEntity++;
      return;
    }
    const t = e.time;
    if (!Number.isFinite(t)) {
      this.skippedNoTime++;
      return;
    }
    let id: number;
    if (name === this.lastName) id = this.lastId;
    else {
      const ip = ipv4Key(name);
      if (ip !== NOT_IPV4) {
        const have = this.ipIds.get(ip);
        id = have < 0 ? this.newEntity(name, ip) : have;
      } else {
        const have = this.ids.get(name);
        id = have === undefined ? this.newEntity(name, NOT_IPV4) : have;
      }
      this.lastName = name;
      this.lastId = id;
    }
    if (t < this.minTime) this.minTime = t;
    if (t > this.maxTime) this.maxTime = t;
    this.counted++;
    if (this.needsOutcome && e.outcome !== undefined && this.withOutcome >= 0) this.withOutcome++;
    const w = Math.floor(t / this.windowMs);
    let cell: number;
    if (w === this.entLastWindow[id]) cell = this.entLastCell[id];
    else {
      cell = this.cellAt(id, w);
      this.entLastWindow[id] = w;
      this.entLastCell[id] = cell;
    }
    if (this.countOnly) {
      this.numeric[0][cell] += 1;
      return;
    }
    const num = this.plan.numeric;
    for (let k = 0; k < num.length; k++) this.numeric[k][cell] += num[k](e);
    const dis = this.plan.distinct;
    for (let k = 0; k < dis.length; k++) {
      const v = dis[k](e);
      if (v === undefined) continue;
      let set = this.distinct[k][cell];
      if (set === undefined) this.distinct[k][cell] = set = new Set();
      set.add(v);
    }
  }

  /**
   * Add cells aggregated elsewhere: a column store grouped the events by (entity, window) and computed each
   * slot (see {@link AggregatedCells}); `finish()` then zero-fills, orders and caps them exactly as it does
   * events given one by one (one code path for every engine). Each (entity, window) cell may be given once;
   * the window length must be this accumulator's. Throws a DataError for a repeated cell, an empty entity,
   * a missing slot, a window index that is not an integer or a value that is not a number (an engine's NULL).
   *
   * @example
   * const acc = new WindowAccumulator({ window: "1m", zeroFill: false });
   * acc.addCells({ entities: ["10.0.0.1"], windows: [2], slots: { count: [3] }, counted: 3, skippedNoEntity: 0, skippedNoTime: 0, minTime: 120000, maxTime: 179000 });
   * acc.finish().toRows(); // [[3]]
   */
  addCells(cells: AggregatedCells): void {
    const p = this.plan;
    const slot = (key: string): ArrayLike<number> => {
      const a = cells.slots[key];
      if (a === undefined || a.length !== cells.entities.length) throw new DataError(`Expected aggregated slot '${key}' with one value per cell (${cells.entities.length})`);
      return a;
    };
    const numeric = p.numericKeys.map(slot);
    const distinct = p.distinctKeys.map(slot);
    const n = cells.entities.length;
    if (cells.windows.length !== n) throw new DataError(`Expected one window per cell, got ${cells.windows.length} for ${n} cells`);
    for (let i = 0; i < n; i++) {
      const name = cells.entities[i];
      if (typeof name !== "string" || name === "") throw new DataError(`Aggregated cell ${i} has no entity`);
      let id = this.ids.get(name);
      if (id === undefined) {
        const ip = ipv4Key(name);
        id = ip !== NOT_IPV4 ? this.ipIds.get(ip) : -1;
        if (id < 0) id = this.newEntity(name, ip);
      }
      const w = cells.windows[i];
      if (!Number.isSafeInteger(w)) throw new DataError(`Aggregated cell ${i} (${JSON.stringify(name)}) has window index ${w}; expected an integer`);
      const before = this.cellCount;
      const cell = this.cellAt(id, w);
      if (cell < before) throw new DataError(`Aggregated cell (${JSON.stringify(name)}, window ${w}) given twice`);
      for (let k = 0; k < numeric.length; k++) {
        const v = numeric[k][i];
        if (Number.isNaN(v)) throw new DataError(`Aggregated slot '${p.numericKeys[k]}' of cell ${i} (${JSON.stringify(name)}) is not a number (a NULL from the engine?)`);
        this.numeric[k][cell] = v;
      }
      for (let k = 0; k < distinct.length; k++) {
        const v = distinct[k][i];
        if (!Number.isInteger(v) || v < 0) throw new DataError(`Aggregated slot '${p.distinctKeys[k]}' of cell ${i} (${JSON.stringify(name)}) is ${v}; expected a count`);
        this.distinct[k][cell] = new PreCounted(v);
      }
    }
    this.lastName = undefined;
    this.lastId = -1;
    this.entLastWindow.fill(NaN);
    this.counted += cells.counted;
    this.withOutcome = -1; // counted elsewhere (a store): whether its events had outcomes is not known here
    this.skippedNoEntity += cells.skippedNoEntity;
    this.skippedNoTime += cells.skippedNoTime;
    this.skippedCompanions += cells.skippedCompanions ?? 0;
    if (cells.counted > 0) {
      if (cells.minTime < this.minTime) this.minTime = cells.minTime;
      if (cells.maxTime > this.maxTime) this.maxTime = cells.maxTime;
    }
  }

  /**
   * The counts so far as plain data (typed arrays and strings, cheap to post between threads), for
   * {@link WindowAccumulator.mergeState}.
   *
   * @example
   * const a = new WindowAccumulator({ zeroFill: false });
   * a.add({ lineNo: 1, time: 0, eventType: "x", srcIp: "10.0.0.1", message: "", fields: {} });
   * a.exportState().counted // 1
   */
  exportState(): WindowAccumulatorState {
    const n = this.cellCount;
    return {
      names: this.names.slice(),
      cellEntity: this.cellEntity.slice(0, n),
      cellWindow: this.cellWindow.slice(0, n),
      numeric: this.numeric.map((a) => a.slice(0, n)),
      distinct: this.distinct.map((col) => Array.from({ length: n }, (_, c) => (col[c] === undefined ? undefined : [...(col[c] as Set<string>)]))),
      minTime: this.minTime,
      maxTime: this.maxTime,
      counted: this.counted,
      skippedNoEntity: this.skippedNoEntity,
      skippedNoTime: this.skippedNoTime,
      skippedCompanions: this.skippedCompanions,
      withOutcome: this.needsOutcome && this.withOutcome >= 0 ? this.withOutcome : undefined,
    };
  }

  /**
   * Add the counts of another accumulator with the same options (from {@link WindowAccumulator.exportState}):
   * the result is what one accumulator fed both inputs' events gives (sums, distinct sets united, the time
   * span widened), whatever the order.
   *
   * @example
   * const a = new WindowAccumulator({ zeroFill: false });
   * const b = new WindowAccumulator({ zeroFill: false });
   * a.add({ lineNo: 1, time: 0, eventType: "x", srcIp: "10.0.0.1", message: "", fields: {} });
   * b.add({ lineNo: 2, time: 1000, eventType: "x", srcIp: "10.0.0.1", message: "", fields: {} });
   * a.mergeState(b.exportState());
   * Array.from(a.finish().matrix.data) // [2]
   */
  mergeState(s: WindowAccumulatorState): void {
    const ids = new Int32Array(s.names.length);
    s.names.forEach((name, i) => {
      const ip = ipv4Key(name);
      const have = ip !== NOT_IPV4 ? this.ipIds.get(ip) : (this.ids.get(name) ?? -1);
      ids[i] = have < 0 ? this.newEntity(name, ip) : have;
    });
    this.lastName = undefined;
    const nCells = s.cellEntity.length;
    for (let c = 0; c < nCells; c++) {
      const id = ids[s.cellEntity[c]];
      const w = s.cellWindow[c];
      // The other range's first window of an entity is often this range's last (the minute the cut falls in):
      // that cell is at hand, and the entity needs no window index (which would cost a Map entry per later cell).
      const cell = w === this.entLastWindow[id] ? this.entLastCell[id] : this.cellAt(id, w);
      this.entLastWindow[id] = w;
      this.entLastCell[id] = cell;
      for (let k = 0; k < this.numeric.length; k++) this.numeric[k][cell] += s.numeric[k][c];
      for (let k = 0; k < this.distinct.length; k++) {
        const vs = s.distinct[k][c];
        if (vs === undefined) continue;
        let set = this.distinct[k][cell];
        if (set === undefined) this.distinct[k][cell] = set = new Set();
        for (const v of vs) set.add(v);
      }
    }
    if (s.minTime < this.minTime) this.minTime = s.minTime;
    if (s.maxTime > this.maxTime) this.maxTime = s.maxTime;
    this.counted += s.counted;
    if (s.withOutcome === undefined || this.withOutcome < 0) this.withOutcome = -1;
    else this.withOutcome += s.withOutcome;
    this.skippedNoEntity += s.skippedNoEntity;
    this.skippedNoTime += s.skippedNoTime;
    this.skippedCompanions += s.skippedCompanions ?? 0;
  }

  /** The cell of entity `id` in window `w`, created when new (windows beyond the entity's latest are appended). */
  private cellAt(id: number, w: number): number {
    if (w > this.entMax[id]) {
      const cell = this.newCell(id, w);
      this.entMax[id] = w;
      return cell;
    }
    return this.olderCell(id, w);
  }

  private newEntity(name: string, ip: number): number {
    const id = this.names.length;
    this.names.push(name);
    if (ip !== NOT_IPV4) this.ipIds.set(ip, id);
    else this.ids.set(name, id);
    if (id >= this.entMax.length) {
      this.entMax = grown(this.entMax, id + 1, -Infinity);
      this.entLastWindow = grown(this.entLastWindow, id + 1, NaN);
      this.entLastCell = grown(this.entLastCell, id + 1, 0);
      this.entHead = grown(this.entHead, id + 1, -1);
    }
    return id;
  }

  /** A new, empty cell for window `w` of entity `id`, chained in front of the entity's newest cell. */
  private newCell(id: number, w: number): number {
    const cell = this.cellCount++;
    if (cell >= this.cellWindow.length) {
      this.cellWindow = grown(this.cellWindow, cell + 1, 0);
      this.cellPrev = grown(this.cellPrev, cell + 1, 0);
      this.cellEntity = grown(this.cellEntity, cell + 1, 0);
      for (let k = 0; k < this.numeric.length; k++) this.numeric[k] = grown(this.numeric[k], cell + 1, 0);
    }
    this.cellWindow[cell] = w;
    this.cellPrev[cell] = this.entHead[id];
    this.cellEntity[cell] = id;
    this.entHead[id] = cell;
    const index = this.entIndex[id];
    if (index !== undefined) index.set(w, cell);
    return cell;
  }

  /** The cell of a window no later than the entity's latest one (an out-of-order event): found via the entity's index. */
  private olderCell(id: number, w: number): number {
    let index = this.entIndex[id];
    if (index === undefined) {
      index = new Map();
      for (let c = this.entHead[id]; c >= 0; c = this.cellPrev[c]) index.set(this.cellWindow[c], c);
      this.entIndex[id] = index;
    }
    const have = index.get(w);
    return have === undefined ? this.newCell(id, w) : have;
  }

  /** Cells of an entity, windows ascending. */
  private sortedCells(id: number): Int32Array {
    let n = 0;
    for (let c = this.entHead[id]; c >= 0; c = this.cellPrev[c]) n++;
    const out = new Int32Array(n);
    // The chain runs newest → oldest; an entity without an index got its windows in ascending order.
    let k = n;
    for (let c = this.entHead[id]; c >= 0; c = this.cellPrev[c]) out[--k] = c;
    if (this.entIndex[id] !== undefined) {
      const win = this.cellWindow;
      out.sort((a, b) => win[a] - win[b]);
    }
    return out;
  }

  /** Build the feature matrix (zero-filled unless `zeroFill: false`). The accumulator can keep counting afterwards. */
  finish(): WindowFeatures {
    // Failure / success columns read each event's outcome: if no counted event has one (a CSV or JSON export
    // whose result column the field map does not know), those columns are zeros that look like "no failures".
    if (this.needsOutcome && this.withOutcome === 0 && this.counted > 0) {
      warnOnce(
        `WindowAccumulator: none of the ${this.counted} counted events has an outcome, so the failures/successes/failureRate ` +
          `columns are all 0; map the column that says it with the parse option fieldMap (e.g. fieldMap: { outcome: ["login_result"] }; ` +
          `columns named outcome, result or status are read by default)`,
      );
    }
    const o = this.options;
    const wms = this.windowMs;
    const zeroFill = o.zeroFill ?? true;
    const maxRows = o.maxRows ?? 20_000_000;
    const startOpt = toTime(o.start, "start");
    const endOpt = toTime(o.end, "end");
    const start = startOpt ?? (this.counted > 0 ? this.minTime : NaN);
    const end = endOpt ?? (this.counted > 0 ? this.maxTime : NaN);
    if (end < start) throw new OptionError(`Expected \`end\` (${new Date(end).toISOString()}) to be after \`start\` (${new Date(start).toISOString()})`);
    const w0 = Math.floor(start / wms);
    const w1 = Math.floor(end / wms);
    const names = this.names;
    const nE = names.length;
    const order = names.map((_, i) => i).sort((a, b) => (names[a] < names[b] ? -1 : names[a] > names[b] ? 1 : 0));
    const rank = new Int32Array(nE);
    for (let r = 0; r < nE; r++) rank[order[r]] = r;
    const nWin = Number.isFinite(w0) ? w1 - w0 + 1 : 0;
    const win = this.cellWindow;
    const cellEntity = this.cellEntity;
    const nCells = this.cellCount;
    const cols = this.plan.columns.length;
    const outputs = this.plan.outputs;
    const numeric = this.numeric;
    const distinct = this.distinct;

    let nRows: number;
    let cap: ZeroFillCap | undefined;
    // The zero-filled window span (narrowed by maxRows when `cap` is set).
    let fillFrom = w0;
    let fillTo = w1;
    // Sparse rows: entity (by rank) r owns rows offsets[r] .. offsets[r + 1] - 1, one per cell inside [w0, w1].
    const offsets = new Int32Array(nE + 1);
    if (zeroFill) {
      nRows = nE * nWin;
      if (nRows > maxRows) {
        // Bounded zero-fill: fill only the densest span that fits; cells outside it become rows of their own.
        let n = 0;
        for (let c = 0; c < nCells; c++) if (win[c] >= w0 && win[c] <= w1) n++;
        const sorted = new Float64Array(n);
        n = 0;
        for (let c = 0; c < nCells; c++) if (win[c] >= w0 && win[c] <= w1) sorted[n++] = win[c];
        sorted.sort();
        const span = densestSpan(sorted, Math.floor(maxRows / nE));
        [fillFrom, fillTo] = span ?? [Infinity, -Infinity];
        const spanLen = span ? fillTo - fillFrom + 1 : 0;
        const countCol = this.plan.columns.indexOf("count");
        const countArr = countCol >= 0 && this.plan.outputs[countCol][0] === 0 ? numeric[this.plan.outputs[countCol][1]] : undefined;
        const outside: number[] = [];
        let eventsOutside = 0;
        for (let c = 0; c < nCells; c++) {
          const w = win[c];
          if (w < w0 || w > w1 || (w >= fillFrom && w <= fillTo)) continue;
          offsets[rank[cellEntity[c]] + 1]++;
          outside.push(c);
          if (countArr) eventsOutside += countArr[c];
        }
        for (let r = 0; r < nE; r++) offsets[r + 1] += offsets[r] + spanLen;
        outside.sort((a, b) => win[a] - win[b] || (names[cellEntity[a]] < names[cellEntity[b]] ? -1 : 1));
        cap = {
          maxRows,
          rowsWanted: nRows,
          filledStart: span ? fillFrom * wms : NaN,
          filledEnd: span ? fillTo * wms : NaN,
          cellsOutside: outside.length,
          eventsOutside: countArr ? eventsOutside : undefined,
          outside: outside.slice(0, 10).map((c) => ({ entity: names[cellEntity[c]], windowStart: win[c] * wms })),
        };
        nRows = offsets[nE];
      }
    } else {
      for (let c = 0; c < nCells; c++) if (win[c] >= w0 && win[c] <= w1) offsets[rank[cellEntity[c]] + 1]++;
      for (let r = 0; r < nE; r++) offsets[r + 1] += offsets[r];
      nRows = offsets[nE];
    }
    const data = new Float64Array(nRows * cols);
    const entities: string[] = new Array(nRows);
    const windowStarts = new Float64Array(nRows);
    const countOnly = this.countOnly;
    /** Write cell `cell`'s columns into row `row`. */
    const writeRow = (row: number, cell: number): void => {
      if (countOnly) {
        data[row] = numeric[0][cell];
        return;
      }
      const base = row * cols;
      for (let c = 0; c < cols; c++) {
        const [kind, a, b] = outputs[c];
        if (kind === 0) data[base + c] = numeric[a][cell];
        else if (kind === 1) data[base + c] = distinct[a][cell]?.size ?? 0;
        else {
          const f = numeric[a][cell];
          const s = numeric[b][cell];
          data[base + c] = f + s > 0 ? f / (f + s) : 0;
        }
      }
    };
    if (cap !== undefined) {
      // Capped zero-fill, entity by entity: cells before the span, the span (zeros included), cells after.
      for (let r = 0; r < nE; r++) {
        const id = order[r];
        const name = names[id];
        let row = offsets[r];
        const cells = this.sortedCells(id);
        let k = 0;
        const emit = (c: number): void => {
          entities[row] = name;
          windowStarts[row] = win[c] * wms;
          writeRow(row++, c);
        };
        const inGrid = (c: number): boolean => win[c] >= w0 && win[c] <= w1;
        for (; k < cells.length && win[cells[k]] < fillFrom; k++) if (inGrid(cells[k])) emit(cells[k]);
        for (let w = fillFrom; w <= fillTo; w++) {
          entities[row] = name;
          windowStarts[row] = w * wms;
          if (k < cells.length && win[cells[k]] === w) writeRow(row, cells[k++]);
          row++;
        }
        for (; k < cells.length; k++) if (win[cells[k]] > fillTo && inGrid(cells[k])) emit(cells[k]);
      }
    } else if (zeroFill) {
      // Cells are visited in creation order (sequential memory); each lands directly in its row.
      for (let r = 0; r < nE; r++) {
        const name = names[order[r]];
        for (let j = 0, row = r * nWin; j < nWin; j++, row++) {
          entities[row] = name;
          windowStarts[row] = (w0 + j) * wms;
        }
      }
      for (let c = 0; c < nCells; c++) {
        const w = win[c];
        if (w >= w0 && w <= w1) writeRow(rank[cellEntity[c]] * nWin + (w - w0), c);
      }
    } else {
      // An in-order entity created its cells in ascending windows: a cursor per entity gives each cell's row.
      // Entities with out-of-order events have their cells sorted by window separately.
      const cursor = offsets.slice(0, nE);
      for (let c = 0; c < nCells; c++) {
        const w = win[c];
        if (w < w0 || w > w1) continue;
        const id = cellEntity[c];
        if (this.entIndex[id] !== undefined) continue;
        const row = cursor[rank[id]]++;
        entities[row] = names[id];
        windowStarts[row] = w * wms;
        writeRow(row, c);
      }
      this.entIndex.forEach((index, id) => {
        if (index === undefined) return;
        let row = offsets[rank[id]];
        for (const c of this.sortedCells(id)) {
          const w = win[c];
          if (w < w0 || w > w1) continue;
          entities[row] = names[id];
          windowStarts[row] = w * wms;
          writeRow(row++, c);
        }
      });
    }
    const columns = this.plan.columns.slice();
    const matrix: DenseMatrix = { data, rows: nRows, cols };
    let keys: WindowRowKey[] | undefined;
    return {
      get keys() {
        if (!keys) keys = entities.map((entity, i) => ({ entity, windowStart: windowStarts[i] }));
        return keys;
      },
      entities,
      windowStarts,
      matrix,
      columns,
      windowMs: wms,
      start: Number.isFinite(w0) ? w0 * wms : NaN,
      end,
      counted: this.counted,
      skippedNoEntity: this.skippedNoEntity,
      skippedNoTime: this.skippedNoTime,
      skippedCompanions: this.skippedCompanions,
      zeroFillCap: cap,
      toRows: () => Array.from({ length: nRows }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols))),
      toDataFrame: () => windowFrame(entities, windowStarts, columns, data),
    };
  }
}

/**
 * Count events per entity (source IP, user, host, or any key) per time window, with several feature
 * columns in one pass: count, failures, successes, failureRate (failures / events with an outcome),
 * distinctUsers / distinctIps / distinctHosts, bytesSum (web logs' `fields.bytes`), or custom columns.
 * Zero-filled by default: every entity gets every window between the first and last counted event, so
 * quiet minutes are rows of zeros. Memory: the result has entities × windows rows × columns doubles
 * (1,000 IPs over a day of 1-minute windows with 3 columns ≈ 1.44 M rows ≈ 35 MB); `maxRows` guards it.
 * Aggregation is done with Maps and typed arrays (never Danfo's groupby); `toDataFrame()` is for display.
 *
 * @example
 * const f = windowCounts(events, { by: "srcIp", window: "1m", filter: "failed_password" });
 * f.matrix.rows; f.keys[0]; f.toDataFrame().head().print();
 */
export function windowCounts(events: Iterable<LogEvent>, options: WindowCountsOptions = {}): WindowFeatures {
  checkOptions(options, WINDOW_COUNTS_OPTIONS_KEYS, "windowCounts");
  const acc = new WindowAccumulator(options);
  for (const e of events) acc.add(e);
  return acc.finish();
}
