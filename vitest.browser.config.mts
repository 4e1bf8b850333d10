import { defineConfig } from "vitest/config";

// Browser tests: headless Chromium (system chromium via playwright-core, network blocked) renders executed
// notebook exports in out/ (written by `npm run notebooks`) and exported / hostile chart pages.
// Run: `vitest run --config vitest.browser.config.mts` (chart-only: add `test/browser/charts.test.ts`).
export default defineConfig({
  test: {
    include: ["test/browser/**/*.test.ts"],
    testTimeout: 240_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
  },
});
