import { describe, expect, it } from "vitest";
import { AUTH_EVENT_TYPES, classifyAuthMessage } from "../../src/ingest/auth-events";

const cases: Array<[string, string, Record<string, unknown>]> = [
  ["sshd", "Failed password for invalid user admin from 1.2.3.4 port 22 ssh2", { eventType: "failed_password", user: "admin", srcIp: "1.2.3.4", srcPort: 22, fields: { method: "password", invalidUser: true } }],
  ["sshd", "Failed publickey for git from 2001:db8::1 port 50000 ssh2: RSA SHA256:x", { eventType: "failed_publickey", srcIp: "2001:db8::1", outcome: "failure" }],
  ["sshd", "Accepted keyboard-interactive/pam for carol from 10.0.0.2 port 1 ssh2", { eventType: "accepted_keyboard_interactive", outcome: "success" }],
  ["sshd", "Invalid user test from 5.6.7.8 port 4444", { eventType: "invalid_user", user: "test", srcIp: "5.6.7.8", srcPort: 4444 }],
  ["sshd", "Connection closed by authenticating user root 9.9.9.9 port 1234 [preauth]", { eventType: "connection_closed", user: "root", srcIp: "9.9.9.9", srcPort: 1234 }],
  ["sshd", "Connection reset by 9.9.9.9 port 1234", { eventType: "connection_reset", srcIp: "9.9.9.9" }],
  ["sshd", "Disconnected from user bob 10.0.0.3 port 2222", { eventType: "disconnect", user: "bob", srcIp: "10.0.0.3" }],
  ["sshd", "Received disconnect from 1.1.1.1 port 5:11: Bye Bye [preauth]", { eventType: "disconnect", srcIp: "1.1.1.1", srcPort: 5, fields: { code: 11, reason: "Bye Bye" } }],
  ["sshd", "Disconnecting invalid user admin 1.2.3.4 port 22: Too many authentication failures [preauth]", { eventType: "too_many_auth_failures", user: "admin", srcIp: "1.2.3.4" }],
  ["sshd", "maximum authentication attempts exceeded for root from 1.2.3.4 port 22 ssh2 [preauth]", { eventType: "too_many_auth_failures", user: "root" }],
  ["sshd", "Address 1.2.3.4 maps to evil.example, but this does not map back to the address - POSSIBLE BREAK-IN ATTEMPT!", { eventType: "break_in_attempt", srcIp: "1.2.3.4" }],
  ["sshd", "message repeated 5 times: [ Failed password for root from 1.2.3.4 port 22 ssh2]", { eventType: "failed_password", fields: { repeated: 5 } }],
  ["sshd", "User eve from 1.2.3.4 not allowed because not listed in AllowUsers", { eventType: "user_not_allowed", outcome: "failure" }],
  ["sshd", "Unable to negotiate with 1.2.3.4 port 22: no matching key exchange method found.", { eventType: "negotiation_failed" }],
  ["sshd", "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root", { eventType: "auth_failure", srcIp: "1.2.3.4", user: "root" }],
  ["sshd", "pam_unix(sshd:session): session opened for user alice by (uid=0)", { eventType: "session_opened", user: "alice" }],
  ["sudo", "  alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/cat /etc/shadow", { eventType: "sudo", outcome: "success", user: "alice", fields: { targetUser: "root", command: "/bin/cat /etc/shadow" } }],
  ["sudo", "mallory : 3 incorrect password attempts ; TTY=pts/1 ; PWD=/tmp ; USER=root ; COMMAND=/bin/sh", { eventType: "sudo", outcome: "failure", user: "mallory", fields: { problem: "3 incorrect password attempts" } }],
  ["sudo", "pam_unix(sudo:session): session opened for user root(uid=0) by alice(uid=1000)", { eventType: "session_opened", user: "root", fields: { by: "alice", service: "sudo" } }],
  ["su", "(to root) alice on pts/0", { eventType: "su", outcome: "success", user: "alice", fields: { targetUser: "root" } }],
  ["su", "FAILED SU (to root) bob on pts/1", { eventType: "su", outcome: "failure", user: "bob" }],
  ["su(pam_unix)", "session opened for user news by (uid=0)", { eventType: "session_opened", user: "news" }],
  ["klogind", "Authentication failed from 163.27.187.39 (163.27.187.39): Permission denied in replay cache code", { eventType: "auth_failure", srcIp: "163.27.187.39" }],
  ["cron", "(root) CMD (run-parts /etc/cron.hourly)", { eventType: "other" }],
];

describe("classifyAuthMessage", () => {
  it.each(cases)("%s: %s", (process, message, expected) => {
    expect(classifyAuthMessage(process, message)).toMatchObject(expected);
  });
  it("documents every event type it emits", () => {
    for (const [p, m] of cases) expect(AUTH_EVENT_TYPES).toHaveProperty(classifyAuthMessage(p, m).eventType);
  });
});
