import { describe, expect, it } from "vitest";
import { textTable } from "../../src/charts/table";
import { compareRulesWithDetectors, formatPrecision, loadSigmaRules } from "../../src/rules/index";

describe("compareRulesWithDetectors on the simulator's labelled day", () => {
  const cmp = compareRulesWithDetectors({ rules: loadSigmaRules("data/rules"), detectors: ["robust-zscore", "iforest"], seed: 42 });
  const row = (n: string) => cmp.rows.find((r) => r.name === n)!;

  it("lists every alerting rule and detector, with labelled cells", () => {
    expect(cmp.rows.map((r) => r.name)).toContain("sigma:ssh_brute_force");
    expect(cmp.rows.map((r) => r.name)).not.toContain("sigma:ssh_failed_password"); // feeds a correlation
    expect(cmp.rows.filter((r) => r.kind === "detector").map((r) => r.name)).toEqual(["robust-zscore", "iforest"]);
    expect(cmp.attackCells).toBeGreaterThan(0);
    expect(cmp.attackCells).toBeLessThan(cmp.cells);
    expect(cmp.days).toBe(0.5);
  });

  it("each attack rule catches its attack with no false positives on the benign traffic", () => {
    for (const [rule, kind] of [
      ["sigma:ssh_brute_force", "brute_force"],
      ["sigma:ssh_password_spraying", "password_spraying"],
      ["sigma:web_request_flood", "request_flood"],
      ["sigma:web_repeated_large_downloads", "exfiltration"],
    ] as const) {
      const r = row(rule);
      expect(r.precision, rule).toBe(1);
      expect(r.recallByKind[kind], rule).toBeGreaterThan(0.3);
      expect(r.timeToFirstAlert[kind], rule).not.toBeNull();
    }
    expect(row("sigma:web_scanner_user_agent").alerts).toBe(0); // no scanner in the simulated day
  });

  it("a rule that never fired has no precision (0/0): null in the row and its JSON, \"—\" as text, never 0", () => {
    const never = row("sigma:web_scanner_user_agent");
    expect([never.alerts, never.flaggedCells, never.precision, never.recall, never.f1]).toEqual([0, 0, null, 0, 0]);
    expect(JSON.parse(JSON.stringify(never)).precision).toBeNull();
    expect(formatPrecision(never.precision)).toBe("—");
    // Every row that flagged something has a number; precision is null exactly when nothing was flagged.
    for (const r of cmp.rows) expect(r.precision === null, r.name).toBe(r.flaggedCells === 0);
    expect(formatPrecision(row("sigma:ssh_brute_force").precision)).toBe("1");
    // As notebook 08 tabulates it.
    const text = textTable(cmp.rows.map((r) => ({ name: r.name, precision: formatPrecision(r.precision) })));
    expect(text.split("\n").find((l) => l.includes("sigma:web_scanner_user_agent"))).toMatch(/—\s*$/);
  });

  it("the brute-force correlation alerts within its one-minute timespan, before a windowed detector can", () => {
    const rule = row("sigma:ssh_brute_force").timeToFirstAlert.brute_force!;
    expect(rule).toBeLessThan(60);
    const ml = row("robust-zscore").timeToFirstAlert.brute_force;
    if (ml !== null) expect(rule).toBeLessThan(ml);
  });

  it("firings agree with the rows and are in time order", () => {
    for (const r of cmp.rows) expect(cmp.firings.filter((f) => f.name === r.name)).toHaveLength(r.alerts);
    for (let i = 1; i < cmp.firings.length; i++) expect(cmp.firings[i].time).toBeGreaterThanOrEqual(cmp.firings[i - 1].time);
    for (const r of cmp.rows) expect(r.alertsPerDay).toBeCloseTo(r.alerts / 0.5, 9);
    const rulesOnAttacks = cmp.firings.filter((f) => f.kind === "rule");
    expect(rulesOnAttacks.every((f) => f.attack)).toBe(true);
  });

  it("is reproducible for a seed", () => {
    const again = compareRulesWithDetectors({ rules: loadSigmaRules("data/rules"), detectors: ["robust-zscore", "iforest"], seed: 42 });
    expect(again.rows).toEqual(cmp.rows);
  });
});
