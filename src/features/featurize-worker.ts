// Worker-thread entry of featurizeLog (src/features/featurize-log.ts): parses one byte range of a log file
// (workerData: a RangeJob) and posts its RangeResult back; or, started with workerData `{ pool: true }`, parses
// every RangeJob posted to it (in-memory ranges of a gzip file) and answers each, until it is terminated.
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
  if ("file" in workerData) answer(port, parseRange(workerData as RangeJob));
  else if ((workerData as { pool?: boolean }).pool === true) port.on("message", (job: RangeJob) => answer(port, parseRange(job)));
}
