import { parseLogStream } from "./src/ingest/parse-log";
const log = "/tmp/siemlab-bench-ingest-iNQ1gD/auth.log";
const pair = process.argv[2] === "1";
(async () => {
  const cpu0 = process.cpuUsage();
  let n = 0;
  const s = await parseLogStream(log, { onEvent: (e) => { n++; } }, { format: "rfc3164", year: 2025, pairAttempts: pair });
  const cpu = process.cpuUsage(cpu0);
  (globalThis as any).gc?.();
  console.log(`pair=${pair} ${((cpu.user + cpu.system) / 1e6).toFixed(2)} heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(1)} MB events ${n} ${JSON.stringify(s.counts.byEventType)}`);
})();
