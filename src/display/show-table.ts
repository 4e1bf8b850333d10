/**
 * `showTable(rows or DataFrame)`: a table as notebook output (text/html + text/plain), built by the pure
 * {@link htmlTable} / {@link textTable} of src/charts/table.ts.
 */
import { htmlTable, textTable, type TableInput, type TableOptions } from "../charts/table";
import { sendDisplay } from "./display";
import { checkOptions, type OptionKeys } from "../options";

/** Every option name of {@link TableOptions} (unknown names fail with a suggestion). */
const TABLE_OPTIONS_KEYS: OptionKeys<TableOptions> = { maxRows: true, caption: true, digits: true, maxCellChars: true, index: true, columns: true };

/**
 * Show rows or a Danfo DataFrame as a table in the notebook (text/html + text/plain). Outside a kernel it prints
 * the plain-text table instead.
 *
 * @example
 * sl.showTable(df, { maxRows: 10, caption: "Failed logins by user", digits: 3 });
 */
export function showTable(input: TableInput, options: TableOptions = {}): void {
  checkOptions(options, TABLE_OPTIONS_KEYS, "showTable");
  const text = textTable(input, options);
  const sent = sendDisplay({ data: { "text/html": htmlTable(input, options), "text/plain": text }, metadata: {}, transient: {} });
  if (!sent) console.log(text);
}
