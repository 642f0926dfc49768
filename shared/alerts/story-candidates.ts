import type { StoryMember } from '#shared/store/match-schema.ts';
import { SlotPostings } from './slot-postings.ts';
import { parseSignature, SIGNATURE_SLOTS } from './story-clusterer.ts';

/** What the candidates keep of a known story member. */
export interface KnownMember {
  matchId: string;
  storyId: string;
  signature: string;
  storedAtMs: number;
  /** Its fields as a story member, kept only while it is a candidate that founded its story. */
  member?: StoryMember;
}

interface Entry {
  readonly matchId: string;
  storyId: string;
  signature: string;
  slots: Uint32Array | undefined;
  storedAtMs: number;
  /** When it became known: of two members stored at the same time, the earlier known ranks first. */
  readonly seq: number;
  /** Its place in the bucket of its storedAtMs. */
  position: number;
  /** Its id in the postings and the slots it is filed under, while it is a candidate. */
  postingId: number;
  posted: Uint32Array | undefined;
  /** Set while it is one of the candidates (the most recent `maxCandidates`). */
  story: StoryTally | undefined;
  /** Its member fields while it is a candidate and its story's first copy (see `loneFounder`). */
  founder: StoryMember | undefined;
}

interface StoryTally {
  readonly storyId: string;
  readonly members: Set<Entry>;
  /** Slots shared with the signature being placed, valid while `round` is the current round. */
  same: number;
  round: number;
}

/**
 * The known story members within the window, of which the most recent `maxCandidates` are the
 * candidates a new match is compared with. Ranked by storedAt (newest first), ties by when they
 * became known (earlier first), which is the order a stable sort by storedAt of the members in
 * the order they became known gives.
 *
 * Kept so that each change and each search costs little whatever the window holds: members sit in
 * buckets by storedAt, so expiry drops whole buckets from the oldest end; the candidates change by
 * one member each time one is added; and every candidate is indexed by each (slot, value) of its
 * signature, so a search touches only stories with a member sharing a slot with the new signature.
 * A story none of whose members shares a slot has similarity 0 with each of them, hence mean 0:
 * skipping it changes no answer above a positive threshold.
 */
export class StoryCandidates {
  private readonly maxCandidates: number;
  private readonly entries = new Map<string, Entry>();
  /** Members by storedAtMs, each bucket in the order they became known. */
  private readonly buckets = new Map<number, Entry[]>();
  /** The storedAtMs of the buckets, ascending from `timesStart`. */
  private times: number[] = [];
  private timesStart = 0;
  private nextSeq = 0;
  /** The least recent candidate, while there is one. */
  private lowest: Entry | undefined;
  /** Candidates by each (slot, value) of their signatures. */
  private readonly postings = new SlotPostings<Entry>();
  private readonly stories = new Map<string, StoryTally>();
  private round = 0;
  private lastParsed: { signature: string; slots: Uint32Array | undefined } = {
    signature: '',
    slots: undefined,
  };

  constructor(maxCandidates: number) {
    this.maxCandidates = maxCandidates;
  }

  /** The candidate with this match id, if it is one. */
  candidate(matchId: string): { storyId: string } | undefined {
    const entry = this.entries.get(matchId);
    return entry?.story ? { storyId: entry.storyId } : undefined;
  }

  /**
   * The member fields of the story's first copy when that copy is the story's only candidate: a
   * copy joining it is then the story's second, whose summary (as far as this view goes) does not
   * exist yet.
   */
  loneFounder(storyId: string): StoryMember | undefined {
    const story = this.stories.get(storyId);
    if (story?.members.size !== 1) return undefined;
    const [only] = story.members;
    return only?.matchId === storyId ? only.founder : undefined;
  }

  /** Adds a member, or updates the one with its match id (which keeps its rank among equals). */
  remember(member: KnownMember): void {
    const known = this.entries.get(member.matchId);
    if (!known) {
      this.add(member);
      return;
    }
    if (known.storedAtMs !== member.storedAtMs) {
      this.unbucket(known);
      this.update(known, member);
      known.storedAtMs = member.storedAtMs;
      this.bucket(known);
      this.rebuildCandidates();
      keepFounder(known, member);
      return;
    }
    if (known.storyId === member.storyId && known.signature === member.signature) {
      keepFounder(known, member);
      return;
    }
    const wasCandidate = known.story !== undefined;
    if (wasCandidate) this.leave(known);
    this.update(known, member);
    if (wasCandidate) this.enter(known);
    keepFounder(known, member);
  }

  /** Forgets every member stored before the given time. */
  expireBefore(startMs: number): void {
    let expired = false;
    while (
      this.timesStart < this.times.length &&
      (this.times[this.timesStart] as number) < startMs
    ) {
      const time = this.times[this.timesStart++] as number;
      for (const entry of this.buckets.get(time) ?? []) {
        if (entry.story) this.leave(entry);
        this.entries.delete(entry.matchId);
      }
      this.buckets.delete(time);
      expired = true;
    }
    if (!expired) return;
    if (this.timesStart > 1024 && this.timesStart * 2 > this.times.length) {
      this.times = this.times.slice(this.timesStart);
      this.timesStart = 0;
    }
    // Members beyond the candidates are older than every candidate, so they expire first: when a
    // candidate expired, everything left is a candidate and the oldest one left is the lowest.
    if (this.entries.size <= this.maxCandidates) this.lowest = this.oldest();
  }

  /**
   * The story with the highest mean similarity of its candidate members to the signature, if that
   * mean reaches the threshold; ties go to the story that comes first in the candidates' order.
   */
  nearest(
    signature: string,
    threshold: number,
  ): { storyId: string; similarity: number } | undefined {
    const touched = this.tally(this.parse(signature));
    if (touched.length > 0) {
      let bestSimilarity = 0;
      for (const story of touched) {
        bestSimilarity = Math.max(
          bestSimilarity,
          story.same / SIGNATURE_SLOTS / story.members.size,
        );
      }
      if (!(bestSimilarity >= threshold)) return undefined;
      // Only stories at the best mean need the order, and a tie there is rare.
      let best: StoryTally | undefined;
      for (const story of touched) {
        const similarity = story.same / SIGNATURE_SLOTS / story.members.size;
        if (similarity === bestSimilarity && (!best || this.precedes(story, best))) best = story;
      }
      return { storyId: (best as StoryTally).storyId, similarity: bestSimilarity };
    }
    // No member shares a slot: every story's mean is 0, and the first story wins a threshold of 0.
    if (Number.isNaN(threshold) || threshold > 0) return undefined;
    const first = this.firstCandidate();
    return first ? { storyId: first.storyId, similarity: 0 } : undefined;
  }

  /** Parses a signature; the one just searched for is usually the next one added. */
  private parse(signature: string): Uint32Array | undefined {
    if (signature !== this.lastParsed.signature) {
      this.lastParsed = { signature, slots: parseSignature(signature) };
    }
    return this.lastParsed.slots;
  }

  private tally(slots: Uint32Array | undefined): StoryTally[] {
    const touched: StoryTally[] = [];
    if (!slots) return touched;
    const round = ++this.round;
    const count = (entry: Entry) => {
      const story = entry.story as StoryTally;
      if (story.round !== round) {
        story.round = round;
        story.same = 0;
        touched.push(story);
      }
      story.same++;
    };
    this.postings.visitSharing(slots, count);
    return touched;
  }

  /**
   * Whether story `a` comes before `b` among the candidates: in the order they became known while
   * every known member is a candidate, else newest first (how the candidates were listed).
   */
  private precedes(a: StoryTally, b: StoryTally): boolean {
    if (this.entries.size <= this.maxCandidates) return firstKnown(a) < firstKnown(b);
    return moreRecent(mostRecent(a), mostRecent(b));
  }

  private firstCandidate(): Entry | undefined {
    if (this.maxCandidates <= 0) return undefined;
    if (this.entries.size <= this.maxCandidates) return this.entries.values().next().value;
    const newest = this.buckets.get(this.times[this.times.length - 1] as number);
    return newest?.[0];
  }

  private add(member: KnownMember): void {
    const entry: Entry = {
      matchId: member.matchId,
      storyId: member.storyId,
      signature: member.signature,
      slots: this.parse(member.signature),
      storedAtMs: member.storedAtMs,
      seq: this.nextSeq++,
      position: 0,
      postingId: -1,
      posted: undefined,
      story: undefined,
      founder: undefined,
    };
    this.entries.set(entry.matchId, entry);
    this.bucket(entry);
    if (this.maxCandidates <= 0) return;
    const lowest = this.lowest;
    if (this.entries.size <= this.maxCandidates) {
      this.enter(entry);
      if (!lowest || !moreRecent(entry, lowest)) this.lowest = entry;
    } else if (lowest && moreRecent(entry, lowest)) {
      this.enter(entry);
      this.leave(lowest);
      // Out of the candidates it is no story's lone member any more: its fields need not stay.
      lowest.founder = undefined;
      this.lowest = this.nextMoreRecent(lowest);
    }
    keepFounder(entry, member);
  }

  private update(entry: Entry, member: KnownMember): void {
    entry.storyId = member.storyId;
    if (entry.signature !== member.signature) {
      entry.signature = member.signature;
      entry.slots = this.parse(member.signature);
    }
  }

  /** Makes an entry a candidate: counted in its story and findable by each slot. */
  private enter(entry: Entry): void {
    let story = this.stories.get(entry.storyId);
    if (!story) {
      story = { storyId: entry.storyId, members: new Set(), same: 0, round: 0 };
      this.stories.set(entry.storyId, story);
    }
    story.members.add(entry);
    entry.story = story;
    const slots = entry.slots;
    if (!slots) return;
    entry.postingId = this.postings.add(entry, slots);
    entry.posted = slots;
  }

  private leave(entry: Entry): void {
    const story = entry.story as StoryTally;
    story.members.delete(entry);
    if (story.members.size === 0) this.stories.delete(story.storyId);
    entry.story = undefined;
    if (!entry.posted) return;
    this.postings.remove(entry.postingId, entry.posted);
    entry.postingId = -1;
    entry.posted = undefined;
  }

  /** Puts an entry in the bucket of its time, in the order entries became known. */
  private bucket(entry: Entry): void {
    const time = entry.storedAtMs;
    const bucket = this.buckets.get(time);
    if (!bucket) {
      this.buckets.set(time, [entry]);
      entry.position = 0;
      this.times.splice(this.timeIndex(time), 0, time);
      return;
    }
    let at = bucket.length;
    while (at > 0 && (bucket[at - 1] as Entry).seq > entry.seq) at--;
    bucket.splice(at, 0, entry);
    for (let i = at; i < bucket.length; i++) (bucket[i] as Entry).position = i;
  }

  private unbucket(entry: Entry): void {
    const time = entry.storedAtMs;
    const bucket = this.buckets.get(time) as Entry[];
    bucket.splice(entry.position, 1);
    for (let i = entry.position; i < bucket.length; i++) (bucket[i] as Entry).position = i;
    if (bucket.length > 0) return;
    this.buckets.delete(time);
    this.times.splice(this.timeIndex(time), 1);
  }

  /** Where `time` is or would go in `times` (binary search from the end, where new times land). */
  private timeIndex(time: number): number {
    let low = this.timesStart;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.times[middle] as number) < time) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  /** The entry ranked just above this one (more recent); there is one when it is called. */
  private nextMoreRecent(entry: Entry): Entry | undefined {
    const bucket = this.buckets.get(entry.storedAtMs) as Entry[];
    if (entry.position > 0) return bucket[entry.position - 1];
    const newer = this.times[this.timeIndex(entry.storedAtMs) + 1];
    const newerBucket = newer === undefined ? undefined : this.buckets.get(newer);
    return newerBucket?.[newerBucket.length - 1];
  }

  private oldest(): Entry | undefined {
    const bucket = this.buckets.get(this.times[this.timesStart] as number);
    return bucket?.[bucket.length - 1];
  }

  /** Picks the candidates again from scratch, after a member moved in time (rare). */
  private rebuildCandidates(): void {
    for (const entry of this.entries.values()) if (entry.story) this.leave(entry);
    this.lowest = undefined;
    let left = this.maxCandidates;
    for (let index = this.times.length - 1; index >= this.timesStart && left > 0; index--) {
      for (const entry of this.buckets.get(this.times[index] as number) as Entry[]) {
        if (left <= 0) break;
        this.enter(entry);
        this.lowest = entry;
        left--;
      }
    }
  }
}

/** Keeps a candidate's member fields while it is its story's first copy, and only then. */
function keepFounder(entry: Entry, member: KnownMember): void {
  entry.founder =
    entry.story && entry.storyId === entry.matchId ? (member.member ?? entry.founder) : undefined;
}

function moreRecent(a: Entry, b: Entry): boolean {
  return a.storedAtMs > b.storedAtMs || (a.storedAtMs === b.storedAtMs && a.seq < b.seq);
}

function firstKnown(story: StoryTally): number {
  let first = Number.POSITIVE_INFINITY;
  for (const member of story.members) first = Math.min(first, member.seq);
  return first;
}

function mostRecent(story: StoryTally): Entry {
  let newest: Entry | undefined;
  for (const member of story.members) if (!newest || moreRecent(member, newest)) newest = member;
  return newest as Entry;
}
