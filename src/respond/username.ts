import { DataError } from "../errors";

/** Usernames accepted for account actions: starts with a letter, digit or `_`; then letters, digits, `_ . @ -`; ≤ 64 chars. */
export const USERNAME_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.@-]{0,63}$/;

/**
 * Check a username strictly before it is put into a command (no spaces, quotes, shell characters or
 * leading `-` that could read as an option). Returns it unchanged; throws a {@link DataError} otherwise.
 *
 * @example
 * validateUsername("alice")            // "alice"
 * validateUsername("alice; rm -rf /")  // throws DataError
 */
export function validateUsername(user: string): string {
  if (typeof user !== "string" || !USERNAME_PATTERN.test(user)) {
    const s = String(user);
    throw new DataError(
      `Invalid username ${JSON.stringify(s.length > 80 ? s.slice(0, 80) + "…" : s)}: expected letters, digits, '_', '.', '@' or '-' (not first), at most 64 characters`,
    );
  }
  return user;
}

/**
 * Quote a string for a POSIX shell with single quotes (`'` becomes `'\''`).
 *
 * @example
 * shellQuote("o'brien") // "'o'\\''brien'"
 */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
