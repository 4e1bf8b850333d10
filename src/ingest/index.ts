// Public exports of src/ingest. Add one `export * from "./module"` line per module.
export * from "./tutorial";
export * from "./read-lines";
export * from "./log-format";
export * from "./time-zone";
export * from "./auth-events";
export * from "./syslog-rfc3164";
export * from "./syslog-rfc5424";
export * from "./access-log";
export * from "./apache-error";
export * from "./field-map";
export * from "./json-lines";
export * from "./csv-log";
export * from "./raw-lines";
export * from "./tutorial-format";
export * from "./formats";
export * from "./parse-log";
export * from "./event-frames";
