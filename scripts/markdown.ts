/** Markdown pieces the generated docs share. */

/** A table cell: one line, pipes escaped. */
export const cell = (value: unknown): string =>
  String(value ?? '')
    .replace(/\s+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();

/** Inline code. */
export const code = (value: unknown): string => `\`${String(value)}\``;
