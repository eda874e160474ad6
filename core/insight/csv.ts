import { stringify } from 'csv-stringify/sync';

/** A report table as CSV (RFC 4180, with a header row), the way spreadsheets open it. */
export function toCsv(columns: readonly string[], rows: readonly (readonly (string | number | null)[])[]): string {
  return stringify([columns, ...rows.map((r) => r.map((v) => (v === null ? '' : v)))]);
}
