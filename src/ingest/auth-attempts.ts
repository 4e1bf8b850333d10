import type { LogEvent } from "../events";

/**
 * One line on its way out of a parser that settles lines late: its text, its result (an event, the events of
 * a folded line, or a reject reason) and whether {@link AttemptPairing} holds it.
 */
export interface PendingLine {
  readonly lineNo: number;
  readonly text: string;
  result: LogEvent | LogEvent[] | string;
  /** 0 free, 1 held by the pairing, 2 released by it. */
  hold: number;
}

/** Options of {@link AttemptPairing}. */
export interface AttemptPairingOptions {
  /** How long (log time, ms) a PAM / `Invalid user` line waits for sshd's record of the attempt. Default: 60,000. */
  readonly windowMs?: number;
  /** How long after an attempt its after-the-fact lines (`PAM 2 more authentication failures`) still belong to it. Default: 600,000. */
  readonly afterMs?: number;
  /** At most this many lines held at once; the oldest are released beyond it. Default: 10,000. */
  readonly maxHeld?: number;
}

/** What an sshd session's event says about attempts. */
const enum Role {
  None,
  /** Logged before sshd's own record of the same attempt (PAM failure, `Invalid user`, …): held, then paired. */
  Before,
  /** sshd's own record of one attempt (`Failed password`, …). */
  Attempt,
  /** Logged after the attempts it is about (`PAM 5 more authentication failures`, `Too many authentication failures`). */
  After,
  /** The connection is over: lines still held for it stand alone. */
  End,
}

const ROLES = new Map<string, Role>([
  ["auth_failure", Role.Before],
  ["pam_user_unknown", Role.Before],
  ["invalid_user", Role.Before],
  ["invalid_user_preauth", Role.Before],
  ["user_not_allowed", Role.Before],
  ["root_login_refused", Role.Before],
  ["failed_password", Role.Attempt],
  ["change_of_username", Role.Attempt],
  ["pam_more_failures", Role.After],
  ["too_many_auth_failures", Role.After],
  ["disconnect", Role.End],
  ["connection_closed", Role.End],
  ["connection_reset", Role.End],
]);

function roleOf(e: LogEvent): Role {
  const p = e.process;
  // "sshd…" tested by char codes: startsWith costs more than the rest of this function on every sshd line.
  if (p === undefined || e.pid === undefined || p.charCodeAt(0) !== 115 /* s */ || p.charCodeAt(1) !== 115 || p.charCodeAt(2) !== 104 || p.charCodeAt(3) !== 100) return Role.None;
  const r = ROLES.get(e.eventType);
  // A disconnect that is itself a failure ("3: … Auth fail") sums up the attempts before it, like "Too many".
  if (r !== undefined) return r === Role.End && e.outcome === "failure" ? Role.After : r;
  const t = e.eventType;
  return t.charCodeAt(0) === 102 /* f */ && t.indexOf("failed_") === 0 ? Role.Attempt : Role.None;
}

/** A held line: the pending line itself, with its event, deadline and the next held line of the same pid. */
interface HeldLine extends PendingLine {
  readonly event: LogEvent;
  readonly deadline: number;
  next: HeldLine | undefined;
  /** The line held after this one (the queue of held lines, oldest first). */
  later: HeldLine | undefined;
}

/** One session's last attempt as a parallel reader reports it (line numbers as the worker numbers them). */
export interface AttemptSlot {
  readonly slot: number;
  readonly pid: number;
  readonly host: string | undefined;
  readonly lineNo: number;
  readonly time: number;
}

/** A read of an attempt slot the worker did not write itself: what it saw, to be checked against the real slot. */
export interface InheritedAttemptRead {
  readonly slot: number;
  readonly pid: number;
  readonly host: string | undefined;
  readonly time: number;
  readonly lineNo: number;
  readonly seen: Omit<AttemptSlot, "slot"> | undefined;
}

/** Slots of the direct-mapped cache of each session's last attempt (by pid). */
const ATTEMPT_SLOTS = 1 << 16;

/**
 * Pairs the records that sshd and PAM write for ONE authentication attempt, so that counts see it once. Within
 * an sshd session (same host and pid), lines logged before sshd's own record of an attempt (the PAM
 * `authentication failure`, `check pass; user unknown`, `Invalid user U from IP`, `input_userauth_request:
 * invalid user`, `User U not allowed`, `ROOT LOGIN REFUSED`) are held until the session's next attempt
 * (`Failed password`, any `Failed <method>`, a change of user name) and then marked `companionOf` its line
 * (and `companionType` its event type);
 * lines logged after the attempts they sum up (`PAM N more authentication failures`, `Too many authentication
 * failures`, `maximum authentication attempts exceeded`) are marked companions of the session's last attempt.
 * A held line whose attempt never shows (the connection ends, `windowMs` passes, end of input) is released as
 * is: it is then the only record of its attempt and counts. fail2ban's sshd filter reads the PAM line the
 * same way (a match that bans nothing by itself).
 *
 * Released lines go to the `out` list in the order they are settled: the lines of one session keep their
 * order, lines of other sessions logged while one waited may come before it.
 *
 * @example
 * const pamText = "Dec 10 06:55:46 LabSZ sshd[24200]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root";
 * const failedText = "Dec 10 06:55:48 LabSZ sshd[24200]: Failed password for root from 1.2.3.4 port 22 ssh2";
 * const [pamEvent, failedEvent] = parseLogLines([pamText, failedText], { format: "rfc3164", year: 2024, pairAttempts: false }).events;
 * const pairing = new AttemptPairing();
 * const out: PendingLine[] = [];
 * pairing.offer(pamEvent, 1, pamText, pamEvent, out); // true: held
 * pairing.offer(failedEvent, 2, failedText, failedEvent, out); // false; out holds line 1, pamEvent.companionOf === 2, pamEvent.companionType === "failed_password"
 */
export class AttemptPairing {
  private readonly windowMs: number;
  private readonly afterMs: number;
  private readonly maxHeld: number;
  /**
   * Held lines by pid, direct-mapped (`pid & 0xffff`), the oldest first, chained through `next`; a chain may
   * mix pids and hosts that share a slot. (A Map here cost more than the parse: 200k set/delete per 1M lines.)
   */
  private readonly heads: (HeldLine | undefined)[] = new Array<HeldLine | undefined>(ATTEMPT_SLOTS).fill(undefined);
  /** Held lines in the order they were held (their deadlines ascend with log time): a linked queue. */
  private oldest: HeldLine | undefined;
  private newest: HeldLine | undefined;
  // Each session's last attempt, direct-mapped by pid (no allocation per line; a collision forgets one).
  private readonly attemptPid = new Int32Array(ATTEMPT_SLOTS).fill(-1);
  private readonly attemptLine = new Float64Array(ATTEMPT_SLOTS);
  private readonly attemptTime = new Float64Array(ATTEMPT_SLOTS);
  /** Event type of each slot's attempt (set on its companions as `companionType`; event types are few, shared strings). */
  private readonly attemptType: string[] = new Array<string>(ATTEMPT_SLOTS).fill("");
  /** Host of each slot as a small id (storing each line's host string would keep young strings alive). */
  private readonly attemptHost = new Int32Array(ATTEMPT_SLOTS);
  private readonly hostIds = new Map<string | undefined, number>();
  private lastHost: string | undefined = "\u0000";
  private lastHostId = -1;
  /** Lines held now. */
  heldCount = 0;
  /** Whether the last offer released lines of its own session (its line then comes after them). */
  sessionReleased = false;
  /** Lines marked as companions so far. */
  paired = 0;
  /** Host name of each host id (for {@link AttemptPairing.boundaryState}). */
  private readonly hostNames: (string | undefined)[] = [];
  /** Parallel reading: slots written since {@link AttemptPairing.openGate}, and the reads of older slots. */
  private written: Uint8Array | undefined;
  private readonly reads: InheritedAttemptRead[] = [];
  /** Set when the host-id table overflowed (the slots were forgotten): a parallel reader cannot vouch for it. */
  overflowed = false;

  constructor(options: AttemptPairingOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.afterMs = options.afterMs ?? 600_000;
    this.maxHeld = options.maxHeld ?? 10_000;
  }

  /**
   * Take one line's event (the first of a folded line's events) in line order. Returns true when the line is
   * held (it comes out later through `out`, as `pending` when given, else as a new {@link PendingLine}). Lines
   * released meanwhile (paired, or waited too long) are appended to `out`.
   */
  offer(e: LogEvent, lineNo: number, text: string, result: LogEvent | LogEvent[], out: PendingLine[], pending?: PendingLine): boolean {
    const t = e.time;
    if (this.heldCount > 0) {
      const head = this.oldest;
      if (head !== undefined && t > head.deadline) this.expire(t, out);
    }
    this.sessionReleased = false;
    const role = roleOf(e);
    if (role === Role.None) return false;
    const pid = e.pid as number;
    switch (role) {
      case Role.Before: {
        if (Array.isArray(result)) return false;
        const ev = e;
        const line: HeldLine = { lineNo, text, result: ev, hold: 1, event: ev, deadline: t + this.windowMs, next: undefined, later: undefined };
        if (pending !== undefined) {
          // The lookahead list holds `pending`; the pairing settles it through this record.
          (line as { shadow?: PendingLine }).shadow = pending;
          pending.hold = 1;
        }
        const slot = pid & (ATTEMPT_SLOTS - 1);
        const first = this.heads[slot];
        if (first === undefined) this.heads[slot] = line;
        else {
          let last = first;
          while (last.next !== undefined) last = last.next;
          last.next = line;
        }
        if (this.newest === undefined) this.oldest = line;
        else this.newest.later = line;
        this.newest = line;
        this.heldCount++;
        if (this.heldCount > this.maxHeld) this.releaseOldest(out);
        return true;
      }
      case Role.Attempt:
        return this.offerAttempt(e, lineNo, t, out);
      case Role.After: {
        const slot = pid & (ATTEMPT_SLOTS - 1);
        if (this.written !== undefined && this.written[slot] === 0) this.recordRead(slot, e, lineNo);
        if (this.attemptPid[slot] === pid && this.attemptHost[slot] === this.hostId(e.host) && !(t - this.attemptTime[slot] > this.afterMs)) {
          const of = this.attemptLine[slot];
          const type = this.attemptType[slot];
          const events = Array.isArray(result) ? result : [e];
          for (const x of events) {
            (x as { companionOf?: number }).companionOf = of;
            (x as { companionType?: string }).companionType = type;
          }
          this.paired += events.length;
          this.endSession(e, undefined, out);
          return false;
        }
        // No attempt of its own before it in this session: it is the record of one.
        return this.offerAttempt(e, lineNo, t, out);
      }
      case Role.End:
        this.endSession(e, undefined, out);
        return false;
    }
    return false;
  }

  private offerAttempt(e: LogEvent, lineNo: number, t: number, out: PendingLine[]): boolean {
    if (this.heldCount > 0) this.endSession(e, lineNo, out);
    const slot = (e.pid as number) & (ATTEMPT_SLOTS - 1);
    this.attemptPid[slot] = e.pid as number;
    this.attemptHost[slot] = this.hostId(e.host);
    if (this.written !== undefined) this.written[slot] = 1;
    this.attemptLine[slot] = lineNo;
    this.attemptTime[slot] = t;
    this.attemptType[slot] = e.eventType;
    return false;
  }

  /** Release the session's held lines, as companions of line `of` when given, else standing alone. */
  private endSession(e: LogEvent, of: number | undefined, out: PendingLine[]): void {
    if (this.heldCount === 0) return;
    const pid = e.pid as number;
    const slot = pid & (ATTEMPT_SLOTS - 1);
    let h = this.heads[slot];
    if (h === undefined) return;
    let keep: HeldLine | undefined;
    let keepLast: HeldLine | undefined;
    while (h !== undefined) {
      const next: HeldLine | undefined = h.next;
      h.next = undefined;
      if (h.hold === 1 && h.event.pid === pid && h.event.host === e.host) {
        if (of !== undefined) {
          (h.event as { companionOf?: number }).companionOf = of;
          (h.event as { companionType?: string }).companionType = e.eventType;
          this.paired++;
        }
        this.release(h, out);
        this.sessionReleased = true;
      } else if (h.hold === 1) {
        // Another session in the same slot (other pid, or other host): stays held.
        if (keepLast === undefined) keep = h;
        else keepLast.next = h;
        keepLast = h;
      }
      h = next;
    }
    this.heads[slot] = keep;
  }

  /** A small id for a host name (the previous one is remembered: consecutive lines mostly share it). */
  private hostId(host: string | undefined): number {
    if (host === this.lastHost) return this.lastHostId;
    let id = this.hostIds.get(host);
    if (id === undefined) {
      if (this.hostIds.size >= 65536) {
        // A log of that many hosts: start over (the slots of the old ids are forgotten).
        this.hostIds.clear();
        this.hostNames.length = 0;
        this.attemptPid.fill(-1);
        this.overflowed = true;
      }
      id = this.hostIds.size;
      this.hostIds.set(host, id);
      this.hostNames.push(host);
    }
    this.lastHost = host;
    this.lastHostId = id;
    return id;
  }

  private release(h: HeldLine, out: PendingLine[]): void {
    h.hold = 2;
    this.heldCount--;
    const shadow = (h as { shadow?: PendingLine }).shadow;
    if (shadow !== undefined) shadow.hold = 2;
    out.push(shadow ?? h);
  }

  private expire(t: number, out: PendingLine[]): void {
    for (let h = this.oldest; h !== undefined && t > h.deadline; h = this.oldest) this.dropHead(out);
  }

  private releaseOldest(out: PendingLine[]): void {
    while (this.heldCount > this.maxHeld && this.oldest !== undefined) this.dropHead(out);
  }

  /** Take the oldest held line off the queue; if still held, release it alone and unlink it from its pid. */
  private dropHead(out: PendingLine[]): void {
    const h = this.oldest as HeldLine;
    this.oldest = h.later;
    if (this.oldest === undefined) this.newest = undefined;
    h.later = undefined;
    if (h.hold !== 1) return;
    const slot = (h.event.pid as number) & (ATTEMPT_SLOTS - 1);
    const first = this.heads[slot];
    if (first === h) this.heads[slot] = h.next;
    else {
      for (let p = first; p !== undefined; p = p.next) {
        if (p.next === h) {
          p.next = h.next;
          break;
        }
      }
    }
    h.next = undefined;
    this.release(h, out);
  }

  /**
   * Parallel reading (see `featurizeLog`): from now on, record every read of a session's last attempt that
   * was written before this call (a read of state the worker inherited, to be checked against the real one)
   * and which slots are written.
   */
  openGate(): void {
    this.written = new Uint8Array(ATTEMPT_SLOTS);
  }

  private recordRead(slot: number, e: LogEvent, lineNo: number): void {
    const had = this.attemptPid[slot] >= 0;
    this.reads.push({
      slot, pid: e.pid as number, host: e.host, time: e.time, lineNo,
      seen: had ? { pid: this.attemptPid[slot], host: this.hostNames[this.attemptHost[slot]], lineNo: this.attemptLine[slot], time: this.attemptTime[slot] } : undefined,
    });
  }

  /**
   * What decides how later lines are paired: the queue of held lines (line number, deadline, hold state and,
   * for lines still held, their event), as JSON with line numbers relative to `lineBase`. Two pairings with
   * the same boundary state and the same attempt slots pair every later line alike.
   */
  boundaryState(lineBase: number, eventKey: (e: LogEvent) => unknown): unknown {
    const queue: unknown[] = [];
    for (let h = this.oldest; h !== undefined; h = h.later) queue.push([h.lineNo - lineBase, h.deadline, h.hold, h.hold === 1 ? eventKey(h.event) : 0]);
    return { held: this.heldCount, queue };
  }

  /** Since {@link AttemptPairing.openGate}: the reads of older attempt slots, and the slots written (final values). */
  gateReport(): { reads: InheritedAttemptRead[]; writes: AttemptSlot[]; afterMs: number; hosts: (string | undefined)[] } {
    const writes: AttemptSlot[] = [];
    const w = this.written;
    if (w !== undefined) {
      for (let slot = 0; slot < ATTEMPT_SLOTS; slot++) {
        if (w[slot] === 1) writes.push({ slot, pid: this.attemptPid[slot], host: this.hostNames[this.attemptHost[slot]], lineNo: this.attemptLine[slot], time: this.attemptTime[slot] });
      }
    }
    return { reads: this.reads, writes, afterMs: this.afterMs, hosts: this.hostNames.slice() };
  }

  /** Whether a line of `pid` on `host` at `time` reads `slot` as an attempt of its session (and which line). */
  static pairsWith(slot: AttemptSlot | undefined, pid: number, host: string | undefined, time: number, afterMs: number): number | undefined {
    return slot !== undefined && slot.pid === pid && slot.host === host && !(time - slot.time > afterMs) ? slot.lineNo : undefined;
  }

  /** Release every held line (end of input), oldest first. */
  flush(out: PendingLine[]): void {
    while (this.oldest !== undefined) this.dropHead(out);
    this.heads.fill(undefined);
  }
}
