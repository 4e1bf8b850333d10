import { describe, expect, it } from "vitest";
import { DataError } from "../../src/errors";
import { IpRangeSet, isValidIp, parseIp, privateRangeOf } from "../../src/respond/ip-address";

describe("parseIp", () => {
  it("accepts canonical IPv4 and IPv6 and lower-cases IPv6", () => {
    expect(parseIp("203.0.113.7")).toEqual({ text: "203.0.113.7", address: "203.0.113.7", family: 4, prefix: undefined });
    expect(parseIp("2001:DB8::1").text).toBe("2001:db8::1");
    // IPv4-mapped IPv6 is the IPv4 address on the wire (RFC 4291 §2.5.5.2): normalised, and the input kept.
    expect(parseIp("::ffff:1.2.3.4")).toEqual({ text: "1.2.3.4", address: "1.2.3.4", family: 4, prefix: undefined, normalisedFrom: "::ffff:1.2.3.4" });
    expect(parseIp("::FFFF:1.2.3.4").text).toBe("1.2.3.4");
  });

  it.each([
    "1.2.3.4; rm -rf /",
    "1.2.3.4 && x",
    "1.2.3.4\n",
    "1.2.3.4\nnft flush ruleset",
    " 1.2.3.4",
    "$(reboot)",
    "`id`",
    "1.2.3.4|sh",
    "01.2.3.4",
    "1.2.3.010",
    "0x7f.0.0.1",
    "127.1",
    "256.1.1.1",
    "1.2.3",
    "fe80::1%eth0",
    "fe80::1%eth0;id",
    "",
    "::ffff:01.2.3.4",
  ])("rejects %j", (bad) => {
    expect(() => parseIp(bad)).toThrow(DataError);
    expect(isValidIp(bad)).toBe(false);
  });

  it("accepts CIDR only when allowed, with a strict prefix", () => {
    expect(() => parseIp("10.0.0.0/8")).toThrow(/not allowed/);
    expect(parseIp("10.0.0.0/8", { allowCidr: true }).prefix).toBe(8);
    expect(parseIp("2001:db8::/32", { allowCidr: true }).text).toBe("2001:db8::/32");
    for (const bad of ["10.0.0.0/33", "10.0.0.0/08", "10.0.0.0/", "10.0.0.0/8; id", "10.0.0.0/8/8", "::/129"]) {
      expect(() => parseIp(bad, { allowCidr: true }), bad).toThrow(DataError);
    }
  });

  it("names the problem in the message", () => {
    expect(() => parseIp("1.2.3.4; rm -rf /")).toThrow(/only digits, hex letters/);
    expect(() => parseIp("01.2.3.4")).toThrow(/without leading zeros/);
  });
});

describe("ranges", () => {
  it("finds private, loopback, CGNAT and unique-local ranges, also IPv4-mapped", () => {
    expect(privateRangeOf("10.1.2.3")).toBe("10.0.0.0/8");
    expect(privateRangeOf("172.31.255.1")).toBe("172.16.0.0/12");
    expect(privateRangeOf("172.32.0.1")).toBeUndefined();
    expect(privateRangeOf("192.168.0.9")).toBe("192.168.0.0/16");
    expect(privateRangeOf("127.0.0.1")).toBe("127.0.0.0/8");
    expect(privateRangeOf("100.64.1.1")).toBe("100.64.0.0/10");
    expect(privateRangeOf("::ffff:10.0.0.1")).toBe("10.0.0.0/8");
    expect(privateRangeOf("fd00::1")).toBe("fc00::/7");
    expect(privateRangeOf("203.0.113.7")).toBeUndefined();
    // Multicast, reserved and broadcast: no attacker sends from them (new-user trial: they were planned for blocking).
    expect(privateRangeOf("224.0.0.1")).toBe("224.0.0.0/4");
    expect(privateRangeOf("239.255.255.250")).toBe("224.0.0.0/4");
    expect(privateRangeOf("255.255.255.255")).toBe("240.0.0.0/4");
    expect(privateRangeOf("ff02::1")).toBe("ff00::/8");
    expect(privateRangeOf("223.255.255.255")).toBeUndefined();
    expect(privateRangeOf("not an ip")).toBeUndefined();
  });

  it("matches an allow-list of addresses and ranges", () => {
    const set = new IpRangeSet(["198.51.100.0/24", "192.0.2.10"]);
    expect(set.match("198.51.100.77")).toBe("198.51.100.0/24");
    expect(set.match("192.0.2.10")).toBe("192.0.2.10");
    expect(set.match("192.0.2.11")).toBeUndefined();
    expect(() => new IpRangeSet(["10.0.0.0/8 "])).toThrow(DataError);
  });
});
