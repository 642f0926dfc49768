import { describe, expect, it } from 'vitest';
import { StoryCandidates } from '#shared/alerts/story-candidates.ts';
import { storySignature } from '#shared/alerts/story-clusterer.ts';
import type { StoryMember } from '#shared/store/match-schema.ts';

function fields(matchId: string): StoryMember {
  return { matchId, feed: `Outlet ${matchId}`, title: `Title ${matchId}` };
}

function known(matchId: string, storyId: string, storedAtMs: number, withFields = true) {
  return {
    matchId,
    storyId,
    signature: storySignature(`Reservoir dam bursts after storm ${storyId}`),
    storedAtMs,
    ...(withFields ? { member: fields(matchId) } : {}),
  };
}

describe('StoryCandidates founders', () => {
  it("gives a story's first copy when it is the story's only candidate", () => {
    const candidates = new StoryCandidates(10);

    candidates.remember(known('a', 'a', 1));

    expect(candidates.loneFounder('a')).toEqual(fields('a'));
  });

  it('gives no founder once a second member joins the story', () => {
    const candidates = new StoryCandidates(10);
    candidates.remember(known('a', 'a', 1));

    candidates.remember(known('b', 'a', 2));

    expect(candidates.loneFounder('a')).toBeUndefined();
  });

  it("gives no founder when the story's only candidate is not its first copy", () => {
    const candidates = new StoryCandidates(10);

    candidates.remember(known('b', 'a', 2));

    expect(candidates.loneFounder('a')).toBeUndefined();
  });

  it('keeps the fields learned later for a first copy first known without them', () => {
    const candidates = new StoryCandidates(10);
    candidates.remember(known('a', 'a', 1, false));

    candidates.remember(known('a', 'a', 1));

    expect(candidates.loneFounder('a')).toEqual(fields('a'));
  });

  it('forgets the fields of a first copy pushed out of the candidates', () => {
    const candidates = new StoryCandidates(1);
    candidates.remember(known('a', 'a', 1));

    candidates.remember(known('z', 'z', 2));

    expect(candidates.loneFounder('a')).toBeUndefined();
    expect(candidates.loneFounder('z')).toEqual(fields('z'));
  });

  it('forgets the fields of a first copy that moves into another story', () => {
    const candidates = new StoryCandidates(10);
    candidates.remember(known('a', 'a', 1));

    candidates.remember({ ...known('a', 'x', 1), member: fields('a') });

    expect(candidates.loneFounder('a')).toBeUndefined();
    expect(candidates.loneFounder('x')).toBeUndefined();
  });
});
