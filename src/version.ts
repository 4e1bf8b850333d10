/** siemlab's version, as in package.json (test/detectors/model-file.test.ts checks they agree); recorded in saved model files. */
export const SIEMLAB_VERSION = "0.1.0";
