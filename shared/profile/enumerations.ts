import { isHan } from './text-script.ts';
import { isWordChar } from './text-tokens.ts';

/** Where one of the profile's terms was found in a text: [start, end). */
export interface Mention {
  start: number;
  end: number;
}

/** Names in an enumeration beyond this many words are no longer one name ("North Korea"). */
const MAX_NAME_WORDS = 3;
/** A Han member between enumeration commas (、) longer than this is a clause, not a name. */
const MAX_HAN_MEMBER = 8;
/** Words that join the last member of an enumeration, in the scripts the scorer reads. */
const CONJUNCTIONS = new Set(['and', 'or', 'и', 'или']);

/**
 * Which mentions stand in an enumeration together with a name the profile does not know:
 * "with China, Russia, France, UK", "Washington, Kyiv and Moscow", «России, США и Украины»,
 * 「中国、俄罗斯、法国」. Such a list puts the profile's names side by side as members of a set,
 * not as the parties of the story: the topic's names are present, their interplay is not
 * shown. An enumeration is three or more names joined by commas or a conjunction, or two joined
 * by a conjunction or 、; a name is a mention or a run of up to three capitalised words (a Han
 * run, between 、). A list at the very start of the text is left alone: there it is the subject
 * of the headline, the members acting together ("Chinese, Russian, Indian leaders pledge
 * cooperation"). Returns one flag per mention, in the order given.
 */
export function listedMentions(text: string, mentions: readonly Mention[]): boolean[] {
  const flags = mentions.map(() => false);
  if (mentions.length === 0) return flags;
  const order = mentions.map((_, index) => index).sort((a, b) => byStart(mentions, a, b));
  // Overlapping mentions ("xi" inside "xi jinping") are one member.
  const groups: Group[] = [];
  for (const index of order) {
    const mention = mentions[index] as Mention;
    const last = groups[groups.length - 1];
    if (last && mention.start < last.end) {
      last.end = Math.max(last.end, mention.end);
      last.members.push(index);
    } else groups.push({ start: mention.start, end: mention.end, members: [index] });
  }
  const groupStarting = new Map(groups.map((group) => [group.start, group]));
  const groupEnding = new Map(groups.map((group) => [group.end, group]));
  const done = new Set<Group>();

  for (const group of groups) {
    if (done.has(group)) continue;
    const chain: Member[] = [{ start: group.start, end: group.end, known: true, group }];
    let joined = false;
    // Rightwards: ", name", " and name"; a conjunction ends the list.
    for (let position = group.end; ; ) {
      const separator = separatorAfter(text, position);
      if (!separator) break;
      const member = memberAfter(text, separator.end, groupStarting);
      if (!member) break;
      chain.push(member);
      joined ||= separator.joins;
      position = member.end;
      if (separator.conjunction) break;
    }
    // Leftwards: "name, ", "name and ".
    for (let position = group.start; ; ) {
      const separator = separatorBefore(text, position);
      if (!separator) break;
      const member = memberBefore(text, separator.start, groupEnding);
      if (!member) break;
      chain.unshift(member);
      joined ||= separator.joins;
      position = member.start;
    }
    for (const member of chain) if (member.group) done.add(member.group);
    const isList = chain.length >= 3 || (chain.length === 2 && joined);
    if (!isList || chain.every((member) => member.known)) continue;
    if (leadsText(text, (chain[0] as Member).start)) continue;
    for (const member of chain) {
      for (const index of member.group?.members ?? []) flags[index] = true;
    }
  }
  return flags;
}

function byStart(mentions: readonly Mention[], a: number, b: number): number {
  const left = mentions[a] as Mention;
  const right = mentions[b] as Mention;
  return left.start - right.start || right.end - left.end;
}

interface Separator {
  start: number;
  end: number;
  /** A conjunction or 、, which join two names into a list on their own. */
  joins: boolean;
  conjunction: boolean;
}

function separatorAfter(text: string, from: number): Separator | undefined {
  let index = skipSpaces(text, from, 1);
  const code = text.charCodeAt(index);
  if (code === 0x3001) return { start: index, end: index + 1, joins: true, conjunction: false };
  if (code === 44) return { start: index, end: index + 1, joins: false, conjunction: false };
  if (code === 38) return { start: index, end: index + 1, joins: true, conjunction: true };
  if (index === from) return undefined;
  const wordStart = index;
  while (index < text.length && isWordChar(text.charCodeAt(index))) index++;
  if (!CONJUNCTIONS.has(text.slice(wordStart, index).toLowerCase())) return undefined;
  if (!isSpace(text.charCodeAt(index))) return undefined;
  return { start: wordStart, end: index, joins: true, conjunction: true };
}

function separatorBefore(text: string, to: number): Separator | undefined {
  let index = skipSpaces(text, to - 1, -1);
  const code = text.charCodeAt(index);
  if (code === 0x3001) return { start: index, end: index + 1, joins: true, conjunction: false };
  if (code === 44) return { start: index, end: index + 1, joins: false, conjunction: false };
  if (code === 38) return { start: index, end: index + 1, joins: true, conjunction: true };
  if (index === to - 1) return undefined;
  const wordEnd = index + 1;
  while (index >= 0 && isWordChar(text.charCodeAt(index))) index--;
  if (!CONJUNCTIONS.has(text.slice(index + 1, wordEnd).toLowerCase())) return undefined;
  if (index >= 0 && !isSpace(text.charCodeAt(index))) return undefined;
  return { start: index + 1, end: wordEnd, joins: true, conjunction: true };
}

type Member = { start: number; end: number; known: boolean; group?: Group };
type Group = { start: number; end: number; members: number[] };

function memberAfter(text: string, from: number, starting: Map<number, Group>): Member | undefined {
  const start = skipSpaces(text, from, 1);
  const group = starting.get(start);
  if (group) return { start, end: group.end, known: true, group };
  const code = text.charCodeAt(start);
  if (isHan(code)) {
    let end = start;
    while (end < text.length && isHan(text.charCodeAt(end)) && !starting.has(end)) end++;
    if (end - start > MAX_HAN_MEMBER) return undefined;
    return { start, end, known: false };
  }
  const adjective = placeAdjectiveAt(text, start);
  if (adjective > start) return { start, end: adjective, known: false };
  let end = start;
  let index = start;
  for (let words = 0; words < MAX_NAME_WORDS; words++) {
    const inner = starting.get(index);
    // A name qualified by one of the profile's ("the air force of China") is the profile's.
    if (words > 0 && inner) return { start, end: inner.end, known: true, group: inner };
    if (!isCapital(text.charCodeAt(index))) break;
    while (index < text.length && isNamePart(text, index)) index++;
    end = index;
    if (text.charCodeAt(index) !== 32) break;
    index++;
  }
  return end > start ? { start, end, known: false } : undefined;
}

function memberBefore(text: string, to: number, ending: Map<number, Group>): Member | undefined {
  const end = skipSpaces(text, to - 1, -1) + 1;
  const group = ending.get(end);
  if (group) return { start: group.start, end, known: true, group };
  if (isHan(text.charCodeAt(end - 1))) {
    let start = end;
    while (start > 0 && isHan(text.charCodeAt(start - 1)) && !ending.has(start)) start--;
    if (end - start > MAX_HAN_MEMBER) return undefined;
    return { start, end, known: false };
  }
  let wordStart = end;
  while (wordStart > 0 && isNamePart(text, wordStart - 1)) wordStart--;
  if (wordStart < end && placeAdjectiveAt(text, wordStart) === end) {
    return { start: wordStart, end, known: false };
  }
  let start = end;
  let index = end;
  for (let words = 0; words < MAX_NAME_WORDS; words++) {
    if (words > 0 && ending.has(index)) break;
    let wordStart = index;
    while (wordStart > 0 && isNamePart(text, wordStart - 1)) wordStart--;
    if (wordStart === index || !isCapital(text.charCodeAt(wordStart))) break;
    start = wordStart;
    if (text.charCodeAt(wordStart - 1) !== 32) break;
    index = wordStart - 1;
  }
  return start < end ? { start, end, known: false } : undefined;
}

/**
 * Russian writes the adjectives of countries and places in lowercase, where English capitalises
 * them ("Chinese and Iranian authors", «китайских и иранских авторов»): a lowercase Cyrillic
 * word formed with their suffix -ск- or -цк- (иранский, немецкий, американских) is a name in a
 * list. Returns the word's end, or `start` when the word is not one.
 */
function placeAdjectiveAt(text: string, start: number): number {
  const first = text.charCodeAt(start);
  if (first < 0x430 || first > 0x44f) return start;
  let end = start;
  while (end < text.length && isWordChar(text.charCodeAt(end)) && !isHan(text.charCodeAt(end))) {
    end++;
  }
  return PLACE_ADJECTIVE.test(text.slice(start, end)) ? end : start;
}

/** The suffix -ск-/-цк- and an adjective's case ending, on a word of six letters or more. */
const PLACE_ADJECTIVE = /^[а-яё]{2,}[сц]к(ий|ая|ое|ие|ого|ому|им|ом|ой|ую|их|ими)$/;

/** Letters, digits and the dots of an abbreviation ("U.S."). */
function isNamePart(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code === 46) return isCapital(text.charCodeAt(index - 1));
  return isWordChar(code) && !isHan(code);
}

/** An uppercase Latin or Cyrillic letter: the start of a name in a sentence. */
function isCapital(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 0xc0 && code <= 0xde && code !== 0xd7) ||
    (code >= 0x400 && code <= 0x42f)
  );
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13 || code === 0xa0;
}

function skipSpaces(text: string, from: number, step: 1 | -1): number {
  let index = from;
  while (index >= 0 && index < text.length && isSpace(text.charCodeAt(index))) index += step;
  return index;
}

/** Nothing but spaces and opening quotes before this position. */
function leadsText(text: string, position: number): boolean {
  for (let index = 0; index < position; index++) {
    const code = text.charCodeAt(index);
    if (!isSpace(code) && code !== 34 && code !== 39 && code !== 0x2018 && code !== 0x201c) {
      return false;
    }
  }
  return true;
}
