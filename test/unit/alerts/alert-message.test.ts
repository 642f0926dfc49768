import { describe, expect, it } from 'vitest';
import {
  AlertPayloadSchema,
  alertSubject,
  buildAlertMessage,
  buildDigestMessage,
  buildDigestMessages,
  DigestPayloadSchema,
  type DigestStory,
  SUBJECT_MAX_CHARS,
  scoreBand,
  snsPublishBytes,
  snsStructuredMessage,
} from '#shared/alerts/alert-message.ts';
import { aMatch } from '../../fixtures/alerts/alert-fixtures.ts';

const ALERTED_AT = '2026-11-29T05:02:00.000Z';

describe('alertSubject', () => {
  it('puts the score first and the headline after it', () => {
    expect(alertSubject('Ministers sign a trade pact', 0.8234)).toBe(
      '[0.82] Ministers sign a trade pact',
    );
  });

  it('stays under the SNS subject limit for a very long headline', () => {
    const subject = alertSubject('A very long headline '.repeat(20), 0.9);
    expect([...subject].length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(subject.endsWith('...')).toBe(true);
  });

  it('removes line breaks and control characters, which SNS rejects in subjects', () => {
    expect(alertSubject('Line one\nline\ttwo\u0007', 0.5)).toBe('[0.50] Line one line two');
  });
});

describe('scoreBand', () => {
  it('names the band a score falls in', () => {
    expect(scoreBand(0.9)).toBe('high');
    expect(scoreBand(0.6)).toBe('medium');
    expect(scoreBand(0.3)).toBe('low');
  });
});

describe('buildAlertMessage', () => {
  const match = aMatch({
    id: 'm1',
    storyId: 'm1',
    feed: 'Wire One',
    published: '2026-11-29T04:55:00.000Z',
    link: 'https://wire.example/m1',
  });
  const members = [
    { matchId: 'm1', feed: 'Wire One', title: match.title },
    { matchId: 'm2', feed: 'Daily Two', title: 'Trade pact signed', link: 'https://two.example/a' },
  ];
  const message = buildAlertMessage(match, { alertedAt: ALERTED_AT, storyMembers: members });

  it('gives the email body the outlet, publish time, link and score', () => {
    expect(message.text).toContain('Outlet:     Wire One');
    expect(message.text).toContain('Published:  2026-11-29 04:55 UTC');
    expect(message.text).toContain('Link:       https://wire.example/m1');
    expect(message.text).toContain('Score:      0.82 (high)');
  });

  it('explains the match with its facets and terms', () => {
    expect(message.text).toContain('trade-ties (0.61): trade pact, energy');
    expect(message.text).toContain('Terms: trade pact, energy');
  });

  it('lists the other outlets on the story but not the match itself', () => {
    expect(message.text).toContain('Also reported by');
    expect(message.text).toContain('Daily Two: Trade pact signed <https://two.example/a>');
    expect(message.payload.alsoReportedBy.map((member) => member.matchId)).toEqual(['m2']);
  });

  it('keeps a headline in another language as published and names the language', () => {
    const russian = buildAlertMessage(
      aMatch({
        id: 'm3',
        storyId: 'm3',
        title: 'Путин и Си Цзиньпин начали переговоры',
        facets: ['russia', 'china'],
        lang: 'ru',
      }),
      { alertedAt: ALERTED_AT, storyMembers: [] },
    );

    expect(russian.text.split('\n')[0]).toBe('Путин и Си Цзиньпин начали переговоры');
    expect(russian.text).toContain('Language:   Russian (ru)');
    expect(russian.payload.lang).toBe('ru');
    expect(russian.attributes.lang).toEqual({ DataType: 'String', StringValue: 'ru' });
    expect(message.text).not.toContain('Language:');
  });

  it('says so when no other outlet reported the story yet', () => {
    const alone = buildAlertMessage(match, { alertedAt: ALERTED_AT, storyMembers: [] });
    expect(alone.text).toContain('No other outlet has reported this story yet.');
  });

  it('carries a payload that validates against the published schema', () => {
    expect(AlertPayloadSchema.parse(message.payload)).toEqual(message.payload);
    expect(message.payload).toMatchObject({
      kind: 'alert',
      storyId: 'm1',
      matchId: 'm1',
      score: 0.82,
      scoreBand: 'high',
      alertedAt: ALERTED_AT,
    });
  });

  it('sets filterable attributes: facets as String.Array, band as String, score as Number', () => {
    expect(message.attributes).toEqual({
      kind: { DataType: 'String', StringValue: 'alert' },
      facets: { DataType: 'String.Array', StringValue: '["trade-ties"]' },
      scoreBand: { DataType: 'String', StringValue: 'high' },
      score: { DataType: 'Number', StringValue: '0.8200' },
    });
  });

  it('leaves the facets attribute out when there are no facets, as SNS rejects empty arrays', () => {
    const bare = buildAlertMessage(aMatch({ facets: [] }), { alertedAt: ALERTED_AT });
    expect(bare.attributes.facets).toBeUndefined();
  });
});

describe('snsStructuredMessage', () => {
  it('carries the text once, for email, and the JSON payload once, for every other protocol', () => {
    const message = buildAlertMessage(aMatch(), { alertedAt: ALERTED_AT });
    const structured = JSON.parse(snsStructuredMessage(message)) as Record<string, string>;
    expect(Object.keys(structured).sort()).toEqual(['default', 'email']);
    expect(structured.email).toBe(message.text);
    expect(AlertPayloadSchema.parse(JSON.parse(structured.default as string))).toEqual(
      message.payload,
    );
  });
});

describe('buildDigestMessage', () => {
  const stories = [0.55, 0.91].map((score, index) => {
    const { payload } = buildAlertMessage(aMatch({ id: `d${index}`, score }), {
      alertedAt: ALERTED_AT,
    });
    const { kind: _k, version: _v, alertedAt: _a, explanation: _e, ...story } = payload;
    return story;
  });
  const digest = buildDigestMessage(stories, { digestedAt: ALERTED_AT });

  it('lists every story, highest score first', () => {
    expect(digest.payload.stories.map((story) => story.matchId)).toEqual(['d1', 'd0']);
    expect(digest.text.indexOf('[0.91]')).toBeLessThan(digest.text.indexOf('[0.55]'));
    expect(DigestPayloadSchema.parse(digest.payload)).toEqual(digest.payload);
  });

  it('counts the stories in a subject under the SNS limit', () => {
    expect(digest.subject.startsWith('newswatch digest: 2 stories')).toBe(true);
    expect([...digest.subject].length).toBeLessThanOrEqual(SUBJECT_MAX_CHARS);
    expect(digest.attributes.kind).toEqual({ DataType: 'String', StringValue: 'digest' });
  });
});

/** A digest entry for a match with `outlets` other outlets on its story. */
function digestStoryOf(id: string, score: number, outlets: number): DigestStory {
  const members = Array.from({ length: outlets }, (_, index) => ({
    matchId: `${id}-copy-${index}`,
    feed: `Outlet ${index}`,
    title: `Копия ${index} `.repeat(40),
    link: `https://outlet-${index}.example/${'path/'.repeat(30)}${id}`,
  }));
  const { payload } = buildAlertMessage(aMatch({ id, score }), {
    alertedAt: ALERTED_AT,
    storyMembers: members,
  });
  const { kind: _k, version: _v, alertedAt: _a, explanation: _e, ...story } = payload;
  return story;
}

describe('other outlets in an alert', () => {
  it('lists ten and counts the rest, in the payload and the text', () => {
    const story = digestStoryOf('many', 0.9, 14);
    expect(story.alsoReportedBy).toHaveLength(10);
    expect(story.alsoReportedByMore).toBe(4);
    const digest = buildDigestMessage([story], { digestedAt: ALERTED_AT });
    expect(digest.text).toContain('and 4 more');
  });
});

describe('buildDigestMessages', () => {
  const stories = Array.from({ length: 40 }, (_, index) =>
    digestStoryOf(`s${index}`, (index % 10) / 10, 3),
  );

  it('splits by the measured size of each publish, every story once, highest score first', () => {
    const maxBytes = 60_000;
    const messages = buildDigestMessages(stories, {
      digestedAt: ALERTED_AT,
      maxStories: 50,
      maxBytes,
    });
    expect(messages.length).toBeGreaterThan(1);
    for (const message of messages) expect(snsPublishBytes(message)).toBeLessThanOrEqual(maxBytes);
    const carried = messages.flatMap((message) => message.payload.stories);
    expect(carried.map((story) => story.matchId).sort()).toEqual(
      stories.map((story) => story.matchId).sort(),
    );
    const scores = carried.map((story) => story.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('puts at most maxStories stories in one message', () => {
    const messages = buildDigestMessages(stories, { digestedAt: ALERTED_AT, maxStories: 15 });
    const sizes = messages.map((message) => message.payload.stories.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(15);
    expect(sizes.reduce((sum, size) => sum + size)).toBe(40);
  });

  it('sends a story too big for a message alone without its outlet list, counted instead', () => {
    const [message] = buildDigestMessages([digestStoryOf('huge', 0.9, 12)], {
      digestedAt: ALERTED_AT,
      maxStories: 50,
      maxBytes: 5_000,
    });
    expect(message?.payload.stories[0]?.alsoReportedBy).toEqual([]);
    expect(message?.payload.stories[0]?.alsoReportedByMore).toBe(12);
  });

  it('counts the subject and every attribute in the size of a publish', () => {
    const [message] = buildDigestMessages(stories.slice(0, 1), {
      digestedAt: ALERTED_AT,
      maxStories: 50,
    });
    const attributes = Object.entries(message?.attributes ?? {}).reduce(
      (sum, [name, value]) =>
        sum +
        Buffer.byteLength(name) +
        Buffer.byteLength(value.DataType) +
        Buffer.byteLength(value.StringValue),
      0,
    );
    expect(snsPublishBytes(message as never)).toBe(
      Buffer.byteLength(snsStructuredMessage(message as never)) +
        Buffer.byteLength(message?.subject ?? '') +
        attributes,
    );
  });
});

describe('hostile text in alerts', () => {
  it('keeps escape sequences and bidi controls out of the subject and the text', () => {
    const message = buildAlertMessage(
      aMatch({ title: 'Talks \u001B]0;owned\u0007in \u202EBeijing\u2066 end', feed: 'Wire' }),
      { alertedAt: ALERTED_AT },
    );
    expect(message.subject).toBe('[0.82] Talks in Beijing end');
    expect(message.text.replaceAll('\n', '')).not.toMatch(/\p{Cc}|\p{Cf}/u);
  });
});
