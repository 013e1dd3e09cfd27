// CSV for the console's exports (orders, coupon codes): RFC 4180 quoting, and cells a spreadsheet would run as a
// formula (=, +, -, @, tab, CR at the start) neutralised with a leading apostrophe (OWASP).
export function csvCell(value: string | number | null | undefined): string {
  let s = value == null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
