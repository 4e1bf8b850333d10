import * as fs from "node:fs";
import * as path from "node:path";
import { OptionError } from "../errors";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link ReplayLinesOptions} (unknown names fail with a suggestion). */
const REPLAY_OPTIONS_KEYS: OptionKeys<ReplayLinesOptions> = { linesPerTick: true, tickMs: true, append: true };

/** Options of {@link replayLines}. */
export interface ReplayLinesOptions {
  /** Lines appended per tick. Default: 20. */
  readonly linesPerTick?: number;
  /** Pause between ticks, in ms of wall-clock time. Default: 50. */
  readonly tickMs?: number;
  /** Append to an existing file instead of starting it empty. Default: false. */
  readonly append?: boolean;
}

/**
 * Write lines to a file a few at a time, like a daemon writing its log: `linesPerTick` lines every `tickMs`
 * (each line whole, with its newline). For live demos and tests of `watchLog`; with the seeded simulators'
 * lines (e.g. `simulateAttacks({ seed }).auth.lines`) the file's content is deterministic, only its pace is
 * wall-clock. Resolves to the number of lines written once the last is on disk. The folder is created.
 *
 * @example
 * const lines = sl.simulate.simulateAttacks({ seed: 1, hours: 1 }).auth.lines;
 * await replayLines(lines, "out/replay-demo.log", { linesPerTick: 50, tickMs: 1 }) === lines.length // true
 */
export async function replayLines(lines: readonly string[], file: string, options: ReplayLinesOptions = {}): Promise<number> {
  checkOptions(options, REPLAY_OPTIONS_KEYS, "replayLines");
  const per = options.linesPerTick ?? 20;
  const tick = options.tickMs ?? 50;
  if (!(Number.isInteger(per) && per >= 1)) throw new OptionError(`Expected \`linesPerTick\` to be a positive integer, got ${per}`);
  if (!(tick >= 0 && Number.isFinite(tick))) throw new OptionError(`Expected \`tickMs\` to be a number of milliseconds ≥ 0, got ${tick}`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  if (options.append !== true) fs.writeFileSync(file, "");
  for (let i = 0; i < lines.length; i += per) {
    if (i > 0) await new Promise((r) => setTimeout(r, tick));
    fs.appendFileSync(file, lines.slice(i, i + per).map((l) => l + "\n").join(""));
  }
  return lines.length;
}
