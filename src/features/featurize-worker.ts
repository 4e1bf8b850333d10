// Worker-thread entry of featurizeLog (src/features/featurize-log.ts): started with workerData `{ pool: true }`,
// parses every RangeJob posted to it (a byte range of a plain file, or in-memory text of a gzip file) and
// answers each with its RangeResult, until it is terminated.
// Loaded from dist/ (compiled JavaScript). Imported on the main thread (tests that load every module), it does nothing.
import { isMainThread, parentPort, workerData, type MessagePort } from "node:worker_threads";
import { parseRange, type RangeJob, type RangeResult } from "../ingest/parallel-range";

/** Post a range's result, its accumulator's typed arrays transferred (not copied). */
function answer(port: MessagePort, result: RangeResult): void {
  const acc = result.acc;
  port.postMessage(result, acc === undefined ? [] : ([acc.cellEntity.buffer, acc.cellWindow.buffer, ...acc.numeric.map((a) => a.buffer)] as ArrayBuffer[]));
}

if (!isMainThread && parentPort !== null && workerData !== null && typeof workerData === "object") {
  const port = parentPort;
  if ((workerData as { pool?: boolean }).pool === true) port.on("message", (job: RangeJob) => answer(port, parseRange(job)));
}
