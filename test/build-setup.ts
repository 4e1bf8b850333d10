// vitest globalSetup: the tests that spawn the CLI (bin/siemlab.js) run the compiled dist/; build it once,
// before any test runs, when src/ changed since the last build (a no-op when it is fresh).
import { createRequire } from "node:module";

export default function setup(): void {
  const { ensureBuild } = createRequire(import.meta.url)("../scripts/build.js") as {
    ensureBuild(o: { who: string }): unknown;
  };
  ensureBuild({ who: "vitest" });
}
