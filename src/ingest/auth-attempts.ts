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
  if (p === undefined || e.pid === undefined || p.charCodeAt(0) !== 115 /* s */ || !p.startsWith("sshd")) return Role.None;
  const r = ROLES.get(e.eventType);
  // A disconnect that is itself a failure ("3: … Auth fail") sums up the attempts before it, like "Too many".
  if (r !== undefined) return r === Role.End && e.outcome === "failure" ? Role.After : r;
  return e.eventType.startsWith("failed_") ? Role.Attempt : Role.None;
}

interface Session {
  readonly host: string | undefined;
  readonly pid: number;
  /** Lines held for this session, oldest first, with their first event. */
  held: { line: PendingLine; event: LogEvent }[];
  lastAttemptLine: number;
  lastAttemptTime: number;
  lastSeen: number;
}

/**
 * Pairs the records that sshd and PAM write for ONE authentication attempt, so that counts see it once. Within
 * an sshd session (same host and pid), lines logged before sshd's own record of an attempt (the PAM
 * `authentication failure`, `check pass; user unknown`, `Invalid user U from IP`, `input_userauth_request:
 * invalid user`, `User U not allowed`, `ROOT LOGIN REFUSED`) are held until the session's next attempt
 * (`Failed password`, any `Failed <method>`, a change of user name) and then marked `companionOf` its line;
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
 * const pairing = new AttemptPairing();
 * const out: PendingLine[] = [];
 * pairing.offer(pamEvent, 1, pamText, pamEvent, out); // true: held
 * pairing.offer(failedEvent, 2, failedText, failedEvent, out); // false; out holds line 1, pamEvent.companionOf === 2
 */
export class AttemptPairing {
  private readonly windowMs: number;
  private readonly afterMs: number;
  private readonly maxHeld: number;
  /** Sessions by pid; a pid seen on two hosts keeps the others in `byHostPid`. */
  private readonly byPid = new Map<number, Session>();
  private readonly byHostPid = new Map<string, Session>();
  /** Held lines in the order they were held, with their deadline (log time). */
  private readonly fifo: { line: PendingLine; session: Session; deadline: number }[] = [];
  private fifoHead = 0;
  /** Lines held now. */
  heldCount = 0;
  /** Lines marked as companions so far. */
  paired = 0;
  private offers = 0;

  constructor(options: AttemptPairingOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.afterMs = options.afterMs ?? 600_000;
    this.maxHeld = options.maxHeld ?? 10_000;
  }

  private session(e: LogEvent, create: boolean): Session | undefined {
    const pid = e.pid as number;
    const s = this.byPid.get(pid);
    if (s !== undefined && s.host === e.host) return s;
    const key = `${e.host ?? ""}\u0000${pid}`;
    let t = this.byHostPid.get(key);
    if (t !== undefined || !create) return t;
    t = { host: e.host, pid, held: [], lastAttemptLine: -1, lastAttemptTime: NaN, lastSeen: e.time };
    if (s === undefined) this.byPid.set(pid, t);
    else this.byHostPid.set(key, t);
    return t;
  }

  /**
   * Take one line's event (the first of a folded line's events) in line order. Returns true when the line is
   * held (it comes out later through `out`, as `pending` when given, else as a new {@link PendingLine}). Lines
   * released meanwhile (paired, or waited too long) are appended to `out`.
   */
  offer(e: LogEvent, lineNo: number, text: string, result: LogEvent | LogEvent[], out: PendingLine[], pending?: PendingLine): boolean {
    const t = e.time;
    if (this.heldCount > 0 && this.fifoHead < this.fifo.length && t > this.fifo[this.fifoHead].deadline) this.expire(t, out);
    if ((++this.offers & 8191) === 0) this.sweep(t);
    const role = roleOf(e);
    if (role === Role.None) return false;
    const s = this.session(e, role !== Role.End);
    if (s === undefined) return false;
    s.lastSeen = t;
    switch (role) {
      case Role.Before: {
        if (Array.isArray(result)) return false;
        const line = pending ?? { lineNo, text, result, hold: 0 };
        line.hold = 1;
        s.held.push({ line, event: e });
        this.fifo.push({ line, session: s, deadline: t + this.windowMs });
        this.heldCount++;
        if (this.heldCount > this.maxHeld) this.releaseOldest(out);
        return true;
      }
      case Role.Attempt:
        return this.offerAttempt(s, lineNo, t, out);
      case Role.After:
        if (s.lastAttemptLine >= 0 && !(t - s.lastAttemptTime > this.afterMs)) {
          const events = Array.isArray(result) ? result : [e];
          for (const x of events) (x as { companionOf?: number }).companionOf = s.lastAttemptLine;
          this.paired += events.length;
          for (const h of s.held) if (h.line.hold === 1) this.release(h.line, out);
          s.held.length = 0;
          return false;
        }
        // No attempt of its own before it in this session: it is the record of one.
        return this.offerAttempt(s, lineNo, t, out);
      case Role.End:
        for (const h of s.held) if (h.line.hold === 1) this.release(h.line, out);
        s.held.length = 0;
        return false;
    }
    return false;
  }

  private offerAttempt(s: Session, lineNo: number, t: number, out: PendingLine[]): boolean {
    for (const h of s.held) {
      if (h.line.hold !== 1) continue;
      (h.event as { companionOf?: number }).companionOf = lineNo;
      this.paired++;
      this.release(h.line, out);
    }
    s.held.length = 0;
    s.lastAttemptLine = lineNo;
    s.lastAttemptTime = t;
    return false;
  }

  private release(line: PendingLine, out: PendingLine[]): void {
    line.hold = 2;
    this.heldCount--;
    out.push(line);
  }

  private expire(t: number, out: PendingLine[]): void {
    const f = this.fifo;
    while (this.fifoHead < f.length && t > f[this.fifoHead].deadline) this.dropHead(out);
    this.compact();
  }

  private releaseOldest(out: PendingLine[]): void {
    while (this.heldCount > this.maxHeld && this.fifoHead < this.fifo.length) this.dropHead(out);
    this.compact();
  }

  private dropHead(out: PendingLine[]): void {
    const h = this.fifo[this.fifoHead++];
    if (h.line.hold !== 1) return;
    this.release(h.line, out);
    h.session.held = h.session.held.filter((x) => x.line.hold === 1);
  }

  private compact(): void {
    if (this.fifoHead > 4096 && this.fifoHead * 2 > this.fifo.length) {
      this.fifo.splice(0, this.fifoHead);
      this.fifoHead = 0;
    }
  }

  /** Forget sessions idle for longer than `afterMs` with nothing held (pids are reused). */
  private sweep(t: number): void {
    for (const [k, s] of this.byPid) if (s.held.length === 0 && t - s.lastSeen > this.afterMs) this.byPid.delete(k);
    for (const [k, s] of this.byHostPid) if (s.held.length === 0 && t - s.lastSeen > this.afterMs) this.byHostPid.delete(k);
  }

  /** Release every held line (end of input), oldest first. */
  flush(out: PendingLine[]): void {
    while (this.fifoHead < this.fifo.length) this.dropHead(out);
    this.fifo.length = 0;
    this.fifoHead = 0;
    this.byPid.clear();
    this.byHostPid.clear();
  }
}
