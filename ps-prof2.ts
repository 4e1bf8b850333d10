import { parseLogStream } from "./src/ingest/parse-log";
const log = "/tmp/siemlab-bench-ingest-iNQ1gD/auth.log";
(async () => {
  await parseLogStream(log, { onEvent: () => {} }, { format: "rfc3164", year: 2025 });
})();
