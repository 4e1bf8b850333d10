// Worker-thread entry of featurizeLog (src/features/featurize-log.ts): parses one byte range of a log file
// (workerData: a RangeJob) and posts its RangeResult back. Loaded from dist/ (compiled JavaScript).
// Imported on the main thread (tests that load every module), it does nothing.
import { isMainThread, parentPort, workerData } from "node:worker_threads";
import { parseRange, type RangeJob } from "../ingest/parallel-range";

if (!isMainThread && parentPort !== null && workerData !== null && typeof workerData === "object" && "file" in workerData) {
  const result = parseRange(workerData as RangeJob);
  const acc = result.acc;
  parentPort.postMessage(result, acc === undefined ? [] : ([acc.cellEntity.buffer, acc.cellWindow.buffer, ...acc.numeric.map((a) => a.buffer)] as ArrayBuffer[]));
}
