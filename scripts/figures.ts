/**
 * `npm run figures`: regenerate the chart images the README shows (docs/*.png) from seeded data in src/,
 * rendered by headless Chromium (the system's chromium through playwright-core; no network, no download).
 * `npm run figures -- --all` also writes every other chart type to out/figures/ (PNG + standalone HTML) for review.
 */
import { mkdirSync } from "fs";
import { resolve } from "path";
import {
  contaminationSliderChart,
  decisionContourChart,
  entityHeatmap,
  entityTimelineChart,
  prChart,
  rocChart,
  scoreHistogram,
  sweepChart,
  timelineChart,
  type HeatmapCell,
  type PlotlySpec,
} from "../src/charts/index";
import { openChartRenderer, saveHtml } from "../src/export/chart-export";
import { IsolationForest } from "../src/detectors/isolation-forest";
import { LocalOutlierFactor } from "../src/detectors/lof";
import { OneClassSVM } from "../src/detectors/ocsvm";
import { RobustZScore } from "../src/detectors/robust-zscore";
import { contaminationSweep } from "../src/eval/sweep";
import type { LogEvent } from "../src/events";
import { RandomState } from "../src/random";
import { simulateBlobWithOutliers, simulateLoginAttempts } from "../src/simulate/samples";

const repoRoot = resolve(__dirname, "..");
const T0 = Date.UTC(2025, 2, 6, 8, 0, 0);
const MINUTE = 60_000;

/** The tutorial: 50 minutes of Poisson(5) login attempts + 3 spikes, IsolationForest(contamination 0.05, seed 42). */
function tutorial() {
  const { counts, minute } = simulateLoginAttempts({ seed: 42 });
  const X = counts.map((c) => [c]);
  const model = new IsolationForest({ contamination: 0.05, seed: 42 }).fit(X);
  return { counts, minute, X, model, decision: model.decisionFunction(X), labels: model.predict(X) };
}

/** 14 users × 48 five-minute windows of failed logins; two users brute-force in a few windows. */
function heatmapCells(): HeatmapCell[] {
  const rs = new RandomState(7);
  const users = ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "oscar", "peggy", "trent"];
  const cells: { entity: string; window: Date; value: number }[] = [];
  users.forEach((u, k) => {
    const lam = 0.3 + (k % 4) * 0.4;
    for (let w = 0; w < 48; w++) {
      let v = rs.poisson(lam);
      if (u === "mallory" && w >= 30 && w <= 33) v += 25 + rs.poisson(10);
      if (u === "oscar" && w === 12) v += 18;
      cells.push({ entity: u, window: new Date(T0 + w * 5 * MINUTE), value: v });
    }
  });
  const model = new IsolationForest({ contamination: 0.01, seed: 0 }).fit(cells.map((c) => [c.value]));
  const decision = model.decisionFunction(cells.map((c) => [c.value]));
  return cells.map((c, i) => ({ ...c, anomaly: decision[i] < 0, decision: decision[i] }));
}

/** The labelled 2-D blob (1,000 rows, 5 % uniform outliers) and four fitted detectors. */
function blob() {
  const { X, y } = simulateBlobWithOutliers({ n: 1000, d: 2, outlierFraction: 0.05, seed: 0 });
  const detectors = [
    new IsolationForest({ contamination: 0.05, seed: 0 }),
    new LocalOutlierFactor({ contamination: 0.05 }),
    new OneClassSVM({ nu: 0.05 }),
    new RobustZScore({ contamination: 0.05 }),
  ].map((d) => d.fit(X));
  return { X, y, detectors };
}

function mallorysEvents(): { events: LogEvent[]; window: { start: number; end: number } } {
  const rs = new RandomState(3);
  const events: LogEvent[] = [];
  let line = 1;
  const push = (time: number, eventType: string, outcome: "success" | "failure" | undefined, message: string) =>
    events.push({ lineNo: line++, time, host: "bastion-1", process: "sshd", eventType, user: "mallory", srcIp: "203.0.113.77", outcome, message });
  for (let m = 0; m < 240; m += 1 + rs.randint(0, 25)) push(T0 + m * MINUTE, "login_success", "success", "Accepted publickey for mallory from 203.0.113.77");
  for (let k = 0; k < 40; k++) push(T0 + 150 * MINUTE + rs.randint(0, 20 * 60) * 1000, "failed_password", "failure", "Failed password for mallory from 203.0.113.77 port 52211 ssh2");
  push(T0 + 171 * MINUTE, "sudo", undefined, "mallory : TTY=pts/0 ; PWD=/home/mallory ; USER=root ; COMMAND=/bin/cat /etc/shadow");
  return { events, window: { start: T0 + 150 * MINUTE, end: T0 + 170 * MINUTE } };
}

async function main(): Promise<void> {
  const all = process.argv.includes("--all");
  const docs = resolve(repoRoot, "docs");
  const outDir = resolve(repoRoot, "out/figures");
  mkdirSync(docs, { recursive: true });
  const t = tutorial();
  const b = blob();
  const flaggedMinutes = t.minute.filter((i) => t.labels[i] === -1);
  const readme: [string, PlotlySpec, { width: number; height: number }][] = [
    [
      "tutorial-timeline",
      timelineChart({
        x: t.minute.map((m) => new Date(T0 + m * MINUTE)),
        y: t.counts,
        anomalies: t.labels,
        title: "Login attempts per minute (IsolationForest, contamination 0.05)",
        yTitle: "login attempts / min",
        hoverText: Array.from(t.decision, (d) => `decision: ${d.toFixed(3)}`),
      }),
      { width: 900, height: 420 },
    ],
    ["score-histogram", scoreHistogram({ scores: b.detectors[0].decisionFunction(b.X), labels: b.y, contaminations: [0.01, 0.05, 0.1], title: "IsolationForest decision function, 1,000 rows (5 % labelled outliers)" }), { width: 900, height: 420 }],
    ["entity-heatmap", entityHeatmap(heatmapCells(), { title: "Failed logins per user and 5-minute window (red: IsolationForest, contamination 0.01)", valueTitle: "failed logins", entityTitle: "user" }), { width: 1000, height: 480 }],
  ];
  readme.push(
    ["roc-curves", rocChart(b.detectors.map((d) => ({ name: d.name, labels: b.y, decision: d.decisionFunction(b.X) })), { title: "ROC curves on a 2-D blob with 5 % outliers" }), { width: 640, height: 560 }],
    ["decision-contour", decisionContourChart({ detector: b.detectors[0], X: b.X, labels: b.y, title: "IsolationForest decision function (orange line: threshold; ×: labelled outlier)" }), { width: 800, height: 620 }],
  );
  const extra: [string, PlotlySpec, { width: number; height: number }][] = [];
  if (all) {
    const sweep = contaminationSweep(b.detectors[0], b.X, { labels: b.y, contaminations: [0.01, 0.02, 0.05, 0.1, 0.2] });
    const m = mallorysEvents();
    extra.push(
      ["pr-curves", prChart(b.detectors.map((d) => ({ name: d.name, labels: b.y, decision: d.decisionFunction(b.X) }))), { width: 640, height: 520 }],
      ["sweep", sweepChart(sweep), { width: 900, height: 420 }],
      ["entity-timeline", entityTimelineChart({ events: m.events, entity: "mallory", anomalyWindows: [m.window] }), { width: 1000, height: 360 }],
      ["contamination-slider", contaminationSliderChart({ scores: t.decision, x: t.minute }), { width: 900, height: 480 }],
    );
  }
  const renderer = await openChartRenderer();
  try {
    for (const [name, spec, size] of readme) {
      await renderer.savePng(spec, resolve(docs, `${name}.png`), { ...size, scale: 1 });
      console.log(`docs/${name}.png`);
    }
    if (all) {
      mkdirSync(outDir, { recursive: true });
      for (const [name, spec, size] of [...readme, ...extra]) {
        await renderer.savePng(spec, resolve(outDir, `${name}.png`), { ...size, scale: 1 });
        saveHtml(spec, resolve(outDir, `${name}.html`));
        console.log(`out/figures/${name}.png, .html`);
      }
    }
  } finally {
    await renderer.close();
  }
  console.log(`flagged tutorial minutes: ${JSON.stringify(flaggedMinutes)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
