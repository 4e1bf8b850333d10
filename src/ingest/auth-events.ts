import { isAsciiDigit } from "./timestamps";

/**
 * What an authentication message says, in normalised form. `srcIp` is the source address as logged: an IP,
 * or a host name when the server resolved it (`rhost=` in PAM messages).
 */
export interface AuthFacts {
  eventType: string;
  outcome?: "success" | "failure";
  user?: string;
  srcIp?: string;
  srcPort?: number;
  fields?: Record<string, string | number | boolean | null>;
}

/**
 * Every {@link AuthFacts} the classifier returns is made here, so all share one hidden class: the parser reads
 * six fields of each at one site, which stays monomorphic (with a literal per return it went megamorphic).
 */
function facts(
  eventType: string, outcome?: "success" | "failure", user?: string, srcIp?: string, srcPort?: number, fields?: AuthFacts["fields"],
): AuthFacts {
  return { eventType, outcome, user, srcIp, srcPort, fields };
}

/**
 * Why a source address as a log gives it cannot be one, or undefined: text of digits and dots only (how an IPv4
 * address is written, and what no host name is: its last label is never all digits, RFC 1123 / RFC 3696) that
 * is not four numbers 0–255 (`999.1.1.1`, `1.2.3.4.5`, `10.1.2.` cut short). Anything else (an IPv4 address, a
 * host name, IPv6) is not judged here.
 *
 * @example
 * [addressProblem("10.1.2.3"), addressProblem("gw.example.org"), addressProblem("999.1.1.1")]
 * // [undefined, undefined, 'source address "999.1.1.1" is not an IPv4 address (digits and dots, but not four numbers 0–255)']
 */
export function addressProblem(s: string): string | undefined {
  const n = s.length;
  let dots = 0;
  let digits = 0;
  let value = 0;
  let ok = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46 /* . */) {
      if (digits === 0 || value > 255) ok = false;
      dots++;
      digits = 0;
      value = 0;
    } else if (c >= 48 && c <= 57) {
      value = value * 10 + (c - 48);
      if (++digits > 3) ok = false;
    } else return undefined; // not an IPv4 shape: a host name or an IPv6 address
  }
  if (dots === 0) return undefined;
  if (ok && dots === 3 && digits > 0 && value <= 255) return undefined;
  return `source address ${JSON.stringify(s.length > 60 ? s.slice(0, 60) + "…" : s)} is not an IPv4 address (digits and dots, but not four numbers 0–255)`;
}

/** Event types {@link classifyAuthMessage} emits, with what they mean (for help texts and docs). */
export const AUTH_EVENT_TYPES: Readonly<Record<string, string>> = {
  failed_password: "sshd: Failed password for [invalid user] U from IP port P (failure)",
  failed_publickey: "sshd: Failed publickey for U from IP (failure)",
  failed_none: "sshd: Failed none for invalid user U (failure)",
  failed_keyboard_interactive: "sshd: Failed keyboard-interactive/pam (failure)",
  accepted_password: "sshd: Accepted password for U from IP port P (success)",
  accepted_publickey: "sshd: Accepted publickey for U from IP port P (success)",
  accepted_keyboard_interactive: "sshd: Accepted keyboard-interactive/pam (success)",
  invalid_user: "sshd: Invalid user U from IP (failure)",
  invalid_user_preauth: "sshd: input_userauth_request: invalid user U [preauth] (failure)",
  user_not_allowed: "sshd: User U from IP not allowed (failure)",
  too_many_auth_failures: "sshd: Disconnecting: Too many authentication failures / maximum attempts exceeded (failure)",
  change_of_username: "sshd: Disconnecting invalid user U IP port P: Change of username or service not allowed (failure)",
  root_login_refused: "sshd / login: ROOT LOGIN REFUSED FROM IP (failure)",
  connection_refused: "tcp_wrappers (libwrap) in sshd: refused connect from NAME (IP) (failure)",
  auth_failure: "PAM / klogind / gdm: authentication failure; rhost=IP user=U, and sshd's error: PAM: Authentication failure for U from IP (failure)",
  pam_more_failures: "PAM N more authentication failures (failure; fields.count = N)",
  pam_max_retries: "PAM service(sshd) ignoring max retries",
  pam_user_unknown: "PAM check pass; user unknown (failure)",
  break_in_attempt: "sshd: POSSIBLE BREAK-IN ATTEMPT (reverse mapping failed)",
  no_identification: "sshd: Did not receive identification string from IP",
  bad_protocol: "sshd: Bad protocol version identification",
  negotiation_failed: "sshd: Unable to negotiate with IP (failure: a pre-auth failure, as fail2ban counts it)",
  disconnect: "sshd: Received disconnect / Disconnected from IP (failure when the reason is 3: … Auth fail)",
  connection_closed: "sshd: Connection closed by IP",
  connection_reset: "sshd: Connection reset by IP",
  session_opened: "PAM: session opened for user U",
  session_closed: "PAM: session closed for user U",
  sudo: "sudo: U : ... COMMAND=... (success, or failure for incorrect password / not in sudoers)",
  su: "su: (to U) by X / FAILED SU (success or failure)",
  login: "login: ROOT LOGIN / LOGIN ON tty (success)",
  ftp_connection: "ftpd: connection from IP",
  server_listening: "sshd: Server listening on ADDR port P",
  server_stop: "sshd: Received signal; terminating",
  sshd_error: "sshd: error: / fatal: messages not covered above",
  other: "anything else",
};

// User names run up to the LAST " from ADDR": a name can carry injected " from X port N" text, and the
// address sshd appends comes after it (fail2ban reads it the same way). The tail is read by hand (linear).
const FAILED_ACCEPTED_HEAD = /^(Failed|Accepted) ([^ ]+) for ((?:invalid|illegal) user )?/;
const INVALID_USER = /^(?:[Ii]nvalid|[Ii]llegal) user (.*) from ([^ ]+?)(?: port (\d+))?$/;
const PREAUTH_INVALID = /^input_userauth_request: invalid user (.*?) \[preauth\]$/;
const BREAK_IN_REVERSE = /^reverse mapping checking getaddrinfo for (\S+) \[(\S+)\] failed/;
const BREAK_IN_ADDRESS = /^Address (\S+) maps to (\S+), but this does not map back/;
const RECEIVED_DISCONNECT = /^Received disconnect from ([^ :]+|[0-9a-fA-F:.]+?)(?: port (\d+))?: ?(\d+): (.*?)(?: \[preauth\])?$/;
const DISCONNECTED = /^Disconnected from (?:(?:authenticating |invalid )?user (.*?) )?(\S+) port (\d+)/;
const CONNECTION_CLOSED = /^Connection (closed|reset) by (?:(?:authenticating |invalid )?user (.*?) )?(\S+?)(?: port (\d+))?(?: \[preauth\])?$/;
const NO_IDENT = /^Did not receive identification string from (\S+?)(?: port (\d+))?$/;
const TOO_MANY = /^Disconnecting(?:: Too many authentication failures(?: for (?:invalid user )?([^ ]+))?| (?:authenticating |invalid )?user ([^ ]+) ([^ ]+) port (\d+): Too many authentication failures)/;
const MAX_ATTEMPTS = /^maximum authentication attempts exceeded for (invalid user )?(.*?) from (\S+) port (\d+)/;
const NOT_ALLOWED = /^User (.*) from ([^ ]+) not allowed because/;
const NOT_ALLOWED_LOCAL = /^User (\S+) not allowed because/;
const CHANGE_OF_USERNAME = /^Disconnecting (?:(?:authenticating|invalid) )?user (\S+) ([^ ]+) port (\d+): Change of username or service not allowed/;
const ROOT_REFUSED = /^ROOT LOGIN REFUSED (?:ON (\S+) )?FROM ([^ ]+?)(?: port (\d+))?$/;
const REFUSED_CONNECT = /^refused connect from (\S+) \(([^ )]+)\)/;
/** sshd's `error: PAM: Authentication failure for U from H` / `authentication error for illegal user U from H via A` / `User not known … for U from H`. */
const SSHD_PAM_ERROR_HEAD = /^PAM: (?:[Aa]uthentication (?:failure|error|failed)|(User not known) to the underlying authentication module) for (?:(?:invalid|illegal) user )?/;

/** `ADDR[ port N][ ssh2|ssh][: detail]` to the end of `text` from `at`, or undefined (what sshd appends after " from "). */
function addressTail(text: string, at: number): { ip: string; port?: string; proto?: string; detail?: string } | undefined {
  let sp = text.indexOf(" ", at);
  if (sp < 0) sp = text.length;
  if (sp === at) return undefined;
  let ip = text.slice(at, sp);
  let q = sp;
  let portText: string | undefined;
  let proto: string | undefined;
  if (text.startsWith(" port ", q)) {
    let k = q + 6;
    while (k < text.length && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57) k++;
    if (k > q + 6) {
      portText = text.slice(q + 6, k);
      q = k;
    }
  }
  for (const p of [" ssh2", " ssh"]) {
    if (text.startsWith(p, q) && (q + p.length === text.length || text.charCodeAt(q + p.length) === 58)) {
      proto = p.slice(1);
      q += p.length;
      break;
    }
  }
  if (q === text.length) return { ip, port: portText, proto };
  if (text.startsWith(": ", q)) return { ip, port: portText, proto, detail: text.slice(q + 2) };
  // "from ADDR: detail" (no port): the colon belongs to the tail, not the address.
  if (q === sp && portText === undefined && ip.endsWith(":") && ip.length > 1 && text.charCodeAt(sp) === 32) {
    ip = ip.slice(0, -1);
    return { ip, detail: text.slice(sp + 1) };
  }
  return undefined;
}

/** The last " from " at or after `min` whose tail reads as {@link addressTail} (up to 8 tried from the right). */
function lastFrom(text: string, min: number): { at: number; tail: NonNullable<ReturnType<typeof addressTail>> } | undefined {
  let f = text.lastIndexOf(" from ");
  for (let tries = 0; f >= min && tries < 8; tries++) {
    const tail = addressTail(text, f + 6);
    if (tail !== undefined) return { at: f, tail };
    f = f === 0 ? -1 : text.lastIndexOf(" from ", f - 1);
  }
  return undefined;
}
const BAD_PROTOCOL = /^Bad protocol version identification .* from (\S+?)(?: port (\d+))?$/;
const NEGOTIATE = /^Unable to negotiate with (\S+?)(?: port (\d+))?:/;
const PAM_PREFIX = /^pam_unix\(([^:)]*):([^)]*)\): /;
const SESSION_OPENED = /^session opened for user (\S+?)(?:\(uid=\d+\))? by (\S*?)(?:\(uid=(\d+)\))?$/;
const SESSION_CLOSED = /^session closed for user (\S+)/;
const RHOST = /rhost=(\S*)/;
const PAM_USER = /\buser=(\S+)/;

/** The remote host (`rhost=`, empty means none) and `user=` of a PAM failure message. */
function pamPeer(text: string): { srcIp: string | undefined; user: string | undefined } {
  const rhost = RHOST.exec(text);
  const user = PAM_USER.exec(text);
  return { srcIp: rhost && rhost[1] !== "" ? rhost[1] : undefined, user: user ? user[1] : undefined };
}
const PAM_MORE = /^PAM (\d+) more authentication failures?;/;
const SU_OK = /^(?:\+ \S+ |\(to (\S+)\) )(\S+) on (\S+)/;
const SU_FAILED = /^(?:FAILED SU \(to (\S+)\) (\S+) on (\S+)|- \S+ (\S+)-(\S+)|'su (\S+)' failed for (\S+))/;
const LOGIN = /^(ROOT )?LOGIN ON (\S+)(?: BY (\S+))?(?: FROM (\S+))?/;
const FTP_CONNECTION = /^connection from (\S+) \(([^)]*)\)/;
const AUTH_FAILED_FROM = /^Authentication failed from (\S+)/;

function port(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = +s;
  return n >= 0 && n <= 65535 ? n : undefined;
}

const AUTH_FAILURE_PREFIX = /^authentication failure;/;
const CHECK_PASS_UNKNOWN = /^check pass; user unknown/;
/** sshd's own messages: the process starts with "sshd" but is not "sshd(pam_unix)"-style. */
const SSHD_PROCESS = /^sshd(?!\()/;

// Shared, frozen `fields` of the commonest lines (events are read-only, so sharing is safe and saves allocations).
const PASSWORD_FIELDS = Object.freeze({ method: "password" });
const PASSWORD_INVALID_FIELDS = Object.freeze({ method: "password", invalidUser: true });

// The fast paths below read the commonest shapes with sticky regular-expression tests of a whole shape (no
// match array, no captures: measured cheaper here than charCodeAt scans, ~3.4 ns a character on the sliced
// strings a log reader makes), indexOf and a few charCodeAt, and give exactly what the general path gives; on
// any doubt they return undefined and the general path decides. test/ingest/auth-fast-path.test.ts compares
// both on every corpus line and on generated neighbours of each shape (setAuthFastPaths(false) turns the fast
// paths off there).
let fastPaths = true;

/**
 * Turn the hand-written fast paths of {@link classifyAuthMessage} on or off (on by default) and return the
 * previous setting. Internal, for the tests that compare them with the general regular-expression path
 * (not exported from the package index).
 *
 * @example
 * const was = setAuthFastPaths(false);
 * classifyAuthMessage("sshd", "Invalid user admin from 1.2.3.4").eventType // "invalid_user" (by the regular expression)
 * setAuthFastPaths(was) // false
 */
export function setAuthFastPaths(on: boolean): boolean {
  const was = fastPaths;
  fastPaths = on;
  return was;
}


/** A port number from the digits `text[from, to)`, as {@link port} reads them (undefined above 65535). */
function portAt(text: string, from: number, to: number): number | undefined {
  let n = 0;
  for (let i = from; i < to; i++) {
    n = n * 10 + (text.charCodeAt(i) - 48);
    if (n > 65535) return undefined; // digits only add: the value stays above 65535
  }
  return n;
}

/** Whether `text[at, at + 6)` is " port " (char compares: no runtime call). */
function portWordAt(text: string, at: number): boolean {
  return (
    text.charCodeAt(at) === 32 && text.charCodeAt(at + 1) === 112 && text.charCodeAt(at + 2) === 111 &&
    text.charCodeAt(at + 3) === 114 && text.charCodeAt(at + 4) === 116 && text.charCodeAt(at + 5) === 32
  );
}

/** Whether `text[from, to)` holds a line terminator (what a regex `.` does not match). */
function hasLineTerminator(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

/** End of the run of printable ASCII non-space characters (33..126) that starts at `at`; -1 when the run
 * meets any other character than a space (a tab, a control or non-ASCII character: the caller then leaves the
 * line to the regular expressions, whose `\S` and `.` read those differently). */
function runEnd(text: string, at: number): number {
  const n = text.length;
  let q = at;
  while (q < n) {
    const c = text.charCodeAt(q);
    if (c === 32) break;
    if (c < 33 || c > 126) return -1;
    q++;
  }
  return q;
}

/** End of the digits that start at `at` (at when there are none). */
function digitsEnd(text: string, at: number): number {
  const n = text.length;
  let q = at;
  while (q < n && isAsciiDigit(text.charCodeAt(q))) q++;
  return q;
}

// Sticky (y) tests read from lastIndex and leave lastIndex after the match: no match array, no captures.
// The head: the literal, then up to the FIRST " from " (lazy; `.` stops at a line terminator: then no match,
// and the general path decides).
const FAILED_HEAD_Y = /Failed password for .*? from /y;
const ACCEPTED_HEAD_Y = /Accepted password for .*? from /y;
/** The tail after the address of a password line, at the space that ends the address. */
const PORT_TAIL_Y = / port \d{1,5}(?: ssh2)?$/y;
const INVALID_HEAD_Y = /(?:Invalid|Illegal) user .*? from /y;

/**
 * Fast path for `Failed password for [invalid user ]U from IP port P[ ssh2]` and the same with `Accepted`, the
 * bulk of a busy auth.log: undefined when the line has any other shape (the general path then decides). It
 * reads from the FIRST " from ": when the text after it is exactly `IP port P[ ssh2]`, no later " from " has a
 * tail that reads (the only one possible is an address "from" itself, and its tail "port P" does not), so the
 * general path's LAST readable " from " is this one. A user name with injected " from X port N" text, whose
 * first " from " is not followed by exactly that tail, goes to the general path.
 */
function failedAccepted(message: string, c0: number): AuthFacts | undefined {
  const head = c0 === 70 /* F */ ? FAILED_HEAD_Y : ACCEPTED_HEAD_Y;
  head.lastIndex = 0;
  if (!head.test(message)) return undefined;
  const ipStart = head.lastIndex;
  const from = ipStart - 6;
  const ok = c0 === 65;
  let p = ok ? 22 : 20;
  let invalid = false;
  if (message.charCodeAt(p) === 105 /* i */) {
    if (message.indexOf("invalid user ", p) === p) {
      invalid = true;
      p += 13;
    } else if (message.indexOf("illegal user ", p) === p) return undefined;
  }
  if (from < p) return undefined; // (the first " from " is inside "invalid user ")
  const sp = message.indexOf(" ", ipStart);
  if (sp <= ipStart) return undefined;
  PORT_TAIL_Y.lastIndex = sp;
  if (!PORT_TAIL_Y.test(message)) return undefined;
  const n = message.length;
  let portNo = 0;
  for (let q = sp + 6; q < n; q++) {
    const c = message.charCodeAt(q);
    if (c < 48 || c > 57) break;
    portNo = portNo * 10 + (c - 48);
  }
  if (portNo > 65535) return undefined;
  return facts(ok ? "accepted_password" : "failed_password", ok ? "success" : "failure", message.slice(p, from), message.slice(ipStart, sp), portNo, (invalid ? PASSWORD_INVALID_FIELDS : PASSWORD_FIELDS) as AuthFacts["fields"]);
}

/**
 * Fast path for `Invalid user U from IP[ port P]` / `Illegal user …` (what {@link INVALID_USER} reads), from the
 * first " from ": when the rest is exactly `IP` or `IP port P` (IP without spaces), that " from " is the last one
 * the regex's greedy `(.*)` can stop at (a later one would be inside IP port P: only an address "from", whose
 * rest "port P" does not read), and U holds no line terminator (the head's `.*?` would not have crossed one,
 * nor would INVALID_USER's `(.*)`). Undefined on any doubt.
 */
function invalidUserFast(message: string): AuthFacts | undefined {
  INVALID_HEAD_Y.lastIndex = 0;
  if (!INVALID_HEAD_Y.test(message)) return undefined;
  const ipStart = INVALID_HEAD_Y.lastIndex;
  const from = ipStart - 6;
  const n = message.length;
  const sp = message.indexOf(" ", ipStart);
  if (sp < 0) {
    if (ipStart === n) return undefined;
    return facts("invalid_user", "failure", message.slice(13, from), message.slice(ipStart));
  }
  if (sp === ipStart || !portWordAt(message, sp)) return undefined;
  const q = digitsEnd(message, sp + 6);
  if (q === sp + 6 || q !== n) return undefined;
  return facts("invalid_user", "failure", message.slice(13, from), message.slice(ipStart, sp), portAt(message, sp + 6, q));
}

/**
 * `Connection closed|reset by IP[ port P][ [preauth]]` without a user, IP not starting with u, a or i: then
 * {@link CONNECTION_CLOSED}'s optional user group cannot start ("user ", "authenticating user ", "invalid user "),
 * and its lazy `(\S+?)` can only end where this greedy `\S*` does (at a space or the end).
 */
const CONNECTION_Y = /Connection (?:closed|reset) by [^\suai]\S*(?: port \d+)?(?: \[preauth\])?$/y;

/**
 * `Connection closed|reset by [authenticating |invalid ]user U IP port P[ [preauth]]`, U and IP without white
 * space: CONNECTION_CLOSED's lazy user `(.*?)` stops at the first space (the rest then reads), so it is U.
 */
const CONNECTION_USER_Y = /Connection (?:closed|reset) by (?:authenticating |invalid )?user \S+ \S+ port \d+(?: \[preauth\])?$/y;

/** Fast path for the {@link CONNECTION_Y} and {@link CONNECTION_USER_Y} shapes, read as {@link CONNECTION_CLOSED} reads them; undefined for any other. */
function connectionFast(message: string): AuthFacts | undefined {
  CONNECTION_Y.lastIndex = 0;
  if (!CONNECTION_Y.test(message)) {
    CONNECTION_USER_Y.lastIndex = 0;
    if (!CONNECTION_USER_Y.test(message)) return undefined;
    const closed = message.charCodeAt(11) === 99; /* c */
    let u = closed ? 21 : 20;
    const c = message.charCodeAt(u);
    u += c === 97 /* a */ ? 20 : c === 105 /* i */ ? 13 : 5; // "authenticating user ", "invalid user ", "user "
    const userEnd = message.indexOf(" ", u);
    const ipEnd = message.indexOf(" ", userEnd + 1);
    return facts(closed ? "connection_closed" : "connection_reset", undefined, message.slice(u, userEnd), message.slice(userEnd + 1, ipEnd), portAt(message, ipEnd + 6, digitsEnd(message, ipEnd + 6)));
  }
  const closed = message.charCodeAt(11) === 99; /* c */
  const p = closed ? 21 : 20;
  // The address holds no white space: it ends at the first space (or the end).
  let ipEnd = message.indexOf(" ", p);
  let portNo: number | undefined;
  if (ipEnd < 0) ipEnd = message.length;
  else if (message.charCodeAt(ipEnd + 1) === 112 /* p */) portNo = portAt(message, ipEnd + 6, digitsEnd(message, ipEnd + 6));
  return facts(closed ? "connection_closed" : "connection_reset", undefined, undefined, message.slice(p, ipEnd), portNo);
}

/**
 * OpenSSH's commonest disconnect, `Received disconnect from IP: 11: Bye Bye[ [preauth]]`, as the first alternative
 * of {@link RECEIVED_DISCONNECT} reads it (IP the run without spaces and colons, code 11, reason "Bye Bye").
 */
const RECEIVED_BYE_Y = /Received disconnect from [^ :]+: 11: Bye Bye(?: \[preauth\])?$/y;
/** The same with a port, as newer OpenSSH writes it (`… from IP port P:11: Bye Bye [preauth]`). */
const RECEIVED_BYE_PORT_Y = /Received disconnect from [^ :]+ port \d+: ?11: Bye Bye(?: \[preauth\])?$/y;

/**
 * Fast path for `Received disconnect from IP[ port P]: CODE: REASON[ [preauth]]` when the first alternative of
 * {@link RECEIVED_DISCONNECT} reads it (IP a run without spaces and colons): the regex takes that alternative
 * first, and its greedy run, port and code leave no other choice. IPv6 addresses (whose run ends at the first
 * colon) and anything else go to the general path.
 */
function receivedDisconnectFast(message: string): AuthFacts | undefined {
  RECEIVED_BYE_Y.lastIndex = 0;
  if (RECEIVED_BYE_Y.test(message)) {
    // ": 11: Bye Bye" (13 characters) and " [preauth]" (10) after the address
    const n = message.length;
    const ipEnd = message.charCodeAt(n - 1) === 93 /* ] */ ? n - 23 : n - 13;
    return facts("disconnect", undefined, undefined, message.slice(25, ipEnd), undefined, BYE_FIELDS as AuthFacts["fields"]);
  }
  RECEIVED_BYE_PORT_Y.lastIndex = 0;
  if (RECEIVED_BYE_PORT_Y.test(message)) {
    // The address (no space, no colon) ends at the first space; " port " and the digits follow.
    const ipEnd = message.indexOf(" ", 25);
    const portNo = portAt(message, ipEnd + 6, digitsEnd(message, ipEnd + 6));
    return facts("disconnect", undefined, undefined, message.slice(25, ipEnd), portNo, BYE_FIELDS as AuthFacts["fields"]);
  }
  if (message.indexOf("Received disconnect from ") !== 0) return undefined;
  // The run of [^ :] from 25 ends at the first colon or space, whichever comes first.
  const colon = message.indexOf(":", 25);
  if (colon < 0) return undefined;
  const sp = message.indexOf(" ", 25);
  let ipEnd = colon;
  let portNo: number | undefined;
  if (sp >= 0 && sp < colon) {
    // " port DIGITS" right up to the colon
    ipEnd = sp;
    if (!portWordAt(message, sp) || colon === sp + 6 || digitsEnd(message, sp + 6) !== colon) return undefined;
    portNo = portAt(message, sp + 6, colon);
  }
  if (ipEnd === 25) return undefined;
  let q = colon + 1;
  if (message.charCodeAt(q) === 32) q++;
  const codeStart = q;
  q = digitsEnd(message, q);
  if (q === codeStart || q - codeStart > 9 || message.charCodeAt(q) !== 58 || message.charCodeAt(q + 1) !== 32) return undefined;
  const reasonStart = q + 2;
  const n = message.length;
  // sshd's commonest reason, "Bye Bye", read as one literal (no scan, no slice)
  if (n - reasonStart === 17 ? message.indexOf("Bye Bye [preauth]", reasonStart) === reasonStart : n - reasonStart === 7 && message.indexOf("Bye Bye", reasonStart) === reasonStart) {
    return facts("disconnect", undefined, undefined, message.slice(25, ipEnd), portNo, { code: portAt(message, codeStart, q) ?? +message.slice(codeStart, q), reason: "Bye Bye" });
  }
  if (hasLineTerminator(message, reasonStart, n)) return undefined;
  const reasonEnd = n - 10 >= reasonStart && message.indexOf(" [preauth]", n - 10) === n - 10 ? n - 10 : n;
  const code = portAt(message, codeStart, q) ?? +message.slice(codeStart, q);
  const reason = message.slice(reasonStart, reasonEnd);
  const authFail = q - codeStart === 1 && code === 3 && reason.endsWith("Auth fail");
  return facts("disconnect", authFail ? "failure" : undefined, undefined, message.slice(25, ipEnd), portNo, { code, reason });
}

/**
 * The value of the first `user=` at or after `from` that {@link PAM_USER} takes (after a non-word character,
 * followed by at least one non-space): the value, undefined when there is none, false on doubt (a character
 * other than printable ASCII in a value).
 */
function pamUserFast(text: string, from: number): string | undefined | false {
  let u = text.indexOf("user=", from);
  while (u >= 0) {
    const prev = text.charCodeAt(u - 1);
    const word = (prev >= 48 && prev <= 57) || (prev >= 65 && prev <= 90) || (prev >= 97 && prev <= 122) || prev === 95;
    if (!word) {
      const e = runEnd(text, u + 5);
      if (e < 0) return false;
      if (e > u + 5) return text.slice(u + 5, e);
    }
    u = text.indexOf("user=", u + 1);
  }
  return undefined;
}

/** `rhost=` and `user=` of a PAM failure body from `body` on, as {@link pamPeer} reads them; undefined on any doubt. */
function pamPeerFast(text: string, body: number): { srcIp: string | undefined; user: string | undefined } | undefined {
  let srcIp: string | undefined;
  const r = text.indexOf("rhost=", body);
  if (r >= 0) {
    const e = runEnd(text, r + 6);
    if (e < 0) return undefined;
    if (e > r + 6) srcIp = text.slice(r + 6, e);
  }
  // (the body starts with "authentication failure;": a "user=" at its very start is impossible)
  const user = pamUserFast(text, body);
  if (user === false) return undefined;
  return { srcIp, user };
}

// pam_unix's own wording for sshd (sshd runs as uid 0 on tty "ssh"): one sticky test reads most of the line.
// (The literal's first "rhost=" is RHOST's; its only "user=" is in "ruser=", after a word character, so not
// PAM_USER's.)
const PAM_SSHD_AUTH_FAILURE = "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=";
/**
 * {@link PAM_SSHD_AUTH_FAILURE} then `H[ {1,2}user=U]` to the end, H without white space or "=" (so it holds
 * no "user=" of its own), U without white space: RHOST reads H and PAM_USER reads U.
 */
const PAM_SSHD_AUTH_FAILURE_Y =
  /pam_unix\(sshd:auth\): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=[^\s=]*(?: {1,2}user=\S+)?$/y;
const PAM_SSHD_OPENED = "pam_unix(sshd:session): session opened for user ";
/** {@link PAM_SSHD_OPENED}, W (no white space), " by (uid=0)" to the end: what SESSION_OPENED reads with BY empty. */
const PAM_SSHD_OPENED_Y = /pam_unix\(sshd:session\): session opened for user \S+ by \(uid=0\)$/y;
const PAM_SSHD_CLOSED = "pam_unix(sshd:session): session closed for user ";

const SSHD_SERVICE_FIELDS = Object.freeze({ service: "sshd" });
/** The fields of sshd's commonest disconnect and session-opened lines, shared by the fast paths and the scanner. */
const BYE_FIELDS = Object.freeze({ code: 11, reason: "Bye Bye" });
const SSHD_OPENED_FIELDS = Object.freeze({ by: null, service: "sshd" });

/**
 * Fast path for `pam_unix(SERVICE:TYPE): authentication failure; … rhost=H … user=U` and `… session
 * opened|closed for user U …` (what {@link PAM_PREFIX} and {@link classifyPam} read); undefined on any doubt.
 */
function pamFast(message: string): AuthFacts | undefined {
  PAM_SSHD_AUTH_FAILURE_Y.lastIndex = 0;
  if (PAM_SSHD_AUTH_FAILURE_Y.test(message)) {
    // "H[  user=U]" to the end: H ends at the first space (it has no white space), U after "user=".
    const r = PAM_SSHD_AUTH_FAILURE.length;
    const sp = message.indexOf(" ", r);
    const ipEnd = sp < 0 ? message.length : sp;
    const user = sp < 0 ? undefined : message.slice(message.indexOf("user=", sp) + 5);
    return facts("auth_failure", "failure", user, ipEnd > r ? message.slice(r, ipEnd) : undefined, undefined, SSHD_SERVICE_FIELDS as AuthFacts["fields"]);
  }
  PAM_SSHD_OPENED_Y.lastIndex = 0;
  if (PAM_SSHD_OPENED_Y.test(message)) {
    // "W by (uid=0)" to the end (11 characters after W): BY is empty (null), U is W without a "(uid=N)" suffix.
    const w = PAM_SSHD_OPENED.length;
    const wEnd = message.length - 11;
    return facts("session_opened", undefined, message.slice(w, uidSuffixStart(message, w + 1, wEnd)), undefined, undefined, SSHD_OPENED_FIELDS as AuthFacts["fields"]);
  }
  if (message.indexOf(PAM_SSHD_CLOSED) === 0) {
    const w = PAM_SSHD_CLOSED.length;
    const wEnd = runEnd(message, w);
    if (wEnd > w) return facts("session_closed", undefined, message.slice(w, wEnd), undefined, undefined, SSHD_SERVICE_FIELDS as AuthFacts["fields"]);
  }
  if (message.indexOf("pam_unix(") !== 0) return undefined;
  // SERVICE: up to the first ":" or ")" (it must be ":"); TYPE: up to the first ")", then ": ".
  let q = 9;
  const n = message.length;
  let c = 0;
  while (q < n && (c = message.charCodeAt(q)) !== 58 && c !== 41) q++;
  if (q === n || c !== 58) return undefined;
  const svcEnd = q;
  const close = message.indexOf(")", q + 1);
  if (close < 0 || message.charCodeAt(close + 1) !== 58 || message.charCodeAt(close + 2) !== 32) return undefined;
  const body = close + 3;
  const sshd = svcEnd === 13 && message.charCodeAt(9) === 115 && message.charCodeAt(10) === 115 && message.charCodeAt(11) === 104 && message.charCodeAt(12) === 100;
  const b0 = message.charCodeAt(body);
  if (b0 === 97 /* a */) {
    if (message.indexOf("authentication failure;", body) !== body) return undefined;
    const peer = pamPeerFast(message, body);
    if (peer === undefined) return undefined;
    const fields = sshd ? (SSHD_SERVICE_FIELDS as AuthFacts["fields"]) : svcEnd > 9 ? { service: message.slice(9, svcEnd) } : undefined;
    return facts("auth_failure", "failure", peer.user, peer.srcIp, undefined, fields);
  }
  if (b0 !== 115 /* s */) return undefined;
  if (message.indexOf("session opened for user ", body) === body) {
    // SESSION_OPENED: W (no spaces) = U[(uid=N)], " by ", R (no spaces) = BY[(uid=N)]; U, BY as short as they can be.
    const w = body + 24;
    const wEnd = runEnd(message, w);
    if (wEnd <= w || message.charCodeAt(wEnd + 1) !== 98 || message.charCodeAt(wEnd + 2) !== 121 || message.charCodeAt(wEnd + 3) !== 32) return undefined;
    const r = wEnd + 4;
    if (runEnd(message, r) !== n) return undefined;
    const userEnd = uidSuffixStart(message, w + 1, wEnd);
    const byEnd = uidSuffixStart(message, r, n);
    const by = byEnd === r ? null : message.slice(r, byEnd);
    const service = svcEnd > 9 ? (sshd ? "sshd" : message.slice(9, svcEnd)) : undefined;
    return facts("session_opened", undefined, message.slice(w, userEnd), undefined, undefined, service ? { by, service } : { by });
  }
  if (message.indexOf("session closed for user ", body) === body) {
    const w = body + 24;
    const wEnd = runEnd(message, w);
    if (wEnd <= w) return undefined;
    const fields = sshd ? (SSHD_SERVICE_FIELDS as AuthFacts["fields"]) : svcEnd > 9 ? { service: message.slice(9, svcEnd) } : undefined;
    return facts("session_closed", undefined, message.slice(w, wEnd), undefined, undefined, fields);
  }
  return undefined;
}

/** Where a trailing `(uid=DIGITS)` of `text[min - ?, end)` starts, when it starts at or after `min`; else `end`. */
function uidSuffixStart(text: string, min: number, end: number): number {
  if (text.charCodeAt(end - 1) !== 41 /* ) */) return end;
  let d = end - 1;
  while (d > min && isAsciiDigit(text.charCodeAt(d - 1))) d--;
  const open = d - 5;
  if (d === end - 1 || open < min || text.indexOf("(uid=", open) !== open) return end;
  return open;
}

function methodType(method: string): string {
  const m = method.toLowerCase();
  if (m === "password" || m === "publickey" || m === "none") return m;
  if (m.startsWith("keyboard-interactive")) return "keyboard_interactive";
  if (m === "hostbased") return "hostbased";
  return m.replace(/[^a-z0-9]+/g, "_").slice(0, 32) || "other";
}

function classifyPam(service: string | undefined, body: string): AuthFacts | undefined {
  if (AUTH_FAILURE_PREFIX.test(body)) {
    const { srcIp, user } = pamPeer(body);
    return facts("auth_failure", "failure", user, srcIp, undefined, service ? { service } : undefined);
  }
  if (CHECK_PASS_UNKNOWN.test(body)) return facts("pam_user_unknown", "failure");
  let m = SESSION_OPENED.exec(body);
  if (m) {
    return facts("session_opened", undefined, m[1], undefined, undefined, { by: m[2] === "" ? null : m[2], ...(service ? { service } : {}) });
  }
  m = SESSION_CLOSED.exec(body);
  if (m) return facts("session_closed", undefined, m[1], undefined, undefined, service ? { service } : undefined);
  return undefined;
}

function classifySshd(message: string): AuthFacts | undefined {
  let m: RegExpExecArray | null;
  switch (message.charCodeAt(0)) {
    case 70: // F
    case 65: // A
    {
      m = FAILED_ACCEPTED_HEAD.exec(message);
      const fa = m ? lastFrom(message, m[0].length) : undefined;
      if (m && fa) {
        const ok = m[1] === "Accepted";
        const fields: Record<string, string | number | boolean | null> = { method: m[2] };
        if (m[3]) fields.invalidUser = true;
        if (fa.tail.detail) fields.detail = fa.tail.detail;
        return facts((ok ? "accepted_" : "failed_") + methodType(m[2]), ok ? "success" : "failure", message.slice(m[0].length, fa.at), fa.tail.ip, port(fa.tail.port), fields);
      }
    }
      m = BREAK_IN_ADDRESS.exec(message);
      if (m) return facts("break_in_attempt", undefined, undefined, m[1], undefined, { hostname: m[2] });
      break;
    case 73: // I
      m = INVALID_USER.exec(message);
      if (m) return facts("invalid_user", "failure", m[1], m[2], port(m[3]));
      break;
    case 105: // i
      m = PREAUTH_INVALID.exec(message);
      if (m) return facts("invalid_user_preauth", "failure", m[1]);
      break;
    case 114: // r
      m = REFUSED_CONNECT.exec(message);
      if (m) return facts("connection_refused", "failure", undefined, m[2], undefined, { hostname: m[1] });
      m = BREAK_IN_REVERSE.exec(message);
      if (m) return facts("break_in_attempt", undefined, undefined, m[2], undefined, { hostname: m[1] });
      break;
    case 82: // R
      m = RECEIVED_DISCONNECT.exec(message);
      if (m) {
        // Code 3 (SSH_DISCONNECT_KEY_EXCHANGE_FAILED) with "Auth fail": a client library giving up on its credentials.
        const authFail = m[3] === "3" && m[4].endsWith("Auth fail");
        return facts("disconnect", authFail ? "failure" : undefined, undefined, m[1], port(m[2]), { code: +m[3], reason: m[4] });
      }
      m = ROOT_REFUSED.exec(message);
      if (m) return facts("root_login_refused", "failure", "root", m[2], port(m[3]));
      if (message.startsWith("Received signal")) return facts("server_stop");
      break;
    case 68: // D
      m = DISCONNECTED.exec(message);
      if (m) return facts("disconnect", undefined, m[1], m[2], port(m[3]));
      m = NO_IDENT.exec(message);
      if (m) return facts("no_identification", undefined, undefined, m[1], port(m[2]));
      m = CHANGE_OF_USERNAME.exec(message);
      if (m) return facts("change_of_username", "failure", m[1], m[2], port(m[3]));
      m = TOO_MANY.exec(message);
      if (m) {
        return facts("too_many_auth_failures", "failure", m[1] ?? m[2], m[3], port(m[4]));
      }
      break;
    case 67: // C
      m = CONNECTION_CLOSED.exec(message);
      if (m) {
        return facts(m[1] === "closed" ? "connection_closed" : "connection_reset", undefined, m[2], m[3], port(m[4]));
      }
      break;
    case 109: // m
    {
      const r = repeatedMessage(message);
      if (r !== undefined) {
        const inner = classifySshd(r.message) ?? classifyGeneric(r.message);
        if (inner) return facts(inner.eventType, inner.outcome, inner.user, inner.srcIp, inner.srcPort, { ...inner.fields, repeated: r.count });
        return facts("other", undefined, undefined, undefined, undefined, { repeated: r.count });
      }
    }
      m = MAX_ATTEMPTS.exec(message);
      if (m) return facts("too_many_auth_failures", "failure", m[2], m[3], port(m[4]));
      break;
    case 85: // U
      m = NOT_ALLOWED.exec(message);
      if (m) return facts("user_not_allowed", "failure", m[1], m[2]);
      m = NOT_ALLOWED_LOCAL.exec(message);
      if (m) return facts("user_not_allowed", "failure", m[1]);
      m = NEGOTIATE.exec(message);
      if (m) return facts("negotiation_failed", "failure", undefined, m[1], port(m[2]));
      break;
    case 66: // B
      m = BAD_PROTOCOL.exec(message);
      if (m) return facts("bad_protocol", undefined, undefined, m[1], port(m[2]));
      break;
    case 80: // P
      m = PAM_MORE.exec(message);
      if (m) {
        const { srcIp, user } = pamPeer(message);
        return facts("pam_more_failures", "failure", user, srcIp, undefined, { count: +m[1] });
      }
      if (message.startsWith("PAM service(")) return facts("pam_max_retries");
      m = SSHD_PAM_ERROR_HEAD.exec(message);
      if (m) {
        const f = message.lastIndexOf(" from ");
        if (f >= m[0].length) {
          const rest = message.slice(f + 6);
          const sp = rest.indexOf(" ");
          const ip = sp < 0 ? rest : rest.slice(0, sp);
          if (ip !== "" && (sp < 0 || (rest.startsWith(" via ", sp) && rest.indexOf(" ", sp + 5) < 0))) {
            const user = message.slice(m[0].length, f);
            return facts("auth_failure", "failure", user, ip, undefined, m[1] ? { reason: "user not known" } : undefined);
          }
        }
      }
      break;
    case 83: // S
      if (message.startsWith("Server listening on")) return facts("server_listening");
      break;
    case 101: // e
    case 102: // f
      // "error: " and "fatal: " wrap the same messages (fail2ban reads both): classify what they wrap.
      if (message.startsWith("error: ") || message.startsWith("fatal: ")) {
        // Peel every "error: " / "fatal: " (a loop, not recursion: a crafted line may nest thousands).
        const fatal = message.charCodeAt(0) === 102;
        let p = 0;
        while (message.startsWith("error: ", p) || message.startsWith("fatal: ", p)) p += 7;
        const inner = classifySshd(message.slice(p));
        return inner ?? (fatal ? facts("sshd_error", undefined, undefined, undefined, undefined, { fatal: true }) : facts("sshd_error"));
      }
      break;
  }
  return undefined;
}

/**
 * sudo's `U : [problem ; ]TTY=T ; PWD=P ; USER=R ; [GROUP=G ; ENV=… ; ]COMMAND=C`, read by splitting on " ; "
 * (linear time: the regex this replaces backtracked cubically on a line any local user can write with
 * `logger -t sudo`). COMMAND= takes the rest of the line, " ; " included.
 */
function sudoFacts(message: string): AuthFacts | undefined {
  let p = 0;
  while (p < message.length && (message.charCodeAt(p) === 32 || message.charCodeAt(p) === 9)) p++;
  const colon = message.indexOf(" : ", p);
  if (colon <= p || message.lastIndexOf(" ", colon - 1) >= p) return undefined;
  const user = message.slice(p, colon);
  const problems: string[] = [];
  let tty: string | undefined;
  let pwd: string | undefined;
  let target: string | undefined;
  let command: string | undefined;
  let q = colon + 3;
  while (q <= message.length) {
    if (message.startsWith("COMMAND=", q)) {
      command = message.slice(q + 8);
      break;
    }
    let end = message.indexOf(" ; ", q);
    if (end < 0) end = message.length;
    const part = message.slice(q, end);
    if (part.startsWith("TTY=")) tty = part.slice(4);
    else if (part.startsWith("PWD=")) pwd = part.slice(4);
    else if (part.startsWith("USER=")) target = part.slice(5);
    else if (tty === undefined) problems.push(part);
    q = end + 3;
  }
  if (tty === undefined || pwd === undefined || target === undefined || command === undefined || /\s/.test(target)) return undefined;
  const problem = problems.join(" ; ");
  return facts("sudo", problem ? "failure" : "success", user, undefined, undefined, { targetUser: target, command, tty, pwd, ...(problem ? { problem } : {}) });
}

/** Messages from any program: PAM bodies, su, sudo, login, ftpd, klogind. */
function classifyGeneric(message: string, process?: string): AuthFacts | undefined {
  const pam = PAM_PREFIX.exec(message);
  if (pam) return classifyPam(pam[1], message.slice(pam[0].length)) ?? facts("other", undefined, undefined, undefined, undefined, { service: pam[1] });
  const base = process === undefined ? "" : (process.includes("(") ? process.slice(0, process.indexOf("(")) : process);
  if (process !== undefined && process.includes("(pam_unix)")) {
    const facts = classifyPam(base, message);
    if (facts) return facts;
  }
  let m: RegExpExecArray | null;
  if (base === "sudo") {
    const facts = sudoFacts(message);
    if (facts) return facts;
  }
  if (base === "su") {
    m = SU_FAILED.exec(message);
    if (m) return facts("su", "failure", m[2] ?? m[4] ?? m[7], undefined, undefined, { targetUser: m[1] ?? m[5] ?? m[6] ?? null });
    m = SU_OK.exec(message);
    if (m) return facts("su", "success", m[2], undefined, undefined, { targetUser: m[1] ?? null, tty: m[3] });
  }
  m = LOGIN.exec(message);
  if (m) return facts("login", "success", m[3] ?? (m[1] ? "root" : undefined), m[4], undefined, { tty: m[2] });
  m = FTP_CONNECTION.exec(message);
  if (m) return facts("ftp_connection", undefined, undefined, m[1], undefined, { hostname: m[2] });
  m = AUTH_FAILED_FROM.exec(message);
  if (m) return facts("auth_failure", "failure", undefined, m[1]);
  if (message.startsWith("Couldn't authenticate user")) return facts("auth_failure", "failure");
  return undefined;
}

// The last process name asked about and the answer: consecutive auth.log lines mostly share one.
let lastProcessName = "";
let lastProcessIsSshd = false;

function isSshd(process: string): boolean {
  if (process !== lastProcessName) {
    lastProcessName = process;
    lastProcessIsSshd = SSHD_PROCESS.test(process);
  }
  return lastProcessIsSshd;
}

/**
 * Read rsyslog's fold line `message repeated N times: [ MSG]` (N identical messages were not written): N and
 * MSG (one leading space dropped), or undefined for any other text. Read by hand (no regex: linear time).
 *
 * @example
 * repeatedMessage("message repeated 5 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]")
 * // { count: 5, message: "Failed password for root from 1.2.3.4 port 22 ssh2" }
 */
export function repeatedMessage(text: string): { count: number; message: string } | undefined {
  if (text.charCodeAt(0) !== 109 /* m */ || !text.startsWith("message repeated ")) return undefined;
  let q = 17;
  let n = 0;
  for (; q < text.length && q < 27; q++) {
    const c = text.charCodeAt(q);
    if (c < 48 || c > 57) break;
    n = n * 10 + (c - 48);
  }
  if (q === 17) return undefined;
  const rest = text.startsWith(" times: [", q) ? q + 9 : text.startsWith(" time: [", q) ? q + 8 : -1;
  if (rest < 0 || text.charCodeAt(text.length - 1) !== 93 /* ] */) return undefined;
  const from = text.charCodeAt(rest) === 32 ? rest + 1 : rest;
  return { count: n, message: text.slice(from, Math.max(from, text.length - 1)) };
}

/** Solaris syslog's `[ID 800047 auth.info] ` message prefix: its length, or 0 when there is none. */
function solarisPrefix(message: string): number {
  if (message.charCodeAt(0) !== 91 /* [ */ || !message.startsWith("[ID ")) return 0;
  const close = message.indexOf("] ", 4);
  return close > 4 && close < 48 ? close + 2 : 0;
}

/**
 * The fast paths by first character: what the general path gives, or undefined (then the general path decides).
 * `pam_unix(` messages read the same whatever the process (sshd's own rules take none of them). Exported for
 * the equivalence tests only (not from the package index).
 *
 * @example
 * fastClassify("sshd", "Connection closed by 1.2.3.4 port 22 [preauth]")?.srcIp // "1.2.3.4"
 * fastClassify("sshd", "Server listening on 0.0.0.0 port 22.") // undefined (the general path decides)
 */
export function fastClassify(process: string | undefined, message: string, c0 = message.charCodeAt(0)): AuthFacts | undefined {
  if (c0 === 112 /* p */) return pamFast(message);
  if (process === undefined || !isSshd(process)) return undefined;
  switch (c0) {
    case 70: // F
    case 65: // A
      return failedAccepted(message, c0);
    case 73: // I
      return invalidUserFast(message);
    case 82: // R
      return receivedDisconnectFast(message);
    case 67: // C
      return connectionFast(message);
  }
  return undefined;
}

/**
 * What the WebAssembly line scanner's kinds 1–12 stand for (assembly/line-scan.ts reads the shapes of
 * {@link failedAccepted}, {@link invalidUserFast}, {@link receivedDisconnectFast}'s "Bye Bye", {@link
 * connectionFast} and {@link pamFast}'s sshd lines, and the general path's PREAUTH_INVALID, "check pass; user
 * unknown" and BREAK_IN_REVERSE, the same way): the event type, the outcome and the `fields` the classifier gives
 * (the user, address, port and a break-in's host name come from the scan record). Index 0: not classified.
 */
export const SCANNED_EVENT_TYPES: readonly string[] = [
  "", "failed_password", "accepted_password", "invalid_user", "disconnect", "connection_closed", "connection_reset",
  "auth_failure", "session_opened", "session_closed", "invalid_user_preauth", "pam_user_unknown", "break_in_attempt",
];

/** The outcome of each of the line scanner's kinds (see {@link SCANNED_EVENT_TYPES}). */
export const SCANNED_OUTCOMES: readonly ("success" | "failure" | undefined)[] = [
  undefined, "failure", "success", "failure", undefined, undefined, undefined, "failure", undefined, undefined, "failure",
  "failure", undefined,
];

/**
 * The `fields` of the line `text` the line scanner classified as `kind` (see {@link SCANNED_EVENT_TYPES}), from
 * its record `scan[at]`… (a password line's invalid-user flag, a break-in's host name). Internal (not exported
 * from the package index).
 *
 * @example
 * const text = "Dec 10 06:55:46 h sshd[1]: Received disconnect from 1.2.3.4: 11: Bye Bye";
 * const rec = lineScanner()!.scan(Buffer.from(text + "\n"), 0, text.length + 1, 10);
 * scannedFields(rec[13], text, rec, 0) // { code: 11, reason: "Bye Bye" }
 */
export function scannedFields(kind: number, text: string, scan: Int32Array, at: number): AuthFacts["fields"] {
  switch (kind) {
    case 1:
    case 2:
      return (scan[at + 19] === 1 ? PASSWORD_INVALID_FIELDS : PASSWORD_FIELDS) as AuthFacts["fields"];
    case 4:
      return BYE_FIELDS as AuthFacts["fields"];
    case 7:
    case 9:
      return SSHD_SERVICE_FIELDS as AuthFacts["fields"];
    case 8:
      return SSHD_OPENED_FIELDS as AuthFacts["fields"];
    case 12:
      return { hostname: text.slice(scan[at + 23] & 0xffff, scan[at + 23] >>> 16) };
  }
  return undefined;
}

/**
 * Whether the fast paths are on ({@link setAuthFastPaths}): the line scanner's classifications are used only
 * then. Internal.
 *
 * @example
 * authFastPathsOn() // true
 */
export function authFastPathsOn(): boolean {
  return fastPaths;
}

/**
 * Classify a syslog message from sshd, PAM, su, sudo, login and friends into a normalised event type
 * with its outcome, user, source IP and port (see {@link AUTH_EVENT_TYPES}). Unknown messages give
 * `facts("other")`.
 *
 * @example
 * classifyAuthMessage("sshd", "Failed password for root from 1.2.3.4 port 22 ssh2")
 * // {eventType: "failed_password", outcome: "failure", user: "root", srcIp: "1.2.3.4", srcPort: 22, ...}
 */
export function classifyAuthMessage(process: string | undefined, message: string): AuthFacts {
  let c0 = message.charCodeAt(0);
  if (c0 === 91 /* [ */) {
    const sol = solarisPrefix(message);
    if (sol > 0) {
      message = message.slice(sol);
      c0 = message.charCodeAt(0);
    }
  }
  if (fastPaths) {
    const fast = fastClassify(process, message, c0);
    if (fast !== undefined) return fast;
  }
  if (process !== undefined && isSshd(process)) {
    const facts = classifySshd(message);
    if (facts) return facts;
  }
  return classifyGeneric(message, process) ?? facts("other");
}
