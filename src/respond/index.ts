// Public exports of src/respond. Add one `export * from "./module"` line per module.
export * from "./ipAddress";
export * from "./username";
export * from "./anomalyScore";
export * from "./finding";
export * from "./policy";
export * from "./plan";
export * from "./audit";
export * from "./dedup";
export * from "./executors/executor";
export * from "./executors/alert";
export * from "./executors/blockIp";
export * from "./executors/lockUser";
export * from "./executors/ticket";
export * from "./executePlan";
