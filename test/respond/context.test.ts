import { describe, expect, it } from "vitest";
import type { LogEvent } from "../../src/events";
import { contextCountChart, contextTimeline, contextTimelineChart, investigationContext } from "../../src/respond/context";
import { T0, failures, finding } from "./helpers";

const MIN = 60_000;
const events: LogEvent[] = [
  ...failures(5, "203.0.113.7", "root", T0, 1),
  ...failures(3, "203.0.113.7", "admin", T0 + 20_000, 10),
  { lineNo: 20, time: T0 - 5 * MIN, eventType: "accepted_password", outcome: "success", user: "alice", srcIp: "203.0.113.7", message: "Accepted password for alice" },
  { lineNo: 21, time: T0 + 2 * MIN, eventType: "accepted_password", outcome: "success", user: "alice", srcIp: "198.51.100.4", message: "Accepted password for alice" },
  { lineNo: 22, time: T0 - 60 * MIN, eventType: "failed_password", outcome: "failure", user: "root", srcIp: "203.0.113.7", message: "too early" },
  { lineNo: 23, time: T0, eventType: "failed_password", outcome: "failure", user: "bob", srcIp: "192.0.2.1", message: "someone else" },
];

describe("investigationContext", () => {
  it("gathers the entity's events around the window and summarises them", () => {
    const ctx = investigationContext(finding(), events, { marginMs: 10 * MIN });
    expect(ctx.events.map((e) => e.lineNo)).toEqual([20, 1, 2, 3, 4, 5, 10, 11, 12]);
    expect(ctx.inWindow).toBe(8);
    expect([ctx.firstSeen, ctx.lastSeen]).toEqual([T0 - 5 * MIN, T0 + 22_000]);
    expect(ctx.countsByType).toEqual([
      { eventType: "failed_password", count: 8, failures: 8, companions: 0 },
      { eventType: "accepted_password", count: 1, failures: 0, companions: 0 },
    ]);
    expect(ctx.users).toEqual([
      { value: "root", events: 5, failures: 5, companions: 0 },
      { value: "admin", events: 3, failures: 3, companions: 0 },
      { value: "alice", events: 1, failures: 0, companions: 0 },
    ]);
    expect(ctx.ips).toEqual([{ value: "203.0.113.7", events: 9, failures: 8, companions: 0 }]);
    expect(ctx.rows[0]).toEqual({
      time: "2025-03-06T07:55:00.000Z", lineNo: 20, inWindow: false, eventType: "accepted_password", outcome: "success",
      user: "alice", srcIp: "203.0.113.7", host: "", message: "Accepted password for alice",
    });
    expect(ctx.summaryRows.find((r) => r.field === "events")?.value).toBe("9 (8 in the window, 8 failed attempts)");
    expect(ctx.summaryRows.find((r) => r.field === "users")?.value).toBe("root (5), admin (3), alice (1)");
  });

  it("counts an attempt that sshd and PAM both logged once (new-user trial: the context said 582 failures for 286 attempts)", async () => {
    // The parser pairs each PAM record with the sshd record of its attempt (companionOf), as on real auth.log.
    const { parseLogLines } = await import("../../src/ingest/parse-log");
    const text = [];
    for (let i = 0; i < 4; i++) {
      const stamp = `Mar  6 08:00:${String(10 + i * 3).padStart(2, "0")}`;
      text.push(`${stamp} h sshd[${100 + i}]: pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=203.0.113.7  user=root`);
      text.push(`${stamp} h sshd[${100 + i}]: Failed password for root from 203.0.113.7 port ${4000 + i} ssh2`);
    }
    const parsed = parseLogLines(text, { format: "rfc3164", year: 2025 }).events;
    expect(parsed.filter((e) => e.companionOf !== undefined)).toHaveLength(4);
    const ctx = investigationContext(finding(), parsed, { marginMs: 10 * MIN });
    expect(ctx.events).toHaveLength(8);
    expect(ctx.users).toEqual([{ value: "root", events: 8, failures: 4, companions: 4 }]);
    expect(ctx.countsByType).toEqual([
      { eventType: "auth_failure", count: 4, failures: 0, companions: 4 },
      { eventType: "failed_password", count: 4, failures: 4, companions: 0 },
    ]);
    expect(ctx.summaryRows.find((r) => r.field === "events")?.value).toBe(
      "8 (8 in the window, 4 failed attempts; 4 of the records are companions of an attempt, counted with it)",
    );
    expect(contextTimeline(ctx).failures.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it("follows a user across IPs, and adds related entities on request", () => {
    const user = investigationContext(finding({ entity: "alice", entityType: "user" }), events, { marginMs: 10 * MIN });
    expect(user.ips.map((c) => c.value)).toEqual(["198.51.100.4", "203.0.113.7"]);
    const withRelated = investigationContext(
      finding({ related: { users: ["bob"], ips: [], hosts: [] } }),
      events,
      { marginMs: 10 * MIN, includeRelated: true },
    );
    expect(withRelated.events.map((e) => e.lineNo)).toContain(23);
    expect(withRelated.summaryRows[2].value).toMatch(/with 1 related user\(s\)/);
  });

  it("bins a timeline with the finding window marked and builds a chart spec", () => {
    const ctx = investigationContext(finding(), events, { marginMs: 2 * MIN });
    const t = contextTimeline(ctx);
    expect(t.x).toHaveLength(5);
    expect(t.events).toEqual([0, 0, 8, 0, 0]);
    expect(t.failures).toEqual([0, 0, 8, 0, 0]);
    expect(t.inWindow).toEqual([false, false, true, false, false]);
    const counts = contextCountChart(ctx);
    expect(counts.data.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(counts.layout)).toContain("Events of ip 203.0.113.7 per min");
  });

  it("draws the event timeline with the finding window shaded", () => {
    const ctx = investigationContext(finding(), events, { marginMs: 10 * MIN });
    const spec = contextTimelineChart(ctx);
    expect(JSON.stringify(spec.layout)).toContain("Events of ip 203.0.113.7 around the finding");
    const shapes = (spec.layout as { shapes?: { x0: number; x1: number }[] }).shapes ?? [];
    expect(shapes.map((s) => [s.x0, s.x1])).toEqual([[T0, T0 + MIN]]); // the shaded finding window
    const names = spec.data.map((d) => (d as { name?: string }).name);
    expect(names).toContain("failed_password (8)");
    expect(names).toContain("accepted_password (1)");
    expect(names).toContain("anomaly (8)"); // the window's events are ringed
  });
});
