import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const BIN = join(REPO_ROOT, 'bin/newswatch.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `newswatch` as a user would, from the repository root, and collects its output. */
export function runCli(
  args: string[],
  options: { stdin?: string; env?: NodeJS.ProcessEnv; killAfterMs?: number } = {},
): Promise<CliResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...options.env },
      // A command still running then is killed, and its code is null.
      ...(options.killAfterMs ? { timeout: options.killAfterMs } : {}),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Starts `newswatch` in the background, for long-running commands. */
export function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): ChildProcess & { output: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  return Object.assign(child, { output: () => output });
}

/** Resolves once the output matches, or fails with what was printed so far. */
export async function waitForOutput(
  child: { output: () => string },
  pattern: RegExp,
  timeoutMs = 60_000,
): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = child.output().match(pattern);
    if (match) return match;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error(`timed out waiting for ${pattern}; output so far:\n${child.output()}`);
}

export interface FeedServer {
  url: (path: string) => string;
  requests: () => number;
  close: () => Promise<void>;
}

/** Serves the sweep fixtures on 127.0.0.1 with ETags, answering 304 when nothing changed. */
export async function startFeedServer(): Promise<FeedServer> {
  const fixtures = join(REPO_ROOT, 'test/fixtures/sweep');
  let requests = 0;
  const server: Server = createServer((request, response) => {
    requests++;
    const name = (request.url ?? '/').slice(1);
    let body: Buffer;
    try {
      body = readFileSync(join(fixtures, name.replace(/[^a-z0-9.-]/gi, '')));
    } catch {
      response.writeHead(404).end('not found');
      return;
    }
    const etag = `"${body.length}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag })
      .end(body);
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}/${path}`,
    requests: () => requests,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
