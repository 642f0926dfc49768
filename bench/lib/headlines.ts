/** One line of the run-all overview: a benchmark's key figure against its target. */
export interface Headline {
  figure: string;
  target: string;
  /** undefined when the benchmark states no target. */
  pass: boolean | undefined;
}

type Json = Record<string, unknown>;
const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);
const bool = (value: unknown): boolean | undefined =>
  typeof value === 'boolean' ? value : undefined;

/**
 * Key figures of the benchmarks other engineers own, read from the JSON they write; each falls
 * back to the generic reading below when its shape changes. A benchmark that writes a
 * `headline: {figure, target, pass}` object needs no entry here.
 */
const KNOWN: Record<string, (json: Json) => Headline | undefined> = {
  'bench-scoring': (json) => {
    const micros = num(json.newswatchMicrosPerItem);
    const ratio = num(json.ratio);
    if (micros === undefined || ratio === undefined) return undefined;
    return {
      figure: `${micros} µs/item, ${ratio}x cheaper than natural`,
      target: `>= ${num(json.targetRatio) ?? '?'}x`,
      pass: bool(json.meetsTarget) ?? bool(json.targetMet),
    };
  },
  'bench-parsing': (json) => {
    const ratio = num(json.perItemRatio);
    if (ratio === undefined) return undefined;
    return {
      figure: `${ratio}x bare rss-parser CPU per item`,
      target: `<= ${num(json.targetPerItemRatio) ?? 2}x`,
      pass: bool(json.targetMet),
    };
  },
  'bench-store': (json) => {
    const proof = bool(json.unchangedSweepsWriteNoItems);
    if (proof === undefined) return undefined;
    const first = (json.sweeps as Json[] | undefined)?.find((row) =>
      String(row.sweep).startsWith('first'),
    );
    return {
      figure: `unchanged sweeps: ${proof ? 'no' : 'SOME'} item writes${first ? `; first sweep ${first.requestsPerFeed} req/feed` : ''}`,
      target: '0 item writes when unchanged',
      pass: proof,
    };
  },
  'bench-bundles': (json) => {
    const rows = json.results as Json[] | undefined;
    if (!rows || rows.length === 0) return undefined;
    const largest = Math.max(...rows.map((row) => num(row.bytes) ?? 0));
    const slowest = Math.max(
      ...rows.map((row) => num((row.importMs as Json | undefined)?.median) ?? 0),
    );
    return {
      figure: `largest bundle ${Math.round(largest / 1024)} KiB; slowest import ${slowest} ms`,
      target: 'each < 1 MiB, no whole natural index',
      pass: rows.every((row) => row.underOneMiB === true && row.naturalWholeIndex !== true),
    };
  },
  'bench-api': (json) => {
    const rows = json.results as Json[] | undefined;
    const first = rows?.[0];
    if (!first) return undefined;
    const errors = rows?.reduce((sum, row) => sum + (num(row.errors) ?? 0), 0) ?? 0;
    return {
      figure: `${first.scenario}: ${first.requestsPerSecond} req/s, p99 ${first.p99Ms} ms; ${errors} errors`,
      target: '0 errors',
      pass: errors === 0,
    };
  },
};

function generic(json: Json): Headline {
  const pass =
    bool(json.targetMet) ?? bool(json.meetsTarget) ?? bool(json.pass) ?? bool(json.ok) ?? undefined;
  return { figure: 'see its table', target: pass === undefined ? 'none stated' : 'its own', pass };
}

/** The overview line for one benchmark's results JSON. */
export function headlineOf(name: string, json: unknown): Headline {
  if (typeof json !== 'object' || json === null) {
    return { figure: 'no results file', target: '', pass: undefined };
  }
  const data = json as Json;
  const own = data.headline as Partial<Headline> | undefined;
  if (own && typeof own.figure === 'string') {
    return { figure: own.figure, target: own.target ?? '', pass: bool(own.pass) };
  }
  try {
    return KNOWN[name]?.(data) ?? generic(data);
  } catch {
    return generic(data);
  }
}
