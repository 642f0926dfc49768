/**
 * Runs every benchmark (bench/bench-*.ts, then bench/cost-model.ts, which reads their results)
 * one after another, each in its own process under a time budget. A benchmark that fails or runs
 * out of time is reported and the rest still run. Prints an overview (key figure, target,
 * pass/fail) and writes bench/results/summary.json with the machine and the date.
 *
 * Run: npm run bench [-- --quick] [-- --only sweep,cost-model]
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Headline, headlineOf } from './lib/headlines.ts';
import { machineInfo } from './lib/machine.ts';
import { RESULTS_DIR, readResults, writeResults } from './lib/results.ts';
import { formatTable, round } from './lib/table.ts';

const BENCH_DIR = import.meta.dirname;
const REPO_ROOT = resolve(BENCH_DIR, '..');
const LAST = 'cost-model';
/** Seconds each benchmark may run, full and quick; anything not listed gets the default. */
const BUDGET_SECONDS: Record<string, { full: number; quick: number }> = {
  default: { full: 600, quick: 180 },
  'bench-sweep': { full: 2700, quick: 300 },
  'cost-model': { full: 60, quick: 60 },
};

interface Options {
  quick: boolean;
  only: string[];
}

/** Reads `--quick` and `--only a,b` (or `--only a --only b`); names match with or without `bench-`. */
function parseOptions(argv: string[]): Options {
  const only: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const arg = argv[index] as string;
    if (arg === '--only') only.push(...(argv[++index] ?? '').split(','));
    else if (arg.startsWith('--only=')) only.push(...arg.slice('--only='.length).split(','));
    else if (arg !== '--quick') {
      console.error(`unknown option ${arg}; use --quick and --only name[,name]`);
      process.exit(2);
    }
  }
  return { quick: argv.includes('--quick'), only: only.filter(Boolean) };
}

function benchmarks(options: Options): string[] {
  const found = readdirSync(BENCH_DIR)
    .filter((file) => /^bench-[\w-]+\.ts$/.test(file))
    .map((file) => file.replace(/\.ts$/, ''))
    .sort();
  if (existsSync(resolve(BENCH_DIR, `${LAST}.ts`))) found.push(LAST);
  if (options.only.length === 0) return found;
  const wanted = (name: string) =>
    options.only.some((only) => only === name || `bench-${only}` === name);
  const chosen = found.filter(wanted);
  const unknown = options.only.filter(
    (only) => !found.some((name) => name === only || name === `bench-${only}`),
  );
  if (unknown.length > 0) {
    console.error(`no benchmark named ${unknown.join(', ')}; there are: ${found.join(', ')}`);
    process.exit(2);
  }
  return chosen;
}

interface Outcome {
  name: string;
  status: 'pass' | 'FAIL' | 'ERROR' | 'no target';
  exitCode: number | null;
  seconds: number;
  budgetSeconds: number;
  headline: Headline;
  error?: string;
}

function runOne(name: string, quick: boolean, budgetSeconds: number): Promise<Outcome> {
  const args = ['--import', 'tsx', resolve(BENCH_DIR, `${name}.ts`), ...(quick ? ['--quick'] : [])];
  const started = performance.now();
  const startedAt = Date.now();
  return new Promise((done) => {
    const child = spawn(process.execPath, args, {
      cwd: REPO_ROOT,
      stdio: 'inherit',
      // The pinned AWS SDK warns in every process that future releases drop Node 20: noise here.
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, budgetSeconds * 1000);
    const finish = (exitCode: number | null, error?: string) => {
      clearTimeout(timer);
      const file = resolve(RESULTS_DIR, `${name}.json`);
      const fresh = existsSync(file) && statSync(file).mtimeMs >= startedAt;
      const headline = fresh
        ? headlineOf(name, readResults(name))
        : { figure: 'no fresh results', target: '', pass: undefined };
      const failure =
        error ??
        (timedOut ? `ran past its ${budgetSeconds} s budget` : undefined) ??
        (!fresh ? `exited with code ${exitCode} and wrote no results` : undefined);
      done({
        name,
        status: failure
          ? 'ERROR'
          : headline.pass === undefined
            ? exitCode === 0
              ? 'no target'
              : 'FAIL'
            : headline.pass
              ? 'pass'
              : 'FAIL',
        exitCode,
        seconds: round((performance.now() - started) / 1000, 1),
        budgetSeconds,
        headline,
        ...(failure ? { error: failure } : {}),
      });
    };
    child.once('error', (error) => finish(null, error.message));
    child.once('exit', (code) => finish(code));
  });
}

const options = parseOptions(process.argv.slice(2));
const names = benchmarks(options);
const outcomes: Outcome[] = [];
const startedAt = new Date();
for (const name of names) {
  const budget = BUDGET_SECONDS[name] ?? BUDGET_SECONDS.default;
  const budgetSeconds = (options.quick ? budget?.quick : budget?.full) ?? 600;
  console.log(`\n=== ${name}${options.quick ? ' --quick' : ''} (budget ${budgetSeconds} s) ===\n`);
  const outcome = await runOne(name, options.quick, budgetSeconds);
  if (outcome.error) console.error(`\n${name}: ${outcome.error}`);
  outcomes.push(outcome);
}

console.log(`\n=== Overview (${options.quick ? 'quick' : 'full'} run) ===\n`);
console.log(
  formatTable(
    ['benchmark', 'status', 'seconds', 'key figure', 'target'],
    outcomes.map((outcome) => [
      outcome.name,
      outcome.status,
      outcome.seconds,
      outcome.error ? `${outcome.error}; ${outcome.headline.figure}` : outcome.headline.figure,
      outcome.headline.target,
    ]),
  ),
);
const machine = machineInfo();
console.log(
  `\n${machine.cpuModel}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, ` +
    `load ${machine.loadAverage1m}; results in bench/results/`,
);
writeResults('summary', {
  runAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  quick: options.quick,
  only: options.only,
  machine,
  benchmarks: outcomes,
});
if (outcomes.some((outcome) => outcome.status === 'ERROR' || outcome.status === 'FAIL')) {
  process.exitCode = 1;
}
