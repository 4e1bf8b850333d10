import { DataError } from "../errors";
import type { Reject } from "../events";

/**
 * Names of accounts that belong to the operating system or its services, never to a person: locking one
 * can take a host down (root, sshd) or break a service (www-data, postgres). From Debian's base-passwd
 * master files, common service packages, and the Windows built-ins. Compared ignoring case.
 */
export const SYSTEM_ACCOUNTS: readonly string[] = [
  "root", "daemon", "bin", "sys", "sync", "games", "man", "lp", "mail", "news", "uucp", "proxy", "www-data", "backup",
  "list", "irc", "gnats", "nobody", "nfsnobody", "operator", "adm", "halt", "shutdown", "ftp", "sshd", "messagebus",
  "syslog", "polkitd", "avahi", "ntp", "chrony", "postfix", "dovecot", "mysql", "postgres", "redis", "nginx", "apache",
  "httpd", "tomcat", "tss", "uuidd", "dnsmasq", "rpc", "rpcuser", "tcpdump", "usbmux", "colord", "geoclue", "pulse",
  "administrator", "guest", "system", "krbtgt", "defaultaccount", "wdagutilityaccount",
];

/** Service-account prefixes: `_apt`, `_mysql` (Debian, macOS), `systemd-network`, `systemd-resolve`, … */
const SYSTEM_PREFIXES: readonly string[] = ["_", "systemd-"];

/** Debian's `UID_MIN` (login.defs): uids below it belong to system accounts. */
export const DEFAULT_UID_MIN = 1000;

const systemNames = new Set(SYSTEM_ACCOUNTS);

/**
 * Why `user` is a system account, or undefined when it is not known to be one: a built-in system name or
 * prefix (compared ignoring case), or a known uid below `uidMin` (0 is root whatever the name).
 *
 * @example
 * systemAccountReason("Root")              // 'user Root is the system account "root"'
 * systemAccountReason("backup_ops", 998)   // "user backup_ops has uid 998 < 1000 (uidMin)"
 * systemAccountReason("alice", 1001)       // undefined
 */
export function systemAccountReason(user: string, uid?: number, uidMin: number = DEFAULT_UID_MIN): string | undefined {
  const lower = user.toLowerCase();
  if (systemNames.has(lower)) return `user ${user} is the system account ${JSON.stringify(lower)}`;
  const prefix = SYSTEM_PREFIXES.find((p) => lower.startsWith(p));
  if (prefix) return `user ${user} is a service account (name starts with ${JSON.stringify(prefix)})`;
  if (uid !== undefined && Number.isFinite(uid) && uid < uidMin) return `user ${user} has uid ${uid} < ${uidMin} (uidMin)`;
  return undefined;
}

/** A parsed passwd file: uid by user name, and the lines that were not passwd entries. */
export interface PasswdUids {
  readonly uids: Record<string, number>;
  readonly rejects: Reject[];
}

/**
 * Read the uids from `/etc/passwd`-format text (`name:x:uid:gid:gecos:home:shell`, passwd(5)), for
 * `planResponse(..., { uids })`. Comments and blank lines are skipped; other malformed lines become rejects
 * with their line number. Throws a DataError when `text` is not a string.
 *
 * @example
 * parsePasswd("root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash").uids // { root: 0, alice: 1000 }
 */
export function parsePasswd(text: string): PasswdUids {
  if (typeof text !== "string") throw new DataError(`Expected passwd file text (a string), got ${typeof text}`);
  const uids: Record<string, number> = Object.create(null);
  const rejects: Reject[] = [];
  text.split("\n").forEach((raw, i) => {
    const line = raw.replace(/\r$/, "");
    if (line.trim() === "" || line.startsWith("#")) return;
    const f = line.split(":");
    if (f.length < 7 || f[0] === "" || !/^(0|[1-9][0-9]*)$/.test(f[2])) {
      rejects.push({ lineNo: i + 1, raw, reason: "not a passwd entry (name:password:uid:gid:gecos:home:shell)" });
      return;
    }
    uids[f[0]] = Number(f[2]);
  });
  return { uids, rejects };
}
