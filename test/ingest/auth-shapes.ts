/**
 * sshd / PAM message shapes and their generated neighbours, shared by the tests that compare a fast path with
 * the general one (auth-fast-path.test.ts: the classifier's fast paths; line-scan.test.ts: the WebAssembly line
 * scanner): templates with user, address and port slots, hostile slot values, small variations, seeded edits.
 */

/** Candidate messages of a log line: the text after each ": " (the first few), after "]: " included. */
export function messagesOf(line: string): string[] {
  const out: string[] = [];
  let k = line.indexOf(": ");
  for (let i = 0; k >= 0 && i < 4; i++) {
    out.push(line.slice(k + 2));
    k = line.indexOf(": ", k + 1);
  }
  return out;
}

export const users = [
  "root", "", " ", "a b", "x from 9.9.9.9 port 1", "x from 9.9.9.9 port 1 ssh2", "from", "from 1.2.3.4", "invalid user bob",
  "illegal user x", "rené", "日本", "a\tb", "a\nb", "a\rb", "a\u2028b", "a\u2029b", "a\u00a0b", "user=x", "(uid=0)",
  "a(uid=5)", "a(uid=)", "port", "port 22", "[preauth]", "a:b", "by", "x by y", "user", "authenticating", "x".repeat(3000),
];
export const ips = [
  "1.2.3.4", "::1", "fe80::1%eth0", "2001:db8::1", "1:22", "host.example.com", "from", "port", "1.2.3.4:", "", "é.com",
  "a\tb", "a\u00a0b", "[preauth]", "1.2.3.4 port 9", ";user=x", "xuser=y", "1.2.3.4  user=z", "9".repeat(2000),
];
export const ports = ["22", "11", "0", "65535", "65536", "99999999", "00022", "", "1a", "999999999999999999999", "-1"];

/** Templates of the simple shapes, with U, IP and P slots. */
export const templates: ((u: string, ip: string, p: string) => string)[] = [
  (u, ip, p) => `Failed password for ${u} from ${ip} port ${p} ssh2`,
  (u, ip, p) => `Failed password for ${u} from ${ip} port ${p}`,
  (u, ip, p) => `Failed password for invalid user ${u} from ${ip} port ${p} ssh2`,
  (u, ip, p) => `Accepted password for ${u} from ${ip} port ${p} ssh2`,
  (u, ip, p) => `Accepted password for invalid user ${u} from ${ip} port ${p} ssh2`,
  (u, ip, p) => `Invalid user ${u} from ${ip}`,
  (u, ip, p) => `Invalid user ${u} from ${ip} port ${p}`,
  (u, ip, p) => `Illegal user ${u} from ${ip} port ${p}`,
  (_u, ip) => `Connection closed by ${ip} [preauth]`,
  (_u, ip) => `Connection closed by ${ip}`,
  (_u, ip, p) => `Connection closed by ${ip} port ${p} [preauth]`,
  (_u, ip, p) => `Connection reset by ${ip} port ${p}`,
  (u, ip, p) => `Connection closed by authenticating user ${u} ${ip} port ${p} [preauth]`,
  (u, ip, p) => `Connection closed by invalid user ${u} ${ip} port ${p} [preauth]`,
  (u, ip, p) => `Connection closed by user ${u} ${ip} port ${p}`,
  (u, ip) => `Received disconnect from ${ip}: 11: Bye Bye ${u} [preauth]`,
  (u, ip, p) => `Received disconnect from ${ip} port ${p}:11: disconnected by ${u}`,
  (u, ip, p) => `Received disconnect from ${ip} port ${p}: ${p}: ${u}`,
  (_u, ip) => `Received disconnect from ${ip}: 3: com.jcraft.jsch.JSchException: Auth fail [preauth]`,
  (_u, ip, p) => `Received disconnect from ${ip}: ${p}: Bye Bye [preauth]`,
  (_u, ip) => `Received disconnect from ${ip}: 11: Bye Bye [preauth]`,
  (_u, ip) => `Received disconnect from ${ip}: 11: Bye Bye`,
  (_u, ip, p) => `Received disconnect from ${ip} port ${p}:11: Bye Bye [preauth]`,
  (_u, ip, p) => `Received disconnect from ${ip} port ${p}: 11: Bye Bye`,
  (_u, ip, p) => `Received disconnect from ${ip} port ${p}:11: Bye Bye`,
  (u, ip, p) => `Received disconnect from ${ip} port ${p}:${p}: Bye Bye${u}`,
  (u, ip) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}  user=${u}`,
  (u, ip) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser=${u} rhost=${ip}`,
  (u, ip, p) => `pam_unix(${p}:auth): authentication failure; rhost=${ip} user=${u}`,
  (u, ip) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip}${u}`,
  (u, ip) => `pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=${ip} user=${u} user=${ip}`,
  (u, ip, p) => `pam_unix(sshd:auth): authentication failure; logname= uid=${p} euid=0 tty=ssh ruser= rhost=${ip}  user=${u}`,
  (u) => `pam_unix(sshd:session): session opened for user ${u} by (uid=0)`,
  (u, ip) => `pam_unix(sshd:session): session opened for user ${u} by (uid=0)${ip}`,
  (u, _ip, p) => `pam_unix(sshd:session): session opened for user ${u} by (uid=${p})`,
  (u, _ip, p) => `pam_unix(sshd:session): session opened for user ${u}(uid=${p}) by ${u}(uid=${p})`,
  (u, ip) => `pam_unix(cron:session): session opened for user ${u} by ${ip}`,
  (u) => `pam_unix(sshd:session): session closed for user ${u}`,
  (u, ip) => `pam_unix(sudo:session): session closed for user ${u} ${ip}`,
];

/** The simple lines themselves (plain slot values): the fast paths must take each of them. */
export const simple = templates.map((t) => t("root", "1.2.3.4", "22"));

/** Small variations of a line: spaces doubled or dropped one at a time, case of the first letter, suffixes. */
export function variations(m: string): string[] {
  const out = [m, m.toLowerCase(), m[0].toLowerCase() + m.slice(1), m[0].toUpperCase() + m.slice(1), " " + m];
  for (const suffix of [" ", "  ", " [preauth]", " [preauth] [preauth]", ": extra", " ssh2", " ssh", " ssh2: x", "\n", "\r", "\t", "é", " from 1.2.3.4 port 22"]) out.push(m + suffix);
  for (let i = m.indexOf(" "); i >= 0; i = m.indexOf(" ", i + 1)) {
    out.push(m.slice(0, i) + "  " + m.slice(i + 1), m.slice(0, i) + m.slice(i + 1), m.slice(0, i) + "\t" + m.slice(i + 1));
  }
  return out;
}

/** Seeded random edits of the simple lines (insert a token, delete a range, replace a character). */
export function mutations(seed: number, n: number): string[] {
  const tokens = [
    " ", "  ", " from ", "from", " port ", "port", "22", "65536", ":", ": ", " [preauth]", "[preauth]", "user ", "invalid ",
    "authenticating ", "\t", "\n", "\r", "\u2028", "é", "日", "(uid=0)", "(uid=", " by ", "rhost=", "user=", ")", "(", "ssh2", "0", "9", "_",
  ];
  let x = seed >>> 0;
  const rand = (k: number): number => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x % k;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let m = simple[rand(simple.length)];
    for (let e = 1 + rand(3); e > 0; e--) {
      const at = rand(m.length + 1);
      const op = rand(3);
      if (op === 0) m = m.slice(0, at) + tokens[rand(tokens.length)] + m.slice(at);
      else if (op === 1) m = m.slice(0, at) + m.slice(at + 1 + rand(5));
      else m = m.slice(0, at) + tokens[rand(tokens.length)][0] + m.slice(at + 1);
    }
    out.push(m);
  }
  return out;
}


/**
 * Shapes the line scanner reads that the classifier reads with its general path only (no JavaScript fast path):
 * sshd's pre-auth invalid user, PAM's unknown user, the reverse-mapping break-in warning.
 */
export const generalOnlyTemplates: ((u: string, ip: string, p: string) => string)[] = [
  (u) => `input_userauth_request: invalid user ${u} [preauth]`,
  (u, ip) => `input_userauth_request: invalid user ${u} [preauth]${ip}`,
  (u, ip) => `input_userauth_request: invalid user ${u}${ip} [preauth] [preauth]`,
  () => `pam_unix(sshd:auth): check pass; user unknown`,
  (u) => `pam_unix(sshd:auth): check pass; user unknown${u}`,
  (u, ip) => `pam_unix(${u}:auth): check pass; user unknown ${ip}`,
  (u, ip) => `reverse mapping checking getaddrinfo for ${u} [${ip}] failed - POSSIBLE BREAK-IN ATTEMPT!`,
  (u, ip) => `reverse mapping checking getaddrinfo for ${u} [${ip}] failed`,
  (u, ip, p) => `reverse mapping checking getaddrinfo for ${u} [${ip}]${p} failed`,
  (u, ip) => `reverse mapping checking getaddrinfo for ${u} ${ip}] failed`,
  (u, ip) => `reverse mapping checking getaddrinfo for ${u} [${ip}] [x] failed`,
];
