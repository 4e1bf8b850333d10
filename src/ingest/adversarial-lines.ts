import { OptionError } from "../errors";

/** One crafted line aimed at one classifier, with what it must still parse to. */
export interface AdversarialLine {
  /** The classifier (or header part) the line aims at. */
  readonly classifier: string;
  /** Format to parse it with. */
  readonly format: "rfc3164" | "rfc5424" | "tutorial" | "combined";
  readonly line: string;
  /** The event type it must parse to, null when it must be a reject, "*" for any event (not a reject). */
  readonly eventType: string | null;
  /** The source address it must give (undefined: none expected). */
  readonly srcIp?: string;
}

const HEAD = "Mar 10 18:59:01 h1 sshd[100]: ";

/**
 * Long crafted lines, one or more per classifier on the parse path, built from the strings a ReDoS analyser
 * pumps (repeated ` from `, ` ; USER=U ; COMMAND=`, `:`, spaces, brackets…) so that a backtracking regex
 * would take quadratic or worse time on them. Each line says what it must parse to; the parser must read it
 * in time linear in its length (the test checks the results, `npm run bench -- adversarial` times them).
 * Any local user can write such a line to syslog with `logger -t sshd` or `logger -t sudo`.
 *
 * @example
 * adversarialLines(10_000).length // one entry per classifier shape, each line ~10,000 characters
 */
export function adversarialLines(length = 50_000): AdversarialLine[] {
  if (!Number.isInteger(length) || length < 100) throw new OptionError(`Expected \`length\` to be an integer ≥ 100, got ${String(length)}`);
  const rep = (s: string) => s.repeat(Math.max(1, Math.floor(length / s.length)));
  const sshd = (classifier: string, msg: string, eventType: string, srcIp?: string): AdversarialLine => ({
    classifier, format: "rfc3164", line: HEAD + msg, eventType, srcIp,
  });
  const lines: AdversarialLine[] = [
    // U+2028 is a line terminator to a regex (`.` stops there) but not to a log reader: `(.*)$` fails on it.
    { classifier: "sudo", format: "rfc3164", line: "Mar 10 18:59:01 h1 sudo: N : TTY= ; PWD=" + rep(" ; USER=U ; COMMAND=") + "\u2028", eventType: "sudo" },
    { classifier: "sudo (no COMMAND)", format: "rfc3164", line: "Mar 10 18:59:01 h1 sudo: N : " + rep("TTY=x ; PWD=y ; USER=z ; "), eventType: "other" },
    sshd("failed/accepted (many ' from ')", "Failed password for " + rep("x from ") + "y z", "other"),
    sshd("failed/accepted (many ' from ' then a valid tail)", "Failed password for " + rep("x from ") + "192.0.2.1 port 22 ssh2", "failed_password", "192.0.2.1"),
    sshd("failed/accepted (long detail)", "Failed publickey for u from 192.0.2.2 port 22 ssh2: " + rep(": a b"), "failed_publickey", "192.0.2.2"),
    sshd("failed/accepted (long method)", "Failed " + rep("a") + " for u from 192.0.2.3 port 1 ssh2", "failed_" + "a".repeat(32), "192.0.2.3"),
    sshd("invalid user", "Invalid user " + rep("a from ") + "b c", "other"),
    sshd("invalid user (valid tail)", "Invalid user " + rep("a from ") + "192.0.2.4 port 4", "invalid_user", "192.0.2.4"),
    sshd("input_userauth_request", "input_userauth_request: invalid user " + rep(" [preauth]") + "x", "other"),
    sshd("break-in reverse mapping", "reverse mapping checking getaddrinfo for " + rep("a [b] ") + "x", "other"),
    sshd("break-in address", "Address " + rep("a maps to b, ") + "x", "other"),
    sshd("received disconnect", "Received disconnect from " + rep("1:") + " x", "disconnect"),
    sshd("received disconnect (IPv6-ish)", "Received disconnect from " + rep("a:1 port 1:") + "\u0001", "other"),
    sshd("disconnected from", "Disconnected from user " + rep("a ") + "b", "other"),
    sshd("connection closed", "Connection closed by " + rep("authenticating user a ") + "x y", "connection_closed", "y"),
    sshd("no identification", "Did not receive identification string from " + rep("a port 1") + " x", "other"),
    sshd("too many failures", "Disconnecting " + rep("user a ") + "x", "other"),
    sshd("too many failures (old form)", "Disconnecting: Too many authentication failures for " + rep("a"), "too_many_auth_failures"),
    sshd("change of username", "Disconnecting invalid user a " + rep("b port 1: ") + "x", "other"),
    sshd("maximum attempts", "maximum authentication attempts exceeded for " + rep("a from b port 1 ") + "x", "too_many_auth_failures", "b"),
    sshd("not allowed", "User " + rep("a from b ") + "x", "other"),
    sshd("bad protocol", "Bad protocol version identification " + rep("from a ") + "x y", "other"),
    sshd("negotiate", "Unable to negotiate with " + rep("a port 1") + "x", "other"),
    sshd("root login refused", "ROOT LOGIN REFUSED FROM " + rep("a port 1 ") + "x", "other"),
    sshd("tcp_wrappers", "refused connect from " + rep("a (b) ") + "x", "connection_refused", "b"),
    sshd("PAM error via sshd", "error: PAM: Authentication failure for " + rep("a from b via c ") + "x y", "sshd_error"),
    sshd("PAM error via sshd (valid tail)", "error: PAM: Authentication failure for " + rep("a from ") + "192.0.2.5", "auth_failure", "192.0.2.5"),
    sshd("PAM N more", "PAM 2 more authentication failures; " + rep("rhost=a user=b "), "pam_more_failures", "a"),
    sshd("pam_unix prefix and rhost", "pam_unix(sshd:auth): authentication failure; " + rep("rhost= user= "), "auth_failure"),
    sshd("pam_unix prefix (unclosed)", "pam_unix(" + rep("a:b(") + "x", "other"),
    sshd("session opened", "pam_unix(sshd:session): session opened for user " + rep("a(uid=1) by ") + "x y", "other"),
    sshd("rsyslog fold", "message repeated 2 times: [ " + rep("[ ] ") + "x", "other"),
    sshd("rsyslog fold (valid)", "message repeated 2 times: [ Failed password for " + rep("x from ") + "192.0.2.6 port 6 ssh2]", "failed_password", "192.0.2.6"),
    sshd("Solaris prefix", "[ID " + rep("1 a.b ") + "x", "other"),
    sshd("error:/fatal: nesting", rep("error: fatal: ") + "x", "sshd_error"),
    { classifier: "su", format: "rfc3164", line: "Mar 10 18:59:01 h1 su: " + rep("(to a) b on ") + "x", eventType: "su" },
    { classifier: "su (failed)", format: "rfc3164", line: "Mar 10 18:59:01 h1 su: FAILED SU (to a) " + rep("b on ") + "x", eventType: "su" },
    { classifier: "login", format: "rfc3164", line: "Mar 10 18:59:01 h1 login: LOGIN ON " + rep("a BY b FROM c ") + "x", eventType: "login" },
    { classifier: "ftp", format: "rfc3164", line: "Mar 10 18:59:01 h1 ftpd: connection from " + rep("a (b ") + "x", eventType: "other" },
    { classifier: "syslog header (tag)", format: "rfc3164", line: "Mar 10 18:59:01 h1 " + rep("a[1][") + ": x", eventType: "other" },
    { classifier: "syslog header (stamp)", format: "rfc3164", line: "Mar 10 18:59:01." + rep("9") + " h1 a: x", eventType: null },
    { classifier: "syslog header (ISO stamp)", format: "rfc3164", line: "2025-03-06T08:00:00." + rep("1") + "+01:00 h1 a: x", eventType: "other" },
    { classifier: "rfc5424 header", format: "rfc5424", line: "<38>1 2024-01-02T03:04:05Z h a 1 - " + rep("[a b=\"c\"]") + " x", eventType: "other" },
    { classifier: "tutorial", format: "tutorial", line: "2025-03-06 08:00:00, INFO, " + rep(", user: a") + " b c", eventType: null },
    { classifier: "tutorial (valid)", format: "tutorial", line: "2025-03-06 08:00:00, INFO, " + rep(", user: a") + ", user: bob", eventType: "other" },
    { classifier: "access log", format: "combined", line: '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "' + rep('\\"') + '" 200 123', eventType: "http_request" },
    { classifier: "access log (referrer, agent)", format: "combined", line: '1.2.3.4 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 123 "' + rep('a\\" "') + '"', eventType: "http_request" },
  ];
  // Every syslog line again with a U+2028 before its end: where a regex ends in `(.*)$` it now fails there.
  const terminated = lines
    .filter((l) => l.format === "rfc3164" && l.eventType !== null)
    .map((l): AdversarialLine => ({ ...l, classifier: `${l.classifier} + U+2028`, line: l.line + "\u2028x", eventType: "*", srcIp: undefined }));
  return [...lines, ...terminated];
}
