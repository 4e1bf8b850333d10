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
    expect(r.redact("root from 203.0.113.7 and 10.0.0.1:22 and 2001:DB8::7. alice")).toBe("USER_2 from IP_1 and IP_2:22 and IP_3. USER_1");
    expect(r.redact("at 08:00:00 the rooted host aliceX")).toBe("at 08:00:00 the rooted host aliceX");
    // Numbered in the order they first occur in the text.
    expect(r.placeholders).toEqual(["USER_1", "IP_1", "USER_2", "IP_2", "IP_3"]);
    expect(r.restore("Block IP_1, lock USER_1; IP_9 unknown")).toBe("Block 203.0.113.7, lock alice; IP_9 unknown");
    expect(r.stats).toEqual({ user: 3, ip: 4 });
  });

  it("redacts values deep inside objects but not keys", () => {
    const r = new Redactor({ users: ["alice"] });
    expect(r.redactDeep({ users: ["alice"], n: 3, msg: { m: "password: pw1 by alice" } })).toEqual({
      users: ["USER_1"], n: 3, msg: { m: "password: [REDACTED] by USER_1" },
    });
  });

  // New-user trial T11: IPs were replaced before user names, so a name holding an address went out as
  // "alice@IP_2", and a user named IP_1 rewrote the placeholder of the attacker's address.
  describe("one pass over the text as it came (names holding addresses, placeholder-shaped names)", () => {
    const names = [
      "alice@10.0.0.5", "carol-192.168.0.1", "dave 1.2.3.4", "eve@2001:db8::5", "frank.10.1.1.1", "[2001:db8::9]",
      "198.51.100.9", "IP_1", "USER_1", "TEXT_1", "ip_2", "bob", "bob.smith",
    ];

    it("replaces each whole name with one placeholder, whatever it contains", () => {
      const r = new Redactor({ users: names, addresses: ["203.0.113.66"] });
      const sent = names.map((n) => r.redact(`Failed password for invalid user ${n} from 203.0.113.66 port 22 ssh2`));
      for (const s of sent) expect(s).toMatch(/^Failed password for invalid user (?:USER|IP)_\d+ from IP_1 port 22 ssh2$/);
      // No part of any name is left: no address, no letters of a name.
      for (const part of ["10.0.0.5", "192.168", "1.2.3.4", "2001", "db8", "alice", "carol", "dave", "eve", "frank", "bob", "smith", "ip_2", "TEXT_1", "198.51"]) {
        expect(sent.join("\n")).not.toContain(part);
      }
      // Every name maps back to exactly itself, and the address stays an address.
      const placeholderOf = sent.map((s) => /user (\S+) from/.exec(s)![1]);
      expect(placeholderOf.map((p) => r.restore(p))).toEqual(names);
      expect(new Set(placeholderOf).size).toBe(names.length);
      expect(r.restore("IP_1")).toBe("203.0.113.66");
      // A name equal to an address is redacted as an address (one placeholder for that text everywhere).
      expect(placeholderOf[names.indexOf("198.51.100.9")]).toMatch(/^IP_\d+$/);
      expect(r.redact("from 198.51.100.9")).toBe(`from ${placeholderOf[names.indexOf("198.51.100.9")]}`);
    });

    it("an attacker's user named IP_1 or USER_1 cannot take over the address's placeholder", () => {
      const r = new Redactor({ users: ["IP_1", "USER_1"], addresses: ["203.0.113.66"] });
      expect(r.redact("203.0.113.66")).toBe("IP_1");
      expect(r.redact("IP_1")).toBe("USER_1");
      expect(r.redact("USER_1")).toBe("USER_2");
      expect(r.redact("invalid user IP_1 from 203.0.113.66; invalid user USER_1 from 203.0.113.66")).toBe(
        "invalid user USER_1 from IP_1; invalid user USER_2 from IP_1",
      );
      expect(r.restore("IP_1 made 7 failed login attempts against USER_1 and USER_2.")).toBe(
        "203.0.113.66 made 7 failed login attempts against IP_1 and USER_1.",
      );
    });

    it("escapes placeholder-shaped log text (any case) into placeholders of its own, restored as the text it was", () => {
      const r = new Redactor({ users: ["alice"] });
      const out = r.redact("alice from 203.0.113.7 says IP_1 is safe, user_1 too; TEXT_1 and IP_42 and IP_1x stay words");
      expect(out).toBe("USER_1 from IP_1 says TEXT_1 is safe, TEXT_2 too; TEXT_3 and TEXT_4 and IP_1x stay words");
      expect(r.restore(out)).toBe("alice from 203.0.113.7 says IP_1 is safe, user_1 too; TEXT_1 and IP_42 and IP_1x stay words");
      // Placeholders this redactor did not make stay as they are.
      expect(r.restore("IP_2 USER_9 TEXT_99")).toBe("IP_2 USER_9 TEXT_99");
      expect(r.stats).toEqual({ user: 1, ip: 1, "placeholder-like text": 4 });
    });

    it("the longest known name wins where names overlap; markers of removed secrets stay", () => {
      const r = new Redactor({ users: ["bob", "bob.smith", "REDACTED", "svc-token=abc"] });
      // "bob.smithy" is not known: its "bob" part is hidden (more rather than less).
      expect(r.redact("bob.smith then bob then bob.smithy")).toBe("USER_1 then USER_2 then USER_2.smithy");
      expect(r.redact("password=hunter2 by REDACTED")).toBe("password=[REDACTED] by USER_3");
      // A name the secret rules change is sent (and restored) as they leave it: the secret never goes out,
      // and no part of the name is left in clear.
      const s = r.redact("invalid user svc-token=abc from 10.0.0.1");
      expect(s).toBe("invalid user USER_4 from IP_1");
      expect(r.restore("USER_4")).toBe("svc-token=[REDACTED]");
    });

    it("maps case variants of an IPv6 address back exactly as each was written", () => {
      const r = new Redactor();
      expect(r.redact("2001:DB8::7 and 2001:db8::7")).toBe("IP_1 and IP_2");
      expect(r.restore("IP_1 / IP_2")).toBe("2001:DB8::7 / 2001:db8::7");
    });
  });
});

