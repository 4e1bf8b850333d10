import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DataError, OptionError } from "../../../src/errors";
import { blockIpCommand, blockIpCommandFile, blocklistFile } from "../../../src/respond/executors/block-ip";
import { planResponse } from "../../../src/respond/plan";
import type { PlannedAction } from "../../../src/respond/plan";
import { POLICY, finding } from "../helpers";

const block = planResponse([finding()], POLICY).find((a) => a.kind === "block_ip")!;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-block-"));

describe("blockIpCommand", () => {
  it("renders nftables and iptables commands for IPv4 and IPv6", () => {
    expect(blockIpCommand("203.0.113.7")).toBe("nft add element inet filter siemlab_blocklist { 203.0.113.7 }");
    expect(blockIpCommand("2001:DB8::7")).toBe("nft add element inet filter siemlab_blocklist6 { 2001:db8::7 }");
    expect(blockIpCommand("203.0.113.7", { format: "iptables" })).toBe("iptables -I INPUT -s 203.0.113.7 -j DROP");
    expect(blockIpCommand("2001:db8::7", { format: "iptables", chain: "SIEMLAB" })).toBe("ip6tables -I SIEMLAB -s 2001:db8::7 -j DROP");
    expect(blockIpCommand("203.0.113.0/24", { allowCidr: true, nftTable: "ip fw", nftSet: "bad_hosts" })).toBe("nft add element ip fw bad_hosts { 203.0.113.0/24 }");
  });

  it.each(["1.2.3.4; rm -rf /", "1.2.3.4 && x", "1.2.3.4\nnft flush ruleset", "01.2.3.4", "203.0.113.0/24", "$(id)"])(
    "produces no text for %j",
    (bad) => {
      expect(() => blockIpCommand(bad)).toThrow(DataError);
      expect(() => blockIpCommand(bad, { format: "iptables" })).toThrow(DataError);
    },
  );

  it("validates table, set and chain names", () => {
    expect(() => blockIpCommand("1.2.3.4", { chain: "INPUT; id" })).toThrow(OptionError);
    expect(() => blockIpCommand("1.2.3.4", { nftSet: "x y" })).toThrow(OptionError);
    expect(() => blockIpCommand("1.2.3.4", { nftTable: "inet filter extra" })).toThrow(OptionError);
  });
});

describe("block-IP file executors", () => {
  it("append the command or the address to a file", async () => {
    const dir = tmp();
    const nft = blockIpCommandFile({ path: path.join(dir, "block.nft") });
    expect(nft.render(block)).toBe("nft add element inet filter siemlab_blocklist { 203.0.113.7 }");
    expect((await nft.execute(block)).ok).toBe(true);
    const list = blocklistFile({ path: path.join(dir, "blocklist.txt") });
    await list.execute(block);
    expect(fs.readFileSync(path.join(dir, "block.nft"), "utf8")).toBe("nft add element inet filter siemlab_blocklist { 203.0.113.7 }\n");
    expect(fs.readFileSync(path.join(dir, "blocklist.txt"), "utf8")).toBe("203.0.113.7\n");
  });

  it("refuse a hostile target at execution time too (defence in depth) and write nothing", async () => {
    const dir = tmp();
    const file = path.join(dir, "block.nft");
    const evil: PlannedAction = { ...block, target: "1.2.3.4; rm -rf /" };
    const out = await blockIpCommandFile({ path: file }).execute(evil);
    expect(out.ok).toBe(false);
    expect(out.error).toMatch(/Invalid IP address/);
    expect(fs.existsSync(file)).toBe(false);
  });
});
