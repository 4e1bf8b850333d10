/**
 * siemlab's public API: every notebook imports it as `import * as sl from "./src/index"`.
 *
 * - One namespace per stage, each an explicit list in its folder's index: `sl.ingest`, `sl.features`,
 *   `sl.detect`, `sl.eval`, `sl.charts`, `sl.respond`, `sl.simulate`, `sl.rules` (Sigma), `sl.engines` (DuckDB, ClickHouse).
 * - Flat on `sl`: the shared core (errors, the event record, the matrix, the seeded generator, TensorFlow.js
 *   set-up) and what a workshop types in its first hour (the calls of notebooks 01–03).
 *
 * A name not listed here is internal. test/public-api.test.ts pins the names (test/public-api.json): a change
 * to the surface is a visible diff.
 */
import * as ingest from "./ingest/index";
import * as features from "./features/index";
import * as detect from "./detectors/index";
import * as evaluate from "./eval/index";
import * as charts from "./charts/index";
import * as respond from "./respond/index";
import * as simulate from "./simulate/index";
import * as rules from "./rules/index";
import * as engines from "./engines/index";

export { ingest, features, detect, evaluate as eval, charts, respond, simulate, rules };
export { engines };

// The shared core.
export { SiemlabError, OptionError, DataError, NotFittedError, ParseError } from "./errors";
export { isFailedAttempt } from "./events";
export { companionCounted } from "./events";
export type { LogEvent, Reject } from "./events";
export { toDense } from "./matrix";
export type { DenseMatrix, Matrix } from "./matrix";
export { RandomState, randomState } from "./random";
export { initTf } from "./tf";
export type { TfBackendInfo } from "./tf";

// The first hour (notebooks 01–03): the same functions as in their stages, flat.
export { parseTutorialLog, tutorialEventsToDataFrame } from "./ingest/tutorial";
export { parseLog, parseLogLines } from "./ingest/parse-log";
export { listLogFormats } from "./ingest/formats";
export { findDatasetSync } from "./ingest/datasets";
export { logEventsToDataFrame, rejectsToDataFrame } from "./ingest/event-frames";
export { hostileLines } from "./ingest/hostile-lines";
export { mineTemplates, templatesToDataFrame } from "./ingest/drain";
export { windowCounts } from "./features/window-counts";
export { templateWindowCounts } from "./features/template-counts";
export { entityVerdicts, featureCells } from "./features/entity-verdicts";
export { IsolationForest } from "./detectors/isolation-forest";
export { slidingWindowRule } from "./detectors/correlation-rule";
export { timelineChart } from "./charts/timeline";
export { entityHeatmap } from "./charts/entity-heatmap";
export { show } from "./display/show";
export { showTable } from "./display/show-table";
export { simulateLoginAttempts } from "./simulate/samples";
