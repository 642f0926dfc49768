import { type ChildProcess, fork } from 'node:child_process';
import { resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '..', '..');

export interface Child<TReady> {
  process: ChildProcess;
  ready: TReady;
  /** Sends `{type}` and resolves with the child's next message of the same type. */
  ask<T>(type: string, timeoutMs?: number): Promise<T>;
  /** Disconnects (the child exits on disconnect) and kills it if it lingers. */
  stop(): Promise<void>;
}

/** Raised when a benchmark's helper process fails to start or answer in time. */
export class ChildProcessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChildProcessError';
  }
}

/**
 * Node flags of every helper: tsx, and with BENCH_PROF=<dir> a V8 CPU profile per process written
 * there (open in Chrome DevTools), to see where a benchmark's CPU goes.
 */
function childExecArgv(): string[] {
  const profileDir = process.env.BENCH_PROF;
  return ['--import', 'tsx', ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])];
}

/**
 * Forks a TypeScript helper under tsx and waits for its `{type: 'ready'}` message. Helpers exit
 * by themselves when the parent disconnects or dies, so none outlives a crashed benchmark.
 */
export function startChild<TReady>(
  script: string,
  args: string[],
  readyTimeoutMs = 30_000,
): Promise<Child<TReady>> {
  const child = fork(script, args, {
    cwd: REPO_ROOT,
    execArgv: childExecArgv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolveReady, rejectReady) => {
    const timer = setTimeout(() => {
      child.kill();
      rejectReady(new ChildProcessError(`${script} was not ready within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectReady(new ChildProcessError(`${script} exited with code ${code} before it was ready`));
    });
    child.on('message', function onReady(message: { type?: string }) {
      if (message?.type !== 'ready') return;
      clearTimeout(timer);
      child.off('message', onReady);
      resolveReady(wrap(child, message as TReady, script));
    });
  });
}

function wrap<TReady>(child: ChildProcess, ready: TReady, script: string): Child<TReady> {
  return {
    process: child,
    ready,
    ask<T>(type: string, timeoutMs = 10_000) {
      return new Promise<T>((resolveAnswer, rejectAnswer) => {
        const timer = setTimeout(() => {
          child.off('message', onAnswer);
          rejectAnswer(new ChildProcessError(`${script} did not answer '${type}' in time`));
        }, timeoutMs);
        function onAnswer(message: { type?: string }) {
          if (message?.type !== type) return;
          clearTimeout(timer);
          child.off('message', onAnswer);
          resolveAnswer(message as T);
        }
        child.on('message', onAnswer);
        child.send({ type });
      });
    },
    stop() {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise<void>((resolveStop) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolveStop();
        });
        if (child.connected) child.disconnect();
        else child.kill();
      });
    },
  };
}

/** For helper processes: exit when the parent goes away, and at the latest after `lifetimeMs`. */
export function exitWithParent(lifetimeMs: number, cleanup: () => void = () => {}): void {
  const bye = () => {
    cleanup();
    process.exit(0);
  };
  process.on('disconnect', bye);
  setTimeout(bye, lifetimeMs).unref();
}

/**
 * Forks a TypeScript helper under tsx and resolves with its `{type: 'result'}` message; rejects
 * when it exits without one or runs past `timeoutMs` (then it is killed).
 */
export function runChild<T>(script: string, args: string[], timeoutMs: number): Promise<T> {
  const child = fork(script, args, {
    cwd: REPO_ROOT,
    execArgv: childExecArgv(),
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolveResult, rejectResult) => {
    let result: T | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectResult(new ChildProcessError(`${script} ${args.join(' ')} ran past ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('message', (message: { type?: string }) => {
      if (message?.type === 'result') result = message as T;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (result !== undefined) resolveResult(result);
      else rejectResult(new ChildProcessError(`${script} exited with code ${code} and no result`));
    });
  });
}
