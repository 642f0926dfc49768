import { z } from 'zod';
import { cleanText } from '#shared/feeds/text-clean.ts';
import { ScoreExplanationSchema } from '#shared/profile/score-types.ts';
import { type Match, StoryMemberSchema } from '#shared/store/match-schema.ts';

/** SNS refuses subjects of 100 characters or more. */
export const SUBJECT_MAX_CHARS = 99;
/**
 * SNS's limit for one publish, in bytes: the message, the subject and every message attribute's
 * name, type and value together.
 */
export const SNS_PUBLISH_MAX_BYTES = 262_144;
/** Other outlets listed in one alert or digest entry; the rest are counted, not listed. */
export const ALSO_REPORTED_MAX = 10;

export const ScoreBandSchema = z.enum(['high', 'medium', 'low']);
export type ScoreBand = z.infer<typeof ScoreBandSchema>;

/** What machine subscribers (SQS, Lambda, HTTPS) receive for one alert. */
export const AlertPayloadSchema = z.object({
  kind: z.literal('alert'),
  version: z.literal(1),
  alertedAt: z.string(),
  storyId: z.string(),
  matchId: z.string(),
  title: z.string(),
  link: z.string().optional(),
  feed: z.string(),
  published: z.string().optional(),
  /** The item's language (ISO 639-1); the title stays as published, in that language. */
  lang: z.string().optional(),
  score: z.number().min(0).max(1),
  scoreBand: ScoreBandSchema,
  facets: z.array(z.string()),
  terms: z.array(z.string()),
  explanation: ScoreExplanationSchema,
  /** At most {@link ALSO_REPORTED_MAX} other outlets' copies of the story. */
  alsoReportedBy: z.array(StoryMemberSchema),
  /** How many more copies there are than `alsoReportedBy` lists. */
  alsoReportedByMore: z.number().int().min(0),
});
export type AlertPayload = z.infer<typeof AlertPayloadSchema>;

export const DigestStorySchema = AlertPayloadSchema.omit({
  kind: true,
  version: true,
  alertedAt: true,
  explanation: true,
});
export type DigestStory = z.infer<typeof DigestStorySchema>;

/** What machine subscribers receive for a digest: every held-back story, one entry each. */
export const DigestPayloadSchema = z.object({
  kind: z.literal('digest'),
  version: z.literal(1),
  digestedAt: z.string(),
  stories: z.array(DigestStorySchema),
});
export type DigestPayload = z.infer<typeof DigestPayloadSchema>;

/** Shaped like SNS's MessageAttributeValue, so subscribers can filter on them. */
export interface MessageAttribute {
  DataType: 'String' | 'String.Array' | 'Number';
  StringValue: string;
}
export type MessageAttributes = Record<string, MessageAttribute>;

/** One alert or digest, ready for any publisher: subject, readable text, payload, filterable attributes. */
interface Message<Payload> {
  subject: string;
  text: string;
  payload: Payload;
  attributes: MessageAttributes;
}
export type AlertMessage = Message<AlertPayload>;
export type DigestMessage = Message<DigestPayload>;

export interface ScoreBands {
  /** Lowest score called 'high'. @default 0.75 */
  high: number;
  /** Lowest score called 'medium'. @default 0.5 */
  medium: number;
}

const DEFAULT_BANDS: ScoreBands = { high: 0.75, medium: 0.5 };

/** The band a score falls in, for subjects and subscription filter policies. */
export function scoreBand(score: number, bands: ScoreBands = DEFAULT_BANDS): ScoreBand {
  if (score >= bands.high) return 'high';
  if (score >= bands.medium) return 'medium';
  return 'low';
}

export interface AlertMessageOptions {
  alertedAt: string;
  /** Other members of the match's story; the match itself is left out if present. */
  storyMembers?: z.input<typeof StoryMemberSchema>[];
  bands?: ScoreBands;
}

/** Builds the alert for one match: subject, email text, JSON payload and message attributes. */
export function buildAlertMessage(match: Match, options: AlertMessageOptions): AlertMessage {
  const band = scoreBand(match.score, options.bands);
  const others = otherOutlets(match, options.storyMembers ?? match.alsoReportedBy);
  const listed = others.slice(0, ALSO_REPORTED_MAX);
  const payload: AlertPayload = {
    kind: 'alert',
    version: 1,
    alertedAt: options.alertedAt,
    storyId: match.storyId,
    matchId: match.id,
    title: oneLine(match.title),
    link: match.link,
    feed: match.feed,
    published: match.published,
    lang: match.lang,
    score: match.score,
    scoreBand: band,
    facets: match.facets,
    terms: match.terms,
    explanation: match.explanation,
    alsoReportedBy: listed,
    alsoReportedByMore: others.length - listed.length,
  };
  return {
    subject: alertSubject(payload.title, match.score),
    text: alertText(payload),
    payload,
    attributes: {
      ...attributesFor('alert', match.facets, match.score, band),
      // Lets a subscription take only the alerts in the languages its reader reads.
      ...(match.lang ? { lang: { DataType: 'String', StringValue: match.lang } } : {}),
    },
  };
}

/**
 * The digest messages for held-back stories, highest score first: as few as fit, each at most
 * `maxStories` stories and at most `maxBytes` as SNS counts a publish (measured on the message
 * itself, see {@link snsPublishBytes}). A story too big for a message alone goes out alone.
 */
export function buildDigestMessages(
  stories: DigestStory[],
  options: { digestedAt: string; maxStories: number; maxBytes?: number },
): DigestMessage[] {
  const maxBytes = options.maxBytes ?? SNS_PUBLISH_MAX_BYTES;
  const ordered = [...stories].sort((a, b) => b.score - a.score);
  const messages: DigestMessage[] = [];
  // Halving until each part fits measures every story O(log n) times, not once per added story.
  const split = (part: DigestStory[]): void => {
    if (part.length === 0) return;
    const message = buildDigestMessage(part.length === 1 ? lean(part, maxBytes) : part, options);
    if (
      part.length === 1 ||
      (part.length <= options.maxStories && snsPublishBytes(message) <= maxBytes)
    ) {
      messages.push(message);
      return;
    }
    const half = Math.min(Math.ceil(part.length / 2), options.maxStories);
    split(part.slice(0, half));
    split(part.slice(half));
  };
  split(ordered);
  return messages;
}

/** A story alone too big for a message goes out without its outlet list, counted instead. */
function lean(part: DigestStory[], maxBytes: number): DigestStory[] {
  const [story] = part as [DigestStory];
  if (story.alsoReportedBy.length === 0) return part;
  const whole = buildDigestMessage(part, { digestedAt: '' });
  if (snsPublishBytes(whole) <= maxBytes) return part;
  return [
    {
      ...story,
      alsoReportedBy: [],
      alsoReportedByMore: story.alsoReportedByMore + story.alsoReportedBy.length,
    },
  ];
}

/** Builds one digest that lists every given story, highest score first. */
export function buildDigestMessage(
  stories: DigestStory[],
  options: { digestedAt: string },
): DigestMessage {
  const ordered = [...stories].sort((a, b) => b.score - a.score);
  const top = ordered[0];
  const payload: DigestPayload = {
    kind: 'digest',
    version: 1,
    digestedAt: options.digestedAt,
    stories: ordered,
  };
  const facets = [...new Set(ordered.flatMap((story) => story.facets))];
  const count = `${ordered.length} ${ordered.length === 1 ? 'story' : 'stories'}`;
  return {
    subject: truncate(
      `newswatch digest: ${count}${top ? ` - ${top.title}` : ''}`,
      SUBJECT_MAX_CHARS,
    ),
    text: digestText(payload),
    payload,
    attributes: attributesFor('digest', facets, top?.score ?? 0, top?.scoreBand ?? 'low'),
  };
}

/** A subject line: score first so a glance at the inbox ranks alerts, then the headline. */
export function alertSubject(title: string, score: number): string {
  return truncate(`[${score.toFixed(2)}] ${oneLine(title)}`, SUBJECT_MAX_CHARS);
}

/**
 * The `Message` for SNS `MessageStructure: 'json'`: the readable text for email subscribers, the
 * JSON payload for every other protocol (SQS, Lambda, HTTPS, Firehose, email-json take `default`).
 * Each is carried once: a message holds its text and its payload, not copies per protocol.
 */
export function snsStructuredMessage(message: AlertMessage | DigestMessage): string {
  return JSON.stringify({ default: JSON.stringify(message.payload), email: message.text });
}

/** The bytes a publish of this message counts against SNS's limit. */
export function snsPublishBytes(message: AlertMessage | DigestMessage): number {
  let bytes = Buffer.byteLength(snsStructuredMessage(message)) + Buffer.byteLength(message.subject);
  for (const [name, attribute] of Object.entries(message.attributes)) {
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(attribute.DataType) +
      Buffer.byteLength(attribute.StringValue);
  }
  return bytes;
}

function alertText(alert: AlertPayload): string {
  const lines = [
    alert.title,
    '',
    `Outlet:     ${alert.feed}`,
    `Published:  ${readableTime(alert.published) ?? 'not given'}`,
    ...(alert.lang ? [`Language:   ${languageName(alert.lang)}`] : []),
    `Link:       ${alert.link ?? 'none given'}`,
    `Score:      ${alert.score.toFixed(2)} (${alert.scoreBand})`,
    '',
    'Why it matched',
  ];
  const facets = alert.explanation.facets.filter((facet) => facet.matched.length > 0);
  for (const facet of facets.length > 0 ? facets : alert.explanation.facets) {
    const matched = facet.matched.length > 0 ? `: ${facet.matched.join(', ')}` : '';
    lines.push(`  - ${facet.name} (${facet.score.toFixed(2)})${matched}`);
  }
  if (alert.explanation.facets.length === 0 && alert.facets.length > 0) {
    lines.push(`  - facets: ${alert.facets.join(', ')}`);
  }
  if (alert.terms.length > 0) lines.push(`  Terms: ${alert.terms.join(', ')}`);
  for (const note of alert.explanation.notes) lines.push(`  Note: ${note}`);
  lines.push('', ...alsoReportedLines(alert.alsoReportedBy, alert.alsoReportedByMore));
  lines.push('', `Story ${alert.storyId} / match ${alert.matchId}`, 'Sent by newswatch');
  return lines.join('\n');
}

function digestText(digest: DigestPayload): string {
  const lines = [
    `newswatch digest: ${digest.stories.length} stories held back from instant alerts`,
    `Compiled ${readableTime(digest.digestedAt)}`,
    '',
  ];
  digest.stories.forEach((story, position) => {
    lines.push(`${position + 1}. [${story.score.toFixed(2)}] ${story.title}`);
    const language = story.lang ? `, ${languageName(story.lang)}` : '';
    lines.push(`   ${story.feed}, ${readableTime(story.published) ?? 'time not given'}${language}`);
    if (story.link) lines.push(`   ${story.link}`);
    if (story.facets.length > 0) lines.push(`   Facets: ${story.facets.join(', ')}`);
    if (story.terms.length > 0) lines.push(`   Terms: ${story.terms.join(', ')}`);
    if (story.alsoReportedBy.length > 0) {
      const outlets = [...new Set(story.alsoReportedBy.map((member) => member.feed))];
      const more = story.alsoReportedByMore > 0 ? ` and ${story.alsoReportedByMore} more` : '';
      lines.push(`   Also reported by: ${outlets.join(', ')}${more}`);
    }
    lines.push('');
  });
  lines.push('Sent by newswatch');
  return lines.join('\n');
}

function alsoReportedLines(members: AlertPayload['alsoReportedBy'], more: number): string[] {
  if (members.length === 0) return ['No other outlet has reported this story yet.'];
  const lines = ['Also reported by'];
  for (const member of members) {
    lines.push(
      `  - ${member.feed}: ${oneLine(member.title)}${member.link ? ` <${member.link}>` : ''}`,
    );
  }
  if (more > 0) lines.push(`  - and ${more} more`);
  return lines;
}

function otherOutlets(
  match: Match,
  members: z.input<typeof StoryMemberSchema>[],
): AlertPayload['alsoReportedBy'] {
  const seen = new Set<string>([match.id]);
  const out: AlertPayload['alsoReportedBy'] = [];
  for (const member of members) {
    if (seen.has(member.matchId)) continue;
    seen.add(member.matchId);
    out.push(StoryMemberSchema.parse(member));
  }
  return out;
}

function attributesFor(
  kind: 'alert' | 'digest',
  facets: string[],
  score: number,
  band: ScoreBand,
): MessageAttributes {
  const attributes: MessageAttributes = {
    kind: { DataType: 'String', StringValue: kind },
    score: { DataType: 'Number', StringValue: score.toFixed(4) },
    scoreBand: { DataType: 'String', StringValue: band },
  };
  // SNS rejects an empty String.Array, and a filter on facets cannot match nothing anyway.
  if (facets.length > 0) {
    attributes.facets = { DataType: 'String.Array', StringValue: JSON.stringify(facets) };
  }
  return attributes;
}

const LANGUAGE_NAMES = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'code' });

/** "Russian (ru)": the facets and the rest of the alert are in English, the headline is not. */
function languageName(code: string): string {
  let name: string | undefined;
  try {
    name = LANGUAGE_NAMES.of(code);
  } catch {
    // A code Intl cannot read is shown as it is.
  }
  return name && name !== code ? `${name} (${code})` : code;
}

function readableTime(iso: string | undefined): string | undefined {
  if (!iso) return undefined;
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

// Subjects and list lines must stay on one line: SNS rejects control characters in subjects.
// Stored text is clean already; cleaning again covers matches stored before it was.
function oneLine(text: string): string {
  return cleanText(text.replace(/\s+/g, ' '));
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 3)
    .join('')
    .trimEnd()}...`;
}
