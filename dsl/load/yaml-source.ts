/**
 * A YAML file read with positions, so that any JSON pointer into its data (and any offset
 * inside one of its strings) can be turned back into a line and a column.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, Scalar, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { UnlocatedProblem } from '../problems.js';
import { segmentsOf } from '../names.js';

export interface Position {
  line: number;
  column: number;
}

export interface YamlSource {
  text: string;
  /** The data, or undefined when the file is not YAML at all. */
  data: unknown;
  /** Syntax errors and duplicate keys, already located. */
  syntaxProblems: (UnlocatedProblem & Position)[];
  /** Line and column of the node at `path` (its key with `at: 'key'`), or of its nearest ancestor. */
  locate(path: string, at?: 'key' | 'value', offset?: number): Position;
}

/** Parses YAML text; never throws for bad input (problems are returned instead). */
export function readYaml(text: string): YamlSource {
  const lineCounter = new LineCounter();
  let doc: Document.Parsed | undefined;
  const syntaxProblems: (UnlocatedProblem & Position)[] = [];
  try {
    // `uniqueKeys: false`: the parser's own check compares each key with every key before it in
    // its mapping (quadratic: 20,000 keys took 39 s); duplicateKeyOffsets finds the same keys
    // with one Set per mapping.
    doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, strict: true, version: '1.2' });
  } catch (error) {
    syntaxProblems.push({ path: '', code: 'YAML_SYNTAX', message: `the file could not be parsed: ${(error as Error).message}`, line: 1, column: 1 });
  }
  const position = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(Math.max(0, Math.min(offset, text.length)));
    return { line, column: col };
  };
  const linesWithError = new Set<number>();
  const duplicates = doc ? duplicateKeyOffsets(doc) : [];
  const errors: { code: string; pos: readonly [number, number]; message: string }[] = [
    ...(doc?.errors ?? []),
    ...duplicates.map((offset) => ({ code: 'DUPLICATE_KEY', pos: [offset, offset + 1] as const, message: 'Map keys must be unique' })),
  ];
  for (const error of errors) {
    const duplicate = error.code === 'DUPLICATE_KEY';
    const where = position(error.code === 'MISSING_CHAR' ? openingQuote(text, error.pos[0], error.message) : error.pos[0]);
    if (!duplicate) {
      // After the first syntax error the parser has lost its place: "Unexpected ... token"
      // errors that follow are echoes of it, and a second error on one line says nothing new.
      if (linesWithError.has(where.line) || (linesWithError.size > 0 && /^Unexpected /.test(error.message))) continue;
      linesWithError.add(where.line);
    }
    const key = duplicate ? keyAt(text, error.pos[0]) : '';
    syntaxProblems.push({
      path: '',
      code: duplicate ? 'YAML_DUPLICATE_KEY' : 'YAML_SYNTAX',
      message: duplicate
        ? `the key \`${key}\` appears twice in the same mapping; YAML would keep only one of them. Remove or rename one`
        : humaniseYamlError(error.message),
      ...where,
    });
  }

  let data: unknown;
  if (doc && errors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (error) {
      const message = (error as Error).message;
      syntaxProblems.push({
        path: '',
        code: 'YAML_SYNTAX',
        message: /alias/i.test(message)
          ? 'the file repeats aliases (`*name`) so often that expanding them would exhaust memory; write the values out instead of nesting aliases'
          : `this is not valid YAML: ${message}`,
        line: 1,
        column: 1,
      });
    }
  }

  // Each mapping's pairs by key, built on first use: locating a problem is then a lookup per
  // segment, not a scan of the mapping (10,000 problems in a mapping of 10,000 steps).
  const indexes = new WeakMap<YAMLMap, Map<string, Pair>>();
  const pairsByKey = (map: YAMLMap): Map<string, Pair> => {
    let index = indexes.get(map);
    if (!index) {
      index = new Map();
      for (const item of map.items) {
        const key = isPair(item) && isScalar(item.key) ? String(item.key.value) : undefined;
        if (key !== undefined && !index.has(key)) index.set(key, item as Pair);
      }
      indexes.set(map, index);
    }
    return index;
  };

  const locate = (path: string, at: 'key' | 'value' = 'value', offset?: number): Position => {
    if (!doc?.contents) return { line: 1, column: 1 };
    let node: Node | null = doc.contents as Node;
    let keyNode: Node | null = null;
    for (const segment of segmentsOf(path)) {
      let next: Node | null | undefined;
      let nextKey: Node | null = null;
      if (isMap(node)) {
        const pair = pairsByKey(node).get(segment);
        if (pair) {
          next = (pair.value as Node | null) ?? (pair.key as Node);
          nextKey = pair.key as Node;
        }
      } else if (isSeq(node)) {
        next = node.items[Number(segment)] as Node | undefined;
      }
      if (!next) break;
      node = next;
      keyNode = nextKey;
    }
    const target = at === 'key' && keyNode ? keyNode : node;
    const start = target?.range?.[0] ?? 0;
    if (offset !== undefined && target && isScalar(target)) return position(start + scalarOffset(target as Scalar, text, offset));
    return position(start);
  };

  return { text, data, syntaxProblems, locate };
}

/**
 * Where the keys that repeat an earlier key of their mapping start, in document order: the
 * keys the parser's `uniqueKeys` check reports (scalars with the same value, `1` and `"1"`
 * being different keys), found in one pass with a Set per mapping. Walks with a stack, so
 * deep nesting cannot overflow the call stack.
 */
function duplicateKeyOffsets(doc: Document.Parsed): number[] {
  const offsets: number[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Set<unknown>();
      for (const item of node.items) {
        const key: unknown = item.key;
        if (isScalar(key) && !Number.isNaN(key.value)) {
          if (seen.has(key.value)) offsets.push(key.range?.[0] ?? 0);
          else seen.add(key.value);
        }
      }
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]?.value, node.items[i]?.key);
    } else if (isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    }
  }
  return offsets.sort((a, b) => a - b);
}

/**
 * Where character `offset` of a scalar's value sits in the file, relative to the scalar's start:
 * exact for plain and quoted one-line scalars, and for block scalars (`|`, `>`) the line and
 * column inside the block.
 */
function scalarOffset(node: Scalar, text: string, offset: number): number {
  const [start, end] = node.range ?? [0, 0];
  const source = text.slice(start, end);
  const value = typeof node.value === 'string' ? node.value : String(node.value);
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const before = value.slice(0, offset);
    const lineIndex = before.split('\n').length - 1;
    const columnInLine = offset - (before.lastIndexOf('\n') + 1);
    const lines = source.split('\n');
    let consumed = (lines[0]?.length ?? 0) + 1; // the `|` header line
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] ?? '';
      const indent = line.length - line.trimStart().length;
      if (i - 1 === lineIndex) return consumed + indent + columnInLine;
      consumed += line.length + 1;
    }
    return 0;
  }
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  const fragment = value.slice(offset, offset + 12);
  const found = fragment ? source.indexOf(fragment, quoted) : -1;
  return found >= 0 && !value.includes(fragment, offset + 1) ? found : quoted + offset;
}

/**
 * Where the quote that is never closed was opened. The parser reports the end of the file; an
 * unclosed quote swallows every later quote of its kind, so the opening is the last unescaped
 * one before that point.
 */
function openingQuote(text: string, offset: number, message: string): number {
  const quote = /"/.test(message) ? '"' : /'/.test(message) ? "'" : undefined;
  if (!quote) return offset;
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    if (text[i] !== quote) continue;
    if (quote === '"' && text[i - 1] === '\\') continue;
    if (quote === "'" && text[i - 1] === "'") {
      i--; // `''` writes one quote inside single quotes
      continue;
    }
    return i;
  }
  return offset;
}

/** The key that starts at `offset` (plain or quoted), for naming a duplicate key. */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(offset);
  const quoted = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*')/.exec(rest);
  if (quoted?.[1]) return quoted[1].slice(1, -1);
  const plain = /^([^\n]*?)\s*:(?:\s|$)/.exec(rest);
  return (plain?.[1] ?? rest.split(/[\n,}]/)[0] ?? '').trim();
}

function humaniseYamlError(message: string): string {
  const first = message.split('\n')[0] ?? message;
  const hints: [RegExp, string][] = [
    [/Implicit map keys need to be followed by map values/i, 'a line is neither `key: value` nor a list item; is a colon missing?'],
    [/Implicit keys need to be on a single line/i, 'a key runs over more than one line; is the colon after a key missing, or is the next line indented too far?'],
    [/Flow map in block collection must be sufficiently indented and end with a \}/i, 'a `{ ... }` mapping is not closed here: is there a stray `]` or a missing `}`, or are its lines not indented enough?'],
    [/Flow sequence in block collection must be sufficiently indented and end with a \]/i, 'a `[ ... ]` list is not closed here: is there a stray `}` or a missing `]`, or are its lines not indented enough?'],
    [/Nested mappings are not allowed in compact mappings/i, 'a value runs on into text with `: `: is the next line indented too far, or does the value need quotes?'],
    [/bad indentation/i, 'the indentation is off: keys of the same mapping must line up exactly'],
    [/Missing closing "quote/i, 'a double quote is opened but never closed'],
    [/Missing closing 'quote/i, "a single quote is opened but never closed"],
    [/Tabs are not allowed/i, 'tabs are not allowed for indentation in YAML; use spaces'],
    [/All mapping items must start at the same column/i, 'keys of the same mapping must start at the same column'],
    [/Unexpected flow-seq-end|Unexpected flow-map-end/i, 'a `]` or `}` closes something that was not opened'],
    [/Map keys must be unique/i, 'the same key appears twice in one mapping'],
  ];
  for (const [pattern, text] of hints) if (pattern.test(first)) return `${text} (YAML: ${first.replace(/ at line \d+, column \d+.*$/, '')})`;
  return `this is not valid YAML: ${first.replace(/ at line \d+, column \d+.*$/, '')}`;
}
