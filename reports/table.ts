/** Plain-text tables for people: left-aligned words, right-aligned numbers. */

export type Cell = string | number | null;

/** A dash for "nothing to divide by"; one decimal for percentages. */
export function pct(value: number | null): string {
  return value === null ? '—' : value.toFixed(1);
}

export function money(value: number): string {
  return value.toFixed(2);
}

export function table(headers: string[], rows: Cell[][]): string {
  const text = (cell: Cell) => (cell === null ? '—' : String(cell));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((row) => typeof row[i] === 'number' || row[i] === null || /^-?[\d.]+$|^—$/.test(text(row[i] ?? null))));
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => text(row[i] ?? null).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (numeric[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  if (rows.length === 0) return `${line(headers)}\n(none)`;
  return [line(headers), ...rows.map((row) => line(row.map(text)))].join('\n');
}

/** An instant as a person in `timeZone` reads it: `2026-12-01 00:30`. */
export function localTime(instant: string | Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(instant));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}
