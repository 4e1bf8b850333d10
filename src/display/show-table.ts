/**
 * `showTable(rows or DataFrame)`: a table as notebook output (text/html + text/plain), built by the pure
 * {@link htmlTable} / {@link textTable} of src/charts/table.ts.
 */
import { htmlTable, textTable, type TableInput, type TableOptions } from "../charts/table";
import { sendDisplay } from "./display";

/**
 * Show rows or a Danfo DataFrame as a table in the notebook (text/html + text/plain). Outside a kernel it prints
 * the plain-text table instead.
 *
 * @example
 * sl.showTable(df, { maxRows: 10, caption: "Failed logins by user", digits: 3 });
 */
export function showTable(input: TableInput, options: TableOptions = {}): void {
  const text = textTable(input, options);
  const sent = sendDisplay({ data: { "text/html": htmlTable(input, options), "text/plain": text }, metadata: {}, transient: {} });
  if (!sent) console.log(text);
}
