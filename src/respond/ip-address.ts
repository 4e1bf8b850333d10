import { BlockList, isIP } from "node:net";
import { DataError } from "../errors";

/** A validated IP address or CIDR range, in canonical lower-case text. */
export interface ParsedIp {
  /** Canonical text: the address, or `address/prefix` for a range. */
  readonly text: string;
  readonly address: string;
  readonly family: 4 | 6;
  /** Prefix length for a CIDR range; undefined for a single address. */
  readonly prefix?: number;
}

export interface ParseIpOptions {
  /** Accept `address/prefix` ranges. Default: false (single addresses only). */
  readonly allowCidr?: boolean;
}

const IP_CHARS = /^[0-9A-Fa-f:.]+$/;
const PREFIX = /^(0|[1-9][0-9]{0,2})$/;

function describe(value: unknown): string {
  const s = typeof value === "string" ? value : String(value);
  return JSON.stringify(s.length > 80 ? s.slice(0, 80) + "…" : s);
}

/**
 * Validate an IP address (or, with `allowCidr`, a CIDR range) strictly, before it is ever put into a
 * command or a file. Uses node:net's parser plus canonical checks: no whitespace, no shell characters,
 * no zone ids (`%eth0`), no leading zeros or octal/hex IPv4 forms (`01.2.3.4`, `0x7f.1`), prefix in range.
 * Throws a {@link DataError} that says what was wrong.
 *
 * @example
 * parseIp("203.0.113.7").text          // "203.0.113.7"
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
  const family = isIP(address);
  if (family !== 4 && family !== 6) {
    throw new DataError(
      `Invalid IP address ${describe(value)}: expected dotted-quad IPv4 without leading zeros (e.g. 203.0.113.7) or IPv6 (e.g. 2001:db8::1)`,
    );
  }
  let prefix: number | undefined;
  if (prefixText !== undefined) {
    if (!options.allowCidr) {
      throw new DataError(`CIDR range ${describe(value)} is not allowed here; give a single address or allow CIDR ranges in the policy`);
    }
    const max = family === 4 ? 32 : 128;
    if (!PREFIX.test(prefixText) || Number(prefixText) > max) {
      throw new DataError(`Invalid CIDR prefix in ${describe(value)}: expected an integer 0–${max} without leading zeros`);
    }
    prefix = Number(prefixText);
  }
  const canonical = address.toLowerCase();
  return { text: prefix === undefined ? canonical : `${canonical}/${prefix}`, address: canonical, family, prefix };
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

/** Private, loopback, link-local, carrier-grade NAT and unique-local ranges: never blocked unless a policy says so. */
export const PRIVATE_RANGES: readonly string[] = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "::1/128",
  "::/128",
  "fc00::/7",
  "fe80::/10",
];

/**
 * A set of CIDR ranges and addresses that answers "which range contains this IP?" (IPv4-mapped IPv6
 * addresses match their IPv4 ranges).
 *
 * @example
 * const ranges = new IpRangeSet(["10.0.0.0/8", "192.0.2.1"]);
 * ranges.match("10.1.2.3") // "10.0.0.0/8"
 */
export class IpRangeSet {
  private readonly entries: { readonly text: string; readonly list: BlockList }[] = [];

  constructor(ranges: readonly string[] = []) {
    for (const r of ranges) this.add(r);
  }

  /** Add an address or CIDR range; throws a DataError when it is not valid. */
  add(range: string): this {
    const p = parseIp(range, { allowCidr: true });
    const list = new BlockList();
    const type = p.family === 4 ? "ipv4" : "ipv6";
    if (p.prefix === undefined) list.addAddress(p.address, type);
    else list.addSubnet(p.address, p.prefix, type);
    this.entries.push({ text: p.text, list });
    return this;
  }

  /** The first range containing `ip`, or undefined (also for an invalid IP). */
  match(ip: string): string | undefined {
    let p: ParsedIp;
    try {
      p = parseIp(ip, { allowCidr: true });
    } catch {
      return undefined;
    }
    const type = p.family === 4 ? "ipv4" : "ipv6";
    for (const e of this.entries) if (e.list.check(p.address, type)) return e.text;
    return undefined;
  }
}

const privateRanges = new IpRangeSet(PRIVATE_RANGES);

/** The private/internal range containing `ip`, or undefined. @example privateRangeOf("192.168.1.5") // "192.168.0.0/16" */
export function privateRangeOf(ip: string): string | undefined {
  return privateRanges.match(ip);
}
