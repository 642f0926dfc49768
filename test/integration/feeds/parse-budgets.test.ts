import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_SHAPES } from '../../fixtures/hostile-documents.ts';
import { jsonLines, runParse } from './spawn-parse.ts';

const MB = 1024 * 1024;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'newswatch-budgets-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `newswatch parse --json` on one hostile shape of `size` bytes: its one output line. */
async function parseShape(name: string, size: number) {
  const shape = HOSTILE_SHAPES.find((candidate) => candidate.name === name);
  if (!shape) throw new Error(`no shape ${name}`);
  const file = join(dir, `${name}.doc`);
  writeFileSync(file, shape.make(size));
  const run = await runParse(['--json', file]);
  const [line] = jsonLines(run.stdout);
  if (!line) throw new Error(`no output: ${run.stderr}`);
  return line as {
    items?: { title?: string }[];
    warnings?: string[];
    error?: { code: string; message: string };
  };
}

describe('newswatch parse on documents shaped to build as much as possible', () => {
  it('leaves out the elements of 10 MB of empty elements past the budget, and says so', async () => {
    const parsed = await parseShape('empty-elements', 10 * MB);

    expect(parsed.items).toEqual([]);
    expect(parsed.warnings).toEqual([
      expect.stringMatching(/^the document has more than 20000 elements; \d+ more were left out$/),
    ]);
  });

  it('counts 10 MB of empty JSON Feed items without building them', async () => {
    const parsed = await parseShape('json-empty-objects', 10 * MB);

    expect(parsed.items).toEqual([]);
    expect(parsed.warnings).toEqual([
      expect.stringMatching(/^feed has \d{7} items; kept the first 500$/),
      '500 item(s) without title or link were skipped',
    ]);
  });

  it('counts the empty items past the item cap', async () => {
    const parsed = await parseShape('empty-items', MB);

    expect(parsed.items).toEqual([]);
    expect(parsed.warnings?.[0]).toMatch(/^feed has \d{5} items; kept the first 500$/);
  });

  it('keeps the first 500 of many honest items, XML or JSON', async () => {
    const xml = await parseShape('honest-items', MB);
    const json = await parseShape('json-items-with-ids', MB);

    expect(xml.items).toHaveLength(500);
    expect(xml.items?.[0]?.title).toBe('Story 0 about the markets and the weather');
    expect(json.items).toHaveLength(500);
    expect(xml.warnings).toEqual([
      expect.stringMatching(/^feed has \d+ items; kept the first 500$/),
    ]);
  });

  it('keeps 64 attributes of an element with thousands', async () => {
    const parsed = await parseShape('many-attributes', MB);

    expect(parsed.warnings).toContain(
      `${Math.floor((MB - 200) / 12) - 64} attribute(s) past 64 on one element were left out`,
    );
  });

  it('cuts one text at its budget', async () => {
    const parsed = await parseShape('entity-text', MB);

    expect(parsed.items).toHaveLength(1);
    expect(parsed.warnings).toContain('1 text(s) longer than 262144 characters were cut there');
    // The title keeps what the field allows, decoded from the part of the text kept.
    expect(parsed.items?.[0]?.title).toMatch(/^A{100,}/);
  });

  it('fails JSON nested past its depth with TOO_DEEP', async () => {
    const parsed = await parseShape('json-nested-arrays', MB);

    expect(parsed.error?.code).toBe('TOO_DEEP');
  });
});
