/**
 * `sl.simulate`: seeded simulators (NumPy-exact draws) for teaching and tests — the tutorial's login counts,
 * a Gaussian blob with outliers, labelled attack logs (sshd + access log). Explicit list
 * (test/public-api.test.ts pins it).
 */
export { simulateCounts, simulateLoginAttempts, simulateBlobWithOutliers } from "./samples";
export type { SimulateCountsOptions, SimulateLoginAttemptsOptions, LoginAttempts, SimulateBlobOptions, LabelledMatrix } from "./samples";
export { ATTACK_LABELS, simulateAttacks, labelSimulatedWindows, writeSimulatedSamples } from "./attacks";
export type { SimLabel, SimLineLabel, SimulatedLog, SimulatedAttack, SimulatedAttacks, SimulateAttacksOptions, SimWindowLabel } from "./attacks";
export { SCENARIO_ATTACKS, simulateEntityScenario, scenarioWindowLabels } from "./entity-scenario";
export type { ScenarioLabel, ScenarioIncident, EntityScenario, EntityScenarioOptions } from "./entity-scenario";
export { benchmarkEntityScenario } from "./scenario-benchmark";
export type { ScenarioBenchmarkOptions, ScenarioBenchmarkRow } from "./scenario-benchmark";
export { SCENARIO_RULES, SCENARIO_COMPARED, scenarioDetections } from "./scenario-benchmark";
export type { ScenarioDetectionsOptions, ScenarioDetections } from "./scenario-benchmark";
export { replayLines } from "./replay-lines";
export type { ReplayLinesOptions } from "./replay-lines";
