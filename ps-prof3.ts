import { WindowAccumulator } from "./src/features/window-counts";
import { parseLogStream } from "./src/ingest/parse-log";
const log = "/tmp/siemlab-bench-ingest-iNQ1gD/auth.log";
const pair = process.argv[2] === "1";
(async () => {
  const cpu0 = process.cpuUsage();
  const acc = new WindowAccumulator({ by: "srcIp", window: "1m", filter: "failed_password", zeroFill: false });
  await parseLogStream(log, { onEvent: (e) => acc.add(e) }, { format: "rfc3164", year: 2025, pairAttempts: pair });
  const cpu = process.cpuUsage(cpu0);
  console.log(`pair=${pair} ${((cpu.user + cpu.system) / 1e6).toFixed(2)}`);
})();
