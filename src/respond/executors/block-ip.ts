import { OptionError } from "../../errors";
import { parseIp } from "../ip-address";
import type { PlannedAction } from "../plan";
import type { Executor } from "./executor";
import { appendLineExecutor, requireOutputPath } from "./file-output";

/** Command dialect for IP blocks. */
export type FirewallFormat = "nftables" | "iptables";

export interface BlockCommandOptions {
  /** Dialect. Default: "nftables". */
  readonly format?: FirewallFormat;
  /** nftables table family and name. Default: "inet filter". */
  readonly nftTable?: string;
  /** nftables set for IPv4 addresses (IPv6 uses this name + "6"). Default: "siemlab_blocklist". */
  readonly nftSet?: string;
  /** iptables chain. Default: "INPUT". */
  readonly chain?: string;
  /** Accept CIDR ranges. Default: false. */
  readonly allowCidr?: boolean;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_-]{0,31}$/;

function checkName(key: string, v: string): string {
  if (!NAME.test(v)) throw new OptionError(`Expected \`${key}\` to be an identifier (letters, digits, _ or -, ≤ 32 chars), got ${JSON.stringify(v)}`);
  return v;
}

/**
 * The firewall command TEXT that blocks one IP (never run by siemlab). The IP is validated with a real
 * parser first; anything else (`1.2.3.4; rm -rf /`, newlines, `01.2.3.4`) throws a DataError.
 *
 * @example
 * blockIpCommand("203.0.113.7")                          // "nft add element inet filter siemlab_blocklist { 203.0.113.7 }"
 * blockIpCommand("203.0.113.7", { format: "iptables" }) // "iptables -I INPUT -s 203.0.113.7 -j DROP"
 */
export function blockIpCommand(ip: string, options: BlockCommandOptions = {}): string {
  // Every option is checked, whichever format is used, so a bad value never waits for a format switch.
  const format = options.format ?? "nftables";
  if (format !== "nftables" && format !== "iptables") {
    throw new OptionError(`Expected \`format\` to be "nftables" or "iptables", got ${JSON.stringify(format)}`);
  }
  const [family, table, ...rest] = (options.nftTable ?? "inet filter").split(" ");
  if (rest.length || !table) throw new OptionError(`Expected \`nftTable\` to be "<family> <table>", e.g. "inet filter", got ${JSON.stringify(options.nftTable)}`);
  checkName("nftTable", family);
  checkName("nftTable", table);
  const set = checkName("nftSet", options.nftSet ?? "siemlab_blocklist");
  const chain = checkName("chain", options.chain ?? "INPUT");
  const p = parseIp(ip, { allowCidr: options.allowCidr ?? false });
  if (format === "nftables") return `nft add element ${family} ${table} ${set}${p.family === 6 ? "6" : ""} { ${p.text} }`;
  return `${p.family === 6 ? "ip6tables" : "iptables"} -I ${chain} -s ${p.text} -j DROP`;
}

export interface BlockIpFileOptions extends BlockCommandOptions {
  /** File the commands (or, with `format: "blocklist"`, the bare addresses) are appended to. Required. */
  readonly path: string;
  /** Name in the audit log. Default: "<format>-file". */
  readonly name?: string;
}

/**
 * Block-IP executor that appends the firewall command for each blocked IP to a script file for the
 * analyst to review and apply with their own tooling. siemlab never runs it.
 *
 * @example
 * blockIpCommandFile({ path: "out/block.nft", format: "nftables" })
 */
export function blockIpCommandFile(options: BlockIpFileOptions): Executor {
  const file = requireOutputPath(options?.path, "path", "the file block commands are appended to", '{ path: "out/block.nft" }');
  blockIpCommand("192.0.2.1", options); // validates the options now, not at execution time
  return appendLineExecutor({
    name: options.name ?? `${options.format ?? "nftables"}-file`,
    kind: "block_ip",
    path: file,
    render: (a: PlannedAction) => blockIpCommand(a.target, options),
  });
}

/**
 * Block-IP executor that appends each validated address to a plain blocklist file (one a line), the
 * format most firewalls and proxies can import.
 *
 * @example
 * blocklistFile({ path: "out/blocklist.txt" })
 */
export function blocklistFile(options: { readonly path: string; readonly allowCidr?: boolean; readonly name?: string }): Executor {
  const file = requireOutputPath(options?.path, "path", "the blocklist file", '{ path: "out/blocklist.txt" }');
  return appendLineExecutor({
    name: options.name ?? "blocklist-file",
    kind: "block_ip",
    path: file,
    render: (a: PlannedAction) => parseIp(a.target, { allowCidr: options.allowCidr ?? false }).text,
    detail: (line) => `appended ${line} to ${file}`,
  });
}
