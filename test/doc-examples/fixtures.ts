// Names doc examples may use without defining them, as a notebook has them from earlier cells: seeded data,
// fitted detectors, parsed events of data/sim/auth.log, findings, a plan and an investigation context. Built
// only from src/ and data/, so every example runs offline. Keep each fixture what its name says.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import * as sl from "../../src/index";
import type { LogEvent } from "../../src/events";

export async function fixtures(): Promise<Record<string, unknown>> {
  const blob = sl.simulate.simulateBlobWithOutliers({ n: 300, d: 3, seed: 0 });
  const X = blob.X;
  const y = blob.y;
  const { counts } = sl.simulateLoginAttempts({ seed: 42 });
  const minutes = counts.map((_, i) => i);
  const X2 = sl.simulate.simulateBlobWithOutliers({ n: 200, d: 2, seed: 1 }).X;
  const model = new sl.IsolationForest({ contamination: 0.05, seed: 0 }).fit(X);
  const text = readFileSync("data/sim/auth.log", "utf8");
  const lines = text.split("\n").filter((l) => l !== "").slice(0, 2000);
  const events: LogEvent[] = sl.parseLogLines(lines, { format: "rfc3164", year: 2025 }).events;
  const f = sl.windowCounts(events, { by: "srcIp", window: "5m", features: ["count", "failures", "distinctUsers"] });
  const forest = new sl.IsolationForest({ contamination: 0.02, seed: 42 }).fit(f.matrix);
  const predictions = forest.predict(f.matrix);
  const scores = forest.decisionFunction(f.matrix);
  const findings = sl.respond.findingsFromScores({
    keys: f.keys,
    entityType: "ip",
    windowMs: f.windowMs,
    matrix: f.matrix,
    featureNames: f.columns,
    events,
    scoredBy: [sl.respond.scoredByDetector(forest, f.matrix, { contamination: 0.02, seed: 42 })],
  });
  const finding = findings[0];
  const policy = sl.respond.loadPolicy("data/policy/default.json");
  const plan = sl.respond.planResponse(findings, policy);
  const action = plan.find((a) => a.kind === "block_ip" && a.status === "planned") ?? plan[0];
  const ctx = sl.respond.investigationContext(finding, events, { marginMs: 10 * 60_000 });
  const mallory = events.find((e) => e.user !== undefined)?.user ?? "root";
  const eventsOfMallory = events.filter((e) => e.user === mallory);
  // A 3 × 2 float64 .npy file (format 1.0), as np.save(np.arange(6.0).reshape(3, 2)) writes it.
  const header = "{'descr': '<f8', 'fortran_order': False, 'shape': (3, 2), }";
  const padded = header + " ".repeat(64 - ((10 + header.length + 1) % 64)) + "\n";
  const npyBytes = Buffer.concat([
    Buffer.from([0x93]), Buffer.from("NUMPY"), Buffer.from([1, 0]), Buffer.from(Uint16Array.of(padded.length).buffer),
    Buffer.from(padded, "latin1"), Buffer.from(Float64Array.of(0, 1, 2, 3, 4, 5).buffer),
  ]);
  const audit = new sl.respond.AuditLog();
  await sl.respond.executePlan(plan, { audit });
  // A webhook receiver on 127.0.0.1 (answers 200 to every POST; unref'd, so it never keeps the process alive).
  const server = createServer((req, res) => req.resume().on("end", () => res.end("ok")));
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  server.unref();
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/doc-example`;
  const spec = sl.timelineChart({ x: minutes, y: counts, title: "Login attempts per minute" });
  return {
    X, y, X2, counts, minutes, model, detector: model, iforest: model,
    lof: new sl.detect.LocalOutlierFactor({ contamination: 0.05 }).fit(X),
    entries: sl.eval.detectorEntries().filter((e) => e.name !== "autoencoder"),
    rows: sl.eval.compareDetectors({ detectors: ["iforest", "robust-zscore"], datasets: [{ name: "blob", X, y }], seeds: [0, 1] }),
    text, lines, events, eventsOfMallory, t0: eventsOfMallory[0]?.time ?? 0, t1: (eventsOfMallory[0]?.time ?? 0) + 300_000,
    f, forest, predictions, scores, findings, finding, policy, plan, action, ctx,
    df: sl.logEventsToDataFrame(events.slice(0, 20)),
    layout: { title: { text: "chart" } },
    spec, spec1: spec, spec2: spec,
    url,
    npyBytes, audit,
    options: { path: "out/blocklist.txt" },
  };
}
