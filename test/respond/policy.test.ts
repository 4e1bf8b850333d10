import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { OptionError } from "../../src/errors";
import { PolicyError, loadPolicy, selectTier, validatePolicy } from "../../src/respond/policy";
import { POLICY, finding } from "./helpers";

const base = { name: "p", tiers: [{ name: "high", when: { minAnomalyScore: 90 }, actions: ["alert"] }] };

function issuesOf(value: unknown): readonly string[] {
  try {
    validatePolicy(value);
  } catch (e) {
    expect(e).toBeInstanceOf(PolicyError);
    expect(e).toBeInstanceOf(OptionError);
    return (e as PolicyError).issues;
  }
  throw new Error("expected the policy to be rejected");
}

describe("validatePolicy", () => {
  it("accepts the example policies in data/policy", () => {
    expect(loadPolicy("data/policy/default.json").tiers.map((t) => t.name)).toEqual(["high", "medium", "low"]);
    expect(loadPolicy("data/policy/strict.json").blockPrivateRanges).toBe(true);
  });

  it("points at the JSON path of an unknown action and suggests the fix", () => {
    const bad = { ...base, tiers: [base.tiers[0], base.tiers[0], { name: "x", when: {}, actions: ["alert", "blok"] }] };
    const issues = issuesOf(bad);
    expect(issues).toContain('tiers[1].name: duplicate tier name "high"; tier names must be unique');
    expect(issues).toContain(
      'tiers[2].actions[1]: unknown action "blok"; expected one of log, alert, block_ip, lock_user, open_ticket (did you mean "block_ip"?)',
    );
  });

  it("reports every problem at once", () => {
    const issues = issuesOf({
      name: "",
      tierz: [],
      tiers: [{ name: "a", when: { minAnomalyScore: 120, minAgreeing: 0, entityTypes: ["ipv4"] }, actions: "alert" }],
      allowList: { ips: ["10.0.0.0/8", "1.2.3.4; id"], users: ["ok", "bad user"] },
      dedupWindowSeconds: -1,
    });
    expect(issues).toEqual([
      'tierz: unknown key; expected one of name, description, tiers, allowList, blockPrivateRanges, allowCidrBlocks, blockRelatedIps, lockRelatedUsers, dedupWindowSeconds, dryRun, minCidrPrefix, lockableSystemAccounts, uidMin (did you mean "tiers"?)',
      'name: expected a non-empty string, got ""',
      "dedupWindowSeconds: expected a number of seconds ≥ 0, got -1",
      "tiers[0].when.minAnomalyScore: expected a number in [0, 100], got 120",
      "tiers[0].when.minAgreeing: expected an integer ≥ 1, got 0",
      'tiers[0].when.entityTypes[0]: unknown entity type "ipv4"; expected one of ip, user, host',
      'tiers[0].actions: expected an array of actions (log, alert, block_ip, lock_user, open_ticket), got "alert"',
      expect.stringMatching(/^allowList\.ips\[1\]: Invalid IP address "1\.2\.3\.4; id"/),
      'allowList.users[1]: expected a username (letters, digits, _ . @ -), got "bad user"',
    ]);
  });

  it("names the key that replaced a renamed one (maxScore → maxDecision)", () => {
    expect(issuesOf({ name: "p", tiers: [{ name: "low", when: { maxScore: 0 }, actions: ["log"] }] })).toEqual([
      "tiers[0].when.maxScore: was renamed to `maxDecision` (same meaning); rename the key in the policy file",
    ]);
    const p = validatePolicy({ name: "p", tiers: [{ name: "low", when: { maxDecision: 0 }, actions: ["log"] }] });
    expect(selectTier(finding({ anomalyScore: 55, decision: -0.01, detectors: ["iforest"] }), p)?.name).toBe("low");
    expect(selectTier(finding({ anomalyScore: 45, decision: 0.01, detectors: ["iforest"] }), p)).toBeUndefined();
  });

  it("rejects non-objects and empty tiers, naming the file", () => {
    expect(() => validatePolicy(null)).toThrow(/\(root\): expected an object/);
    expect(issuesOf({ name: "p", tiers: [] })).toEqual(["tiers: expected a non-empty array of tiers, got []"]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siemlab-policy-"));
    const file = path.join(dir, "p.json");
    fs.writeFileSync(file, JSON.stringify({ name: "p", tiers: [{ name: "t", when: {}, actions: ["lock"] }] }));
    expect(() => loadPolicy(file)).toThrow(`Invalid response policy in ${file} (1 problem)`);
    fs.writeFileSync(file, "{ not json");
    expect(() => loadPolicy(file)).toThrow(/is not valid JSON/);
    expect(() => loadPolicy(path.join(dir, "missing.json"))).toThrow(/Cannot read policy file/);
  });
});

describe("selectTier", () => {
  it("picks the first tier whose conditions all hold", () => {
    expect(selectTier(finding({ anomalyScore: 95 }), POLICY)?.name).toBe("high");
    // A strong anomaly seen by one detector only is not "high".
    expect(selectTier(finding({ anomalyScore: 95, detectors: ["iforest"] }), POLICY)?.name).toBe("medium");
    expect(selectTier(finding({ anomalyScore: 60, decision: -0.01, detectors: ["iforest"] }), POLICY)?.name).toBe("low");
    // Flagged by a secondary rule only (primary decision ≥ 0): no tier.
    expect(selectTier(finding({ anomalyScore: 45, decision: 0.02, detectors: ["rule"] }), POLICY)).toBeUndefined();
  });

  it("honours entity types", () => {
    const p = validatePolicy({ name: "p", tiers: [{ name: "users", when: { entityTypes: ["user"] }, actions: ["alert"] }] });
    expect(selectTier(finding({ entityType: "user", entity: "alice" }), p)?.name).toBe("users");
    expect(selectTier(finding(), p)).toBeUndefined();
  });
});
