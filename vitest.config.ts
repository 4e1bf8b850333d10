import { defineConfig } from "vitest/config";

// Unit tests: test/**/*.test.ts. Browser tests (test/browser/) need executed notebooks in out/ and
// run after `npm run notebooks` through vitest.browser.config.ts.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/build-setup.ts"],
    exclude: ["test/browser/**", "node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
