// Test helper: capture what show()/showTable() would send to a notebook by standing in for tslab's writer.
import { createRequire } from "node:module";
import type { DisplayBundle } from "../../src/display/display";

const requireFromHere = createRequire(import.meta.url);

/** Install a capturing display writer; returns the captured bundles and a restore function. */
export function captureDisplay(): { bundles: DisplayBundle[]; restore: () => void } {
  const jupyter = requireFromHere("tslab/dist/jupyter") as { lastWriteDisplayData: unknown };
  const previous = jupyter.lastWriteDisplayData;
  const bundles: DisplayBundle[] = [];
  jupyter.lastWriteDisplayData = (bundle: DisplayBundle) => {
    bundles.push(bundle);
  };
  return { bundles, restore: () => void (jupyter.lastWriteDisplayData = previous) };
}
