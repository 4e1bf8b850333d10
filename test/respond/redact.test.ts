import { describe, expect, it } from "vitest";
import { Redactor } from "../../src/respond/redact";

describe("Redactor", () => {
  it("removes credentials, tokens and keys", () => {
    const r = new Redactor({ entities: false, secrets: ["my-configured-secret"] });
    const cases: [string, string][] = [
      ["login password=hunter2 ok", "login password=[REDACTED] ok"],
      ['{"api_key": "abc123xyz"}', '{"api_key": [REDACTED]}'],
      ["GET /?user=x&token=t0k3n&x=1", "GET /?user=x&token=[REDACTED]&x=1"],
      ["Authorization: Bearer abcdefghijkl", "Authorization: Bearer [REDACTED]"],
      ["key sk-proj-ABCDEFGHIJKLMNOPQRST used", "key [REDACTED_KEY] used"],
      ["aws AKIAIOSFODNN7EXAMPLE", "aws [REDACTED_KEY]"],
      ["https://bob:pw@example.com/x", "https://[REDACTED]@example.com/x"],
      ["jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig_part", "jwt [REDACTED_JWT]"],
      ["value my-configured-secret here", "value [REDACTED] here"],
      ["-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "[REDACTED_PRIVATE_KEY]"],
      ["Failed password for alice from 1.2.3.4", "Failed password for alice from 1.2.3.4"],
    ];
    for (const [input, expected] of cases) expect(r.redact(input), input).toBe(expected);
  });

  it("replaces IPs and usernames with stable placeholders and restores them", () => {
    const r = new Redactor({ users: ["alice", "root"] });
    expect(r.redact("Failed password for alice from 203.0.113.7 port 22")).toBe("Failed password for USER_1 from IP_1 port 22");
    expect(r.redact("root from 203.0.113.7 and 10.0.0.1:22 and 2001:DB8::7. alice")).toBe("USER_2 from IP_1 and IP_3:22 and IP_2. USER_1");
    expect(r.redact("at 08:00:00 the rooted host aliceX")).toBe("at 08:00:00 the rooted host aliceX");
    expect(r.placeholders).toEqual(["IP_1", "USER_1", "IP_2", "IP_3", "USER_2"]);
    expect(r.restore("Block IP_1, lock USER_1; IP_9 unknown")).toBe("Block 203.0.113.7, lock alice; IP_9 unknown");
    expect(r.stats).toEqual({ user: 3, ip: 4 });
  });

  it("redacts values deep inside objects but not keys", () => {
    const r = new Redactor({ users: ["alice"] });
    expect(r.redactDeep({ users: ["alice"], n: 3, msg: { m: "password: pw1 by alice" } })).toEqual({
      users: ["USER_1"], n: 3, msg: { m: "password: [REDACTED] by USER_1" },
    });
  });
});
