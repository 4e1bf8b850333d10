/**
 * Event-time tumbling windows that close as time passes, with an allowed lateness: the stream form of
 * `windowCounts` (sparse). A window [t, t + w) of an entity closes when the watermark — the latest event time
 * seen minus the lateness — reaches t + w. An event whose window has already closed is late: it is counted as
 * late and reported, never added to a closed window and never dropped silently. State is kept only per open
 * (entity, window) cell, so an entity with nothing open costs nothing; a cap on open cells closes the oldest
 * windows early (and says so) rather than growing without bound.
 */
import type { LogEvent } from "../events";
import { OptionError } from "../errors";

/** One (entity, window) cell that closed, with its count and some of its events as evidence. */
export interface ClosedWindow {
  readonly entity: string;
  /** Window start and end, epoch ms ([start, end)). */
  readonly windowStart: number;
  readonly windowEnd: number;
  /** Events counted in the window. */
  readonly count: number;
  /**
   * The first `maxEvidence` events of the window, in arrival order. Their strings may be slices of the chunk
   * they were read in: copy them with `ownCopy` before keeping them for long (findings do).
   */
  readonly events: readonly LogEvent[];
  /** Why it closed: the watermark passed it, the watch stopped, or the open-cell cap forced it. */
  readonly closedBy: "watermark" | "end" | "cap";
}

/** An open cell as saved in a state file (no events: the evidence restarts empty). */
export interface OpenWindowState {
  readonly entity: string;
  readonly windowStart: number;
  readonly count: number;
}

/** An event that arrived after its window had closed. */
export interface LateEvent {
  readonly entity: string;
  readonly time: number;
  readonly lineNo: number;
  /** Start of the window it belonged to (epoch ms). */
  readonly windowStart: number;
  /** Everything before this instant was closed when it arrived (epoch ms). */
  readonly closedUpTo: number;
}

/** Options of {@link EventTimeWindows}. */
export interface EventTimeWindowsOptions {
  /** Window length in ms (windows aligned to UTC epoch multiples, as in `windowCounts`). Required. */
  readonly windowMs: number;
  /** Allowed lateness in ms: how far behind the latest event time an event may arrive and still count. Default: 30,000. */
  readonly latenessMs?: number;
  /** At most this many open (entity, window) cells; beyond, the oldest window closes early. Default: 1,000,000. */
  readonly maxOpen?: number;
  /** Events kept per open cell as evidence. Default: 20. */
  readonly maxEvidence?: number;
}

/**
 * A string that owns its characters. A parser's fields are slices of the line, and a line may be a slice of the
 * big decoded chunk it was read in: keeping one such slice keeps the whole chunk alive. Evidence kept for hours
 * must not, so it is copied (" " + s makes a new string; slicing it off flattens a copy of s alone).
 */
function own(s: string): string {
  return s.length < 13 ? s : (" " + s).slice(1);
}

/**
 * The event with strings of its own (see `own`), for evidence kept after its chunk is gone (a finding's events).
 *
 * @example
 * ownCopy({ lineNo: 3, time: 0, eventType: "failed_password", message: "Failed password for root" }).message // "Failed password for root"
 */
export function ownCopy(e: LogEvent): LogEvent {
  const c: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (typeof v === "string") c[k] = own(v);
    else if (k === "fields" && v !== null && typeof v === "object") {
      const f: Record<string, unknown> = {};
      for (const [fk, fv] of Object.entries(v as Record<string, unknown>)) f[fk] = typeof fv === "string" ? own(fv) : fv;
      c[k] = f;
    } else c[k] = v;
  }
  return c as unknown as LogEvent;
}

interface Cell {
  count: number;
  events: LogEvent[];
}

/**
 * Tumbling event-time windows per entity with a watermark (see the module comment).
 *
 * @example
 * const w = new EventTimeWindows({ windowMs: 60_000, latenessMs: 10_000 });
 * const e = (t: number) => ({ lineNo: 1, time: t, eventType: "failed_password", message: "" });
 * w.add("203.0.113.7", e(1_000)); w.add("203.0.113.7", e(5_000));
 * w.add("203.0.113.7", e(75_000)).map((c) => [c.windowStart, c.count]) // [[0, 2]] (watermark 65 s passed 60 s)
 * w.add("203.0.113.7", e(30_000)); w.late // 1 (its window had closed)
 */
export class EventTimeWindows {
  readonly windowMs: number;
  readonly latenessMs: number;
  readonly maxOpen: number;
  readonly maxEvidence: number;
  /** Window index → entity → cell. */
  private readonly open = new Map<number, Map<string, Cell>>();
  /** Open window indexes, ascending. */
  private readonly order: number[] = [];
  private cells = 0;
  /** Latest event time seen (epoch ms). */
  maxTime = -Infinity;
  /** Every window ending at or before this instant is closed (epoch ms). */
  closedUpTo = -Infinity;
  /** Events counted in windows (open or closed). */
  counted = 0;
  /** Events that arrived after their window closed. */
  late = 0;
  /** The first late events (at most 20), for reports. */
  readonly lateSamples: LateEvent[] = [];
  /** Times the open-cell cap closed a window early. */
  capCloses = 0;

  constructor(options: EventTimeWindowsOptions) {
    if (!(options.windowMs > 0 && Number.isFinite(options.windowMs))) throw new OptionError(`Expected \`windowMs\` to be a positive number of milliseconds, got ${options.windowMs}`);
    const lateness = options.latenessMs ?? 30_000;
    if (!(lateness >= 0 && Number.isFinite(lateness))) throw new OptionError(`Expected \`latenessMs\` to be a number of milliseconds ≥ 0, got ${lateness}`);
    const maxOpen = options.maxOpen ?? 1_000_000;
    if (!(Number.isInteger(maxOpen) && maxOpen >= 1)) throw new OptionError(`Expected \`maxOpen\` to be a positive integer, got ${maxOpen}`);
    this.windowMs = options.windowMs;
    this.latenessMs = lateness;
    this.maxOpen = maxOpen;
    this.maxEvidence = options.maxEvidence ?? 20;
  }

  /** Open (entity, window) cells. */
  get openCells(): number {
    return this.cells;
  }

  /** Distinct entities with an open window. */
  get openEntities(): number {
    const s = new Set<string>();
    for (const m of this.open.values()) for (const k of m.keys()) s.add(k);
    return s.size;
  }

  /** The watermark: latest event time minus the lateness (−Infinity before any event). */
  /** End (epoch ms) of the latest open window, or −Infinity when none is open. */
  get lastOpenEnd(): number {
    return this.order.length === 0 ? -Infinity : (this.order[this.order.length - 1] + 1) * this.windowMs;
  }

  get watermark(): number {
    return this.maxTime - this.latenessMs;
  }

  /**
   * Count one event of `entity` at `event.time` (finite epoch ms). Returns the windows that closed because
   * this event moved the watermark (or the cap), windows ascending, entities sorted. `holdBefore` caps the
   * watermark (lines still held by the parser may carry earlier times).
   */
  add(entity: string, event: LogEvent, holdBefore = Infinity): ClosedWindow[] {
    const t = event.time;
    const w = Math.floor(t / this.windowMs);
    const closed: ClosedWindow[] = [];
    if ((w + 1) * this.windowMs <= this.closedUpTo) {
      this.late++;
      if (this.lateSamples.length < 20) this.lateSamples.push({ entity, time: t, lineNo: event.lineNo, windowStart: w * this.windowMs, closedUpTo: this.closedUpTo });
    } else {
      let m = this.open.get(w);
      if (m === undefined) {
        m = new Map();
        this.open.set(w, m);
        this.insertOrder(w);
      }
      let cell = m.get(entity);
      if (cell === undefined) {
        cell = { count: 0, events: [] };
        m.set(own(entity), cell);
        this.cells++;
      }
      cell.count++;
      if (cell.events.length < this.maxEvidence) cell.events.push(event);
      this.counted++;
      while (this.cells > this.maxOpen && this.order.length > 1) {
        this.capCloses++;
        this.closeThrough(this.order[0], "cap", closed);
      }
    }
    if (t > this.maxTime) this.maxTime = t;
    this.advance(Math.min(this.watermark, holdBefore), closed);
    return closed;
  }

  /** Close every window that ends at or before `watermark` (epoch ms). Appends them to `out` and returns it. */
  advance(watermark: number, out: ClosedWindow[] = []): ClosedWindow[] {
    if (!(watermark > this.closedUpTo)) return out;
    // Window index w closes when (w + 1) · windowMs ≤ watermark.
    const last = Math.floor(watermark / this.windowMs) - 1;
    while (this.order.length > 0 && this.order[0] <= last) this.closeIndex(this.order[0], "watermark", out);
    this.closedUpTo = Math.max(this.closedUpTo, (last + 1) * this.windowMs);
    return out;
  }

  /** Close every open window (the end of a `--once` run or a stop without a state file). */
  closeAll(): ClosedWindow[] {
    const out: ClosedWindow[] = [];
    if (this.order.length === 0) return out;
    const lastIndex = this.order[this.order.length - 1];
    while (this.order.length > 0) this.closeIndex(this.order[0], "end", out);
    this.closedUpTo = Math.max(this.closedUpTo, (lastIndex + 1) * this.windowMs);
    return out;
  }

  /** The open cells, for a state file. */
  snapshot(): OpenWindowState[] {
    const out: OpenWindowState[] = [];
    for (const w of this.order) for (const [entity, c] of this.open.get(w) as Map<string, Cell>) out.push({ entity, windowStart: w * this.windowMs, count: c.count });
    return out;
  }

  /** Restore open cells and the clock from a state file (on an empty instance). */
  restore(cells: readonly OpenWindowState[], clock: { readonly maxTime: number; readonly closedUpTo: number }): void {
    this.maxTime = clock.maxTime;
    this.closedUpTo = clock.closedUpTo;
    for (const c of cells) {
      const w = Math.floor(c.windowStart / this.windowMs);
      let m = this.open.get(w);
      if (m === undefined) {
        m = new Map();
        this.open.set(w, m);
        this.insertOrder(w);
      }
      if (!m.has(c.entity)) this.cells++;
      m.set(c.entity, { count: c.count, events: [] });
    }
  }

  private insertOrder(w: number): void {
    const o = this.order;
    let i = o.length;
    while (i > 0 && o[i - 1] > w) i--;
    o.splice(i, 0, w);
  }

  private closeThrough(w: number, why: ClosedWindow["closedBy"], out: ClosedWindow[]): void {
    this.closeIndex(w, why, out);
    this.closedUpTo = Math.max(this.closedUpTo, (w + 1) * this.windowMs);
  }

  private closeIndex(w: number, why: ClosedWindow["closedBy"], out: ClosedWindow[]): void {
    const m = this.open.get(w);
    this.open.delete(w);
    const i = this.order.indexOf(w);
    if (i >= 0) this.order.splice(i, 1);
    if (m === undefined) return;
    const start = w * this.windowMs;
    const entities = [...m.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const entity of entities) {
      const c = m.get(entity) as Cell;
      out.push({ entity, windowStart: start, windowEnd: start + this.windowMs, count: c.count, events: c.events, closedBy: why });
    }
    this.cells -= m.size;
  }
}
