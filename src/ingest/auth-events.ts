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

/**
 * Hand-written fast path for `Failed password for [invalid user ]U from IP port P ssh2` and
 * `Accepted password for [invalid user ]U from IP port P ssh2` (as the regex reads them), the bulk of a busy auth.log; undefined when the line has
 * any other shape (the regex then decides).
 */
function failedAccepted(message: string): AuthFacts | undefined {
  let p: number;
  let ok: boolean;
  const c0 = message.charCodeAt(0);
  if (c0 === 70 /* F */ && message.indexOf("Failed password for ") === 0) {
    p = 20;
    ok = false;
  } else if (c0 === 65 /* A */ && message.indexOf("Accepted password for ") === 0) {
    p = 22;
    ok = true;
  } else return undefined;
  let invalid = false;
  // Literal tests at a position as `indexOf(lit, pos) === pos`: a native search, cheaper than a sticky
  // regex or startsWith on the sliced strings a log reader makes.
  if (message.charCodeAt(p) === 105 /* i */) {
    if (message.indexOf("invalid user ", p) === p) {
      invalid = true;
      p += 13;
    } else if (message.indexOf("illegal user ", p) === p) return undefined;
  }
  // The LAST " from ": an injected user name may hold " from X port N" text before sshd's own.
  const from = message.lastIndexOf(" from ");
  if (from < p) return undefined;
  const ipStart = from + 6;
  const sp = message.indexOf(" ", ipStart);
  if (sp < 0 || message.indexOf(" port ", sp) !== sp) return undefined;
  let q = sp + 6;
  let portNo = 0;
  const digitsStart = q;
  for (; q < message.length; q++) {
    const c = message.charCodeAt(q);
    if (c < 48 || c > 57) break;
    portNo = portNo * 10 + (c - 48);
  }
  if (q === digitsStart || q - digitsStart > 5 || portNo > 65535) return undefined;
  if (!(q === message.length || (q + 5 === message.length && message.indexOf(" ssh2", q) === q))) return undefined;
  return {
    eventType: ok ? "accepted_password" : "failed_password",
    outcome: ok ? "success" : "failure",
    user: message.slice(p, from),
    srcIp: message.slice(ipStart, sp),
    srcPort: portNo,
    fields: (invalid ? PASSWORD_INVALID_FIELDS : PASSWORD_FIELDS) as AuthFacts["fields"],
  };
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
    return { eventType: "auth_failure", outcome: "failure", srcIp, user, fields: service ? { service } : undefined };
  }
  if (CHECK_PASS_UNKNOWN.test(body)) return { eventType: "pam_user_unknown", outcome: "failure" };
  let m = SESSION_OPENED.exec(body);
  if (m) {
    return { eventType: "session_opened", user: m[1], fields: { by: m[2] === "" ? null : m[2], ...(service ? { service } : {}) } };
  }
  m = SESSION_CLOSED.exec(body);
  if (m) return { eventType: "session_closed", user: m[1], fields: service ? { service } : undefined };
  return undefined;
}

function classifySshd(message: string): AuthFacts | undefined {
  let m: RegExpExecArray | null;
  switch (message.charCodeAt(0)) {
    case 70: // F
    case 65: // A
    {
      const fast = failedAccepted(message);
      if (fast !== undefined) return fast;
      m = FAILED_ACCEPTED_HEAD.exec(message);
      const fa = m ? lastFrom(message, m[0].length) : undefined;
      if (m && fa) {
        const ok = m[1] === "Accepted";
        const fields: Record<string, string | number | boolean | null> = { method: m[2] };
        if (m[3]) fields.invalidUser = true;
        if (fa.tail.detail) fields.detail = fa.tail.detail;
        return {
          eventType: (ok ? "accepted_" : "failed_") + methodType(m[2]),
          outcome: ok ? "success" : "failure",
          user: message.slice(m[0].length, fa.at),
          srcIp: fa.tail.ip,
          srcPort: port(fa.tail.port),
          fields,
        };
      }
    }
      m = BREAK_IN_ADDRESS.exec(message);
      if (m) return { eventType: "break_in_attempt", srcIp: m[1], fields: { hostname: m[2] } };
      break;
    case 73: // I
      m = INVALID_USER.exec(message);
      if (m) return { eventType: "invalid_user", outcome: "failure", user: m[1], srcIp: m[2], srcPort: port(m[3]) };
      break;
    case 105: // i
      m = PREAUTH_INVALID.exec(message);
      if (m) return { eventType: "invalid_user_preauth", outcome: "failure", user: m[1] };
      break;
    case 114: // r
      m = REFUSED_CONNECT.exec(message);
      if (m) return { eventType: "connection_refused", outcome: "failure", srcIp: m[2], fields: { hostname: m[1] } };
      m = BREAK_IN_REVERSE.exec(message);
      if (m) return { eventType: "break_in_attempt", srcIp: m[2], fields: { hostname: m[1] } };
      break;
    case 82: // R
      m = RECEIVED_DISCONNECT.exec(message);
      if (m) {
        // Code 3 (SSH_DISCONNECT_KEY_EXCHANGE_FAILED) with "Auth fail": a client library giving up on its credentials.
        const authFail = m[3] === "3" && m[4].endsWith("Auth fail");
        return { eventType: "disconnect", outcome: authFail ? "failure" : undefined, srcIp: m[1], srcPort: port(m[2]), fields: { code: +m[3], reason: m[4] } };
      }
      m = ROOT_REFUSED.exec(message);
      if (m) return { eventType: "root_login_refused", outcome: "failure", user: "root", srcIp: m[2], srcPort: port(m[3]) };
      if (message.startsWith("Received signal")) return { eventType: "server_stop" };
      break;
    case 68: // D
      m = DISCONNECTED.exec(message);
      if (m) return { eventType: "disconnect", user: m[1], srcIp: m[2], srcPort: port(m[3]) };
      m = NO_IDENT.exec(message);
      if (m) return { eventType: "no_identification", srcIp: m[1], srcPort: port(m[2]) };
      m = CHANGE_OF_USERNAME.exec(message);
      if (m) return { eventType: "change_of_username", outcome: "failure", user: m[1], srcIp: m[2], srcPort: port(m[3]) };
      m = TOO_MANY.exec(message);
      if (m) {
        return {
          eventType: "too_many_auth_failures",
          outcome: "failure",
          user: m[1] ?? m[2],
          srcIp: m[3],
          srcPort: port(m[4]),
        };
      }
      break;
    case 67: // C
      m = CONNECTION_CLOSED.exec(message);
      if (m) {
        return { eventType: m[1] === "closed" ? "connection_closed" : "connection_reset", user: m[2], srcIp: m[3], srcPort: port(m[4]) };
      }
      break;
    case 109: // m
    {
      const r = repeatedMessage(message);
      if (r !== undefined) {
        const inner = classifySshd(r.message) ?? classifyGeneric(r.message);
        if (inner) return { ...inner, fields: { ...inner.fields, repeated: r.count } };
        return { eventType: "other", fields: { repeated: r.count } };
      }
    }
      m = MAX_ATTEMPTS.exec(message);
      if (m) return { eventType: "too_many_auth_failures", outcome: "failure", user: m[2], srcIp: m[3], srcPort: port(m[4]) };
      break;
    case 85: // U
      m = NOT_ALLOWED.exec(message);
      if (m) return { eventType: "user_not_allowed", outcome: "failure", user: m[1], srcIp: m[2] };
      m = NOT_ALLOWED_LOCAL.exec(message);
      if (m) return { eventType: "user_not_allowed", outcome: "failure", user: m[1] };
      m = NEGOTIATE.exec(message);
      if (m) return { eventType: "negotiation_failed", outcome: "failure", srcIp: m[1], srcPort: port(m[2]) };
      break;
    case 66: // B
      m = BAD_PROTOCOL.exec(message);
      if (m) return { eventType: "bad_protocol", srcIp: m[1], srcPort: port(m[2]) };
      break;
    case 80: // P
      m = PAM_MORE.exec(message);
      if (m) {
        const { srcIp, user } = pamPeer(message);
        return { eventType: "pam_more_failures", outcome: "failure", srcIp, user, fields: { count: +m[1] } };
      }
      if (message.startsWith("PAM service(")) return { eventType: "pam_max_retries" };
      m = SSHD_PAM_ERROR_HEAD.exec(message);
      if (m) {
        const f = message.lastIndexOf(" from ");
        if (f >= m[0].length) {
          const rest = message.slice(f + 6);
          const sp = rest.indexOf(" ");
          const ip = sp < 0 ? rest : rest.slice(0, sp);
          if (ip !== "" && (sp < 0 || (rest.startsWith(" via ", sp) && rest.indexOf(" ", sp + 5) < 0))) {
            const user = message.slice(m[0].length, f);
            return { eventType: "auth_failure", outcome: "failure", user, srcIp: ip, fields: m[1] ? { reason: "user not known" } : undefined };
          }
        }
      }
      break;
    case 83: // S
      if (message.startsWith("Server listening on")) return { eventType: "server_listening" };
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
        return inner ?? (fatal ? { eventType: "sshd_error", fields: { fatal: true } } : { eventType: "sshd_error" });
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
  return {
    eventType: "sudo",
    outcome: problem ? "failure" : "success",
    user,
    fields: { targetUser: target, command, tty, pwd, ...(problem ? { problem } : {}) },
  };
}

/** Messages from any program: PAM bodies, su, sudo, login, ftpd, klogind. */
function classifyGeneric(message: string, process?: string): AuthFacts | undefined {
  const pam = PAM_PREFIX.exec(message);
  if (pam) return classifyPam(pam[1], message.slice(pam[0].length)) ?? { eventType: "other", fields: { service: pam[1] } };
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
    if (m) return { eventType: "su", outcome: "failure", user: m[2] ?? m[4] ?? m[7], fields: { targetUser: m[1] ?? m[5] ?? m[6] ?? null } };
    m = SU_OK.exec(message);
    if (m) return { eventType: "su", outcome: "success", user: m[2], fields: { targetUser: m[1] ?? null, tty: m[3] } };
  }
  m = LOGIN.exec(message);
  if (m) return { eventType: "login", outcome: "success", user: m[3] ?? (m[1] ? "root" : undefined), srcIp: m[4], fields: { tty: m[2] } };
  m = FTP_CONNECTION.exec(message);
  if (m) return { eventType: "ftp_connection", srcIp: m[1], fields: { hostname: m[2] } };
  m = AUTH_FAILED_FROM.exec(message);
  if (m) return { eventType: "auth_failure", outcome: "failure", srcIp: m[1] };
  if (message.startsWith("Couldn't authenticate user")) return { eventType: "auth_failure", outcome: "failure" };
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
 * Classify a syslog message from sshd, PAM, su, sudo, login and friends into a normalised event type
 * with its outcome, user, source IP and port (see {@link AUTH_EVENT_TYPES}). Unknown messages give
 * `{eventType: "other"}`.
 *
 * @example
 * classifyAuthMessage("sshd", "Failed password for root from 1.2.3.4 port 22 ssh2")
 * // {eventType: "failed_password", outcome: "failure", user: "root", srcIp: "1.2.3.4", srcPort: 22, ...}
 */
export function classifyAuthMessage(process: string | undefined, message: string): AuthFacts {
  const sol = solarisPrefix(message);
  if (sol > 0) message = message.slice(sol);
  if (process !== undefined && isSshd(process)) {
    const facts = classifySshd(message);
    if (facts) return facts;
  }
  return classifyGeneric(message, process) ?? { eventType: "other" };
}
