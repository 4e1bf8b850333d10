import type { WindowRowKey } from "./window-counts";

/**
 * What {@link WindowAccumulator.finish} left out when zero-filling every window of every entity would
 * have made more than `maxRows` rows (one event years away from the rest, a bad clock): the zero-filled
 * span was narrowed to the `maxRows` budget where the most (entity, window) cells are, and each cell
 * outside it is a row of its own, without the zero rows around it. No event is dropped.
 */
export interface ZeroFillCap {
  /** The limit that applied. */
  readonly maxRows: number;
  /** Rows a full zero-fill would have made (entities × windows). */
  readonly rowsWanted: number;
  /** Start of the first and of the last zero-filled window (epoch ms); NaN when not even one window fits. */
  readonly filledStart: number;
  readonly filledEnd: number;
  /** Non-empty (entity, window) cells outside the zero-filled span, each kept as its own row. */
  readonly cellsOutside: number;
  /** Events in those cells, when the features have a 'count' column; else undefined. */
  readonly eventsOutside: number | undefined;
  /** Up to 10 of those cells, earliest first. */
  readonly outside: readonly WindowRowKey[];
}

/**
 * The span [first, last] of window indices, at most `budget` windows long, that holds the most of the
 * given (sorted) window indices; ties go to the later span. Undefined when `budget` < 1 or there are none.
 *
 * @example
 * densestSpan(Float64Array.of(0, 1000, 1001, 1003), 10) // [1000, 1003]
 */
export function densestSpan(sortedWindows: Float64Array, budget: number): [number, number] | undefined {
  if (budget < 1 || sortedWindows.length === 0) return undefined;
  let best = -1;
  let bestLeft = 0;
  let bestRight = 0;
  let left = 0;
  for (let right = 0; right < sortedWindows.length; right++) {
    while (sortedWindows[right] - sortedWindows[left] + 1 > budget) left++;
    const n = right - left + 1;
    if (n >= best) {
      best = n;
      bestLeft = left;
      bestRight = right;
    }
  }
  return [sortedWindows[bestLeft], sortedWindows[bestRight]];
}
