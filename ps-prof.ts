import { WindowAccumulator } from "./src/features/window-counts";
import { parseLogStream } from "./src/ingest/parse-log";
const log = "/tmp/siemlab-bench-ingest-iNQ1gD/auth.log";
(async () => {
  for (const pair of [false, true, false, true]) {
    const cpu0 = process.cpuUsage();
    const acc = new WindowAccumulator({ by: "srcIp", window: "1m", filter: "failed_password", zeroFill: false });
    const s = await parseLogStream(log, { onEvent: (e) => acc.add(e) }, { format: "rfc3164", year: 2025, pairAttempts: pair });
    const parseCpu = process.cpuUsage(cpu0);
    acc.finish();
    const cpu = process.cpuUsage(cpu0);
    console.log(`pair=${pair} parse cpu ${((parseCpu.user + parseCpu.system) / 1e6).toFixed(2)} total ${((cpu.user + cpu.system) / 1e6).toFixed(2)} companions ${s.counts.companions}`);
  }
  // parse only, no accumulator
  const cpu0 = process.cpuUsage();
  await parseLogStream(log, { onEvent: () => {} }, { format: "rfc3164", year: 2025, pairAttempts: false });
  const c = process.cpuUsage(cpu0);
  console.log(`parse only, no pairing: ${((c.user + c.system) / 1e6).toFixed(2)}`);
})();
