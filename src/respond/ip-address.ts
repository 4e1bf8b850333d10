import { isIP } from "node:net";
import { DataError } from "../errors";

/** A validated IP address or CIDR range, in canonical text. */
export interface ParsedIp {
  /** Canonical text: the address, or `network/prefix` for a range (IPv6 in RFC 5952 form). */
  readonly text: string;
  /** The address (for a range: its network address, host bits cleared). */
  readonly address: string;
  readonly family: 4 | 6;
  /** Prefix length for a CIDR range; undefined for a single address. */
  readonly prefix?: number;
  /**
   * The input as given, when the canonical text differs from it in more than letter case: an IPv4-mapped
   * IPv6 address (`::ffff:203.0.113.9` → `203.0.113.9`, what the firewall sees on the wire), a range with host
   * bits set (`10.1.2.3/8` → `10.0.0.0/8`), or a non-canonical IPv6 spelling (`2001:db8:0:0::1`). Undefined otherwise.
   */
  readonly normalisedFrom?: string;
}

export interface ParseIpOptions {
  /** Accept `address/prefix` ranges. Default: false (single addresses only). */
  readonly allowCidr?: boolean;
}

const IP_CHARS = /^[0-9A-Fa-f:.]+$/;
const PREFIX = /^(0|[1-9][0-9]{0,2})$/;
const MAPPED_BASE = 0xffffn << 32n;
const ALL = (1n << 128n) - 1n;

function describe(value: unknown): string {
  const s = typeof value === "string" ? value : String(value);
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + "…" : s);
}

function ipv4ToBig(text: string): bigint {
  return text.split(".").reduce((acc, o) => (acc << 8n) | BigInt(Number(o)), 0n);
}

/** 128-bit value of an IPv6 address already accepted by node:net's isIP (zone ids are rejected earlier). */
function ipv6ToBig(text: string): bigint {
  let s = text;
  let tail: bigint | undefined;
  const lastColon = s.lastIndexOf(":");
  if (s.indexOf(".", lastColon) !== -1) {
    tail = ipv4ToBig(s.slice(lastColon + 1));
    s = s.slice(0, lastColon + 1) + "0:0";
  }
  const [head, rest] = s.includes("::") ? s.split("::") : [s, undefined];
  const hs = head === "" ? [] : head.split(":");
  const rs = rest === undefined || rest === "" ? [] : rest.split(":");
  const groups = rest === undefined ? hs : [...hs, ...new Array(8 - hs.length - rs.length).fill("0"), ...rs];
  let v = groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  if (tail !== undefined) v = (v & ~0xffffffffn) | tail;
  return v;
}

function bigToIpv4(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((sh) => String((v >> sh) & 0xffn)).join(".");
}

/** RFC 5952 text: lower case, no leading zeros, the longest run (≥ 2) of zero groups as `::` (the first on a tie). */
function bigToIpv6(v: bigint): string {
  const g = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = (xs: number[]) => xs.map((x) => x.toString(16)).join(":");
  return best === -1 ? hex(g) : `${hex(g.slice(0, best))}::${hex(g.slice(best + bestLen))}`;
}

/** Mask of the host bits of a prefix in a `bits`-wide family. */
const hostMask = (prefix: number, bits: number) => (1n << BigInt(bits - prefix)) - 1n;

/**
 * Validate an IP address (or, with `allowCidr`, a CIDR range) strictly, before it is ever put into a
 * command or a file, and return its canonical form. Uses node:net's parser plus canonical checks: no
 * whitespace, no shell characters, no zone ids (`%eth0`), no leading zeros or octal/hex IPv4 forms
 * (`01.2.3.4`, `0x7f.1`), prefix in range. IPv4-mapped IPv6 (`::ffff:a.b.c.d`, RFC 4291 §2.5.5.2) becomes
 * the IPv4 address it stands for, so a block matches the packets the firewall sees; ranges get their host
 * bits cleared; IPv6 is written in RFC 5952 form. `normalisedFrom` keeps the input when it changed.
 * Throws a {@link DataError} that says what was wrong.
 *
 * @example
 * parseIp("203.0.113.7").text          // "203.0.113.7"
 * parseIp("::ffff:203.0.113.9").text   // "203.0.113.9" (normalisedFrom "::ffff:203.0.113.9")
 * parseIp("10.0.0.0/8", { allowCidr: true }).prefix // 8
 * parseIp("1.2.3.4; rm -rf /")         // throws DataError
 */
export function parseIp(value: string, options: ParseIpOptions = {}): ParsedIp {
  if (typeof value !== "string") throw new DataError(`Expected an IP address string, got ${describe(value)}`);
  const slash = value.indexOf("/");
  const address = slash === -1 ? value : value.slice(0, slash);
  const prefixText = slash === -1 ? undefined : value.slice(slash + 1);
  if (!IP_CHARS.test(address)) {
    throw new DataError(`Invalid IP address ${describe(value)}: only digits, hex letters, '.' and ':' are allowed`);
  }
  const given = isIP(address);
  if (given !== 4 && given !== 6) {
    throw new DataError(
      `Invalid IP address ${describe(value)}: expected dotted-quad IPv4 without leading zeros (e.g. 203.0.113.7) or IPv6 (e.g. 2001:db8::1)`,
    );
  }
  let prefix: number | undefined;
  if (prefixText !== undefined) {
    if (!options.allowCidr) {
      throw new DataError(`CIDR range ${describe(value)} is not allowed here; give a single address or allow CIDR ranges in the policy`);
    }
    const max = given === 4 ? 32 : 128;
    if (!PREFIX.test(prefixText) || Number(prefixText) > max) {
      throw new DataError(`Invalid CIDR prefix in ${describe(value)}: expected an integer 0–${max} without leading zeros`);
    }
    prefix = Number(prefixText);
  }
  let family: 4 | 6 = given;
  let v = given === 4 ? ipv4ToBig(address) : ipv6ToBig(address);
  if (given === 6 && v >> 32n === 0xffffn && (prefix === undefined || prefix >= 96)) {
    family = 4;
    v &= 0xffffffffn;
    if (prefix !== undefined) prefix -= 96;
  }
  const bits = family === 4 ? 32 : 128;
  if (prefix !== undefined) v &= ~hostMask(prefix, bits) & (family === 4 ? 0xffffffffn : ALL);
  const canonical = family === 4 ? bigToIpv4(v) : bigToIpv6(v);
  const text = prefix === undefined ? canonical : `${canonical}/${prefix}`;
  const parsed: ParsedIp = { text, address: canonical, family, prefix };
  return text === value.toLowerCase() ? parsed : { ...parsed, normalisedFrom: value };
}

/** An address or range as an inclusive interval in one 128-bit space (IPv4 as its IPv4-mapped IPv6 form). */
interface Span {
  readonly start: bigint;
  readonly end: bigint;
}

function spanOf(p: ParsedIp): Span {
  const bits = p.family === 4 ? 32 : 128;
  const base = p.family === 4 ? MAPPED_BASE | ipv4ToBig(p.address) : ipv6ToBig(p.address);
  const size = p.prefix === undefined ? 0n : hostMask(p.prefix, bits);
  return { start: base, end: base + size };
}

/** Number of addresses in a parsed address or range, e.g. 16777216 for 10.0.0.0/8. @example addressCount(parseIp("10.0.0.0/8", { allowCidr: true })) // 16777216n */
export function addressCount(p: ParsedIp): bigint {
  const s = spanOf(p);
  return s.end - s.start + 1n;
}

/** True when `value` passes {@link parseIp}. @example isValidIp("1.2.3.4 && x") // false */
export function isValidIp(value: string, options: ParseIpOptions = {}): boolean {
  try {
    parseIp(value, options);
    return true;
  } catch {
    return false;
  }
}

/**
 * Private, loopback, link-local, carrier-grade NAT and unique-local ranges, and the special-purpose ones no
 * attacker can send from (multicast 224/4 and ff00::/8, reserved 240/4 with the broadcast 255.255.255.255;
 * RFC 6890): never blocked unless a policy says so (a log line naming one as a source is forged or misread,
 * and a block list also used for destinations would cut multicast).
 */
export const PRIVATE_RANGES: readonly string[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "224.0.0.0/4",
  "240.0.0.0/4",
  "::1/128",
  "::/128",
  "fc00::/7",
  "fe80::/10",
  "ff00::/8",
];

/**
 * A set of CIDR ranges and addresses that answers "which entry overlaps this address or range?". Every
 * entry and query is compared as an interval in one 128-bit space, IPv4 as its IPv4-mapped IPv6 form, so
 * `128.0.0.0/1` overlaps `192.168.0.0/16`, `::/0` overlaps `10.0.0.0/8`, and `::ffff:10.0.0.1` is inside
 * `10.0.0.0/8`. A range overlaps an entry when they share at least one address (not only its first one).
 *
 * @example
 * const ranges = new IpRangeSet(["10.0.0.0/8", "192.0.2.1"]);
 * ranges.match("10.1.2.3")  // "10.0.0.0/8"
 * ranges.match("0.0.0.0/0") // "10.0.0.0/8" (the range contains it)
 */
export class IpRangeSet {
  private readonly entries: { readonly text: string; readonly span: Span }[] = [];

  constructor(ranges: readonly string[] = []) {
    for (const r of ranges) this.add(r);
  }

  /** Add an address or CIDR range; throws a DataError when it is not valid. */
  add(range: string): this {
    const p = parseIp(range, { allowCidr: true });
    this.entries.push({ text: p.text, span: spanOf(p) });
    return this;
  }

  /** The first entry sharing at least one address with `ip` (an address or a CIDR range), or undefined (also for invalid input). */
  match(ip: string): string | undefined {
    let p: ParsedIp;
    try {
      p = parseIp(ip, { allowCidr: true });
    } catch {
      return undefined;
    }
    const q = spanOf(p);
    for (const e of this.entries) if (e.span.start <= q.end && q.start <= e.span.end) return e.text;
    return undefined;
  }
}

const privateRanges = new IpRangeSet(PRIVATE_RANGES);

/**
 * The first private/internal range that shares an address with `ip` (an address or a CIDR range), or undefined.
 *
 * @example
 * privateRangeOf("192.168.1.5")  // "192.168.0.0/16"
 * privateRangeOf("128.0.0.0/1")  // "169.254.0.0/16" (the first listed range it overlaps)
 * privateRangeOf("::/0")         // "0.0.0.0/8" (IPv4 lives inside IPv6 as ::ffff:0:0/96)
 */
export function privateRangeOf(ip: string): string | undefined {
  return privateRanges.match(ip);
}
