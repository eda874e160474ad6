import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { parse } from 'csv-parse';

/** One record of the input file with its line number (the header is line 1 in CSV). */
export interface SourceRecord {
  line: number;
  record: Record<string, unknown> | null;
  /** Why the line could not be read at all (not JSON, a broken CSV row). */
  error?: string;
}

async function* jsonLines(file: string): AsyncGenerator<SourceRecord> {
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      const v = JSON.parse(text) as unknown;
      if (v && typeof v === 'object' && !Array.isArray(v)) yield { line, record: v as Record<string, unknown> };
      else yield { line, record: null, error: 'not a JSON object' };
    } catch (e) {
      yield { line, record: null, error: `not JSON: ${(e as Error).message}` };
    }
  }
}

type CsvRecord = { record: Record<string, string>; info: { lines: number; columns: unknown[] } };

/** CSV with a header row, read by csv-parse: each record keyed by the header's names, values as text. */
async function* csvRecords(file: string): AsyncGenerator<SourceRecord> {
  const options = { columns: true, bom: true, trim: true, info: true };
  const lenient = { skip_empty_lines: true, relax_column_count: true };
  const parser = createReadStream(file).pipe(parse({ ...options, ...lenient })) as AsyncIterable<CsvRecord>;
  for await (const { record, info } of parser) {
    if (Object.keys(record).length !== info.columns.length) {
      yield { line: info.lines, record: null, error: 'wrong number of columns' };
      continue;
    }
    yield { line: info.lines, record };
  }
}

export const formatOf = (file: string): 'csv' | 'jsonl' => (/\.csv$/i.test(file) ? 'csv' : 'jsonl');

export function readRecords(file: string): AsyncGenerator<SourceRecord> {
  return formatOf(file) === 'csv' ? csvRecords(file) : jsonLines(file);
}
