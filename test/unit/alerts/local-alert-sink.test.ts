import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildAlertMessage, buildDigestMessage } from '#shared/alerts/alert-message.ts';
import { AlertLogLineSchema, createLocalAlertSink } from '#shared/alerts/local-alert-sink.ts';
import { aMatch } from '../../fixtures/alerts/alert-fixtures.ts';

const AT = '2026-11-29T05:02:00.000Z';

describe('createLocalAlertSink', () => {
  let dataDir: string;
  let output: PassThrough;
  let printed: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'newswatch-alerts-'));
    output = new PassThrough();
    printed = '';
    output.on('data', (chunk: Buffer) => {
      printed += chunk.toString();
    });
  });
  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  function lines(): unknown[] {
    return readFileSync(join(dataDir, 'alerts.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
  }

  it('appends one JSON line per alert with the contract fields', async () => {
    const sink = createLocalAlertSink({ dataDir, output });
    const match = aMatch({ id: 'm1', storyId: 'm1' });
    await sink.publish(
      buildAlertMessage(match, {
        alertedAt: AT,
        storyMembers: [{ matchId: 'm2', feed: 'Daily Two', title: 'Same story' }],
      }),
    );
    await sink.publish(buildAlertMessage(aMatch({ id: 'm3' }), { alertedAt: AT }));
    const [first, second] = lines();
    expect(first).toEqual({
      alertedAt: AT,
      storyId: 'm1',
      matchId: 'm1',
      title: match.title,
      link: match.link,
      score: 0.82,
      facets: ['trade-ties'],
      terms: ['trade pact', 'energy'],
      alsoReportedBy: [{ matchId: 'm2', feed: 'Daily Two', title: 'Same story' }],
    });
    expect(AlertLogLineSchema.parse(second)).toMatchObject({ matchId: 'm3' });
  });

  it('prints the alert readably to the terminal', async () => {
    const sink = createLocalAlertSink({ dataDir, output });
    const message = buildAlertMessage(aMatch({ feed: 'Wire One' }), { alertedAt: AT });
    await sink.publish(message);
    expect(printed).toContain(`ALERT  ${message.subject}`);
    expect(printed).toContain('Outlet:     Wire One');
  });

  it('writes one line per story of a digest, marked as digest', async () => {
    const sink = createLocalAlertSink({ dataDir, output });
    const stories = ['d1', 'd2'].map((id) => {
      const {
        kind: _k,
        version: _v,
        alertedAt: _a,
        explanation: _e,
        ...story
      } = buildAlertMessage(aMatch({ id }), { alertedAt: AT }).payload;
      return story;
    });
    await sink.publishDigest(buildDigestMessage(stories, { digestedAt: AT }));
    const written = lines().map((line) => AlertLogLineSchema.parse(line));
    expect(written.map((line) => [line.matchId, line.digest, line.alertedAt])).toEqual([
      ['d1', true, AT],
      ['d2', true, AT],
    ]);
    expect(printed).toContain('DIGEST newswatch digest: 2 stories');
  });
});
