// The overview as CSV (RFC 4180): CRLF between records, a field quoted when it holds a comma, a quote, CR or LF,
// quotes doubled; UTF-8 with a byte order mark, so a spreadsheet reads the accents. A cell that a spreadsheet
// would run as a formula (it starts with =, +, -, @, a tab or a CR) gets a leading apostrophe: shown as text.

const FORMULA = /^[=+\-@\t\r]/;

/** One field as written: neutralised, then quoted when it must be. */
export function csvField(value) {
  let s = value == null ? "" : String(value);
  if (FORMULA.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The whole file: a header row, then one record per row; every record ends with CRLF. */
export function toCsv(header, rows) {
  return `\uFEFF${[header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n")}\r\n`;
}
