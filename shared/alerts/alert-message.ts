import { z } from 'zod';
import { ScoreExplanationSchema } from '#shared/profile/score-types.ts';
import { type Match, StoryMemberSchema } from '#shared/store/match-schema.ts';

/** SNS refuses subjects of 100 characters or more. */
export const SUBJECT_MAX_CHARS = 99;
/** Other outlets listed in one alert; the rest are counted, not listed. */
const ALSO_REPORTED_MAX = 10;

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
  alsoReportedBy: z.array(StoryMemberSchema),
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

/** One alert, ready for any publisher: subject, readable text, payload, filterable attributes. */
export interface AlertMessage {
  subject: string;
  text: string;
  payload: AlertPayload;
  attributes: MessageAttributes;
}

export interface DigestMessage {
  subject: string;
  text: string;
  payload: DigestPayload;
  attributes: MessageAttributes;
}

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
    alsoReportedBy: others,
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

/** Builds one digest that lists every held-back story, highest score first. */
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
 * The `Message` for SNS `MessageStructure: 'json'`: plain text for email and the default, the
 * JSON payload for SQS, Lambda and HTTPS subscribers.
 */
export function snsStructuredMessage(message: AlertMessage | DigestMessage): string {
  const json = JSON.stringify(message.payload);
  return JSON.stringify({
    default: message.text,
    email: message.text,
    sqs: json,
    lambda: json,
    https: json,
  });
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
  lines.push('', ...alsoReportedLines(alert.alsoReportedBy));
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
      lines.push(`   Also reported by: ${outlets.join(', ')}`);
    }
    lines.push('');
  });
  lines.push('Sent by newswatch');
  return lines.join('\n');
}

function alsoReportedLines(members: AlertPayload['alsoReportedBy']): string[] {
  if (members.length === 0) return ['No other outlet has reported this story yet.'];
  const lines = ['Also reported by'];
  for (const member of members.slice(0, ALSO_REPORTED_MAX)) {
    lines.push(
      `  - ${member.feed}: ${oneLine(member.title)}${member.link ? ` <${member.link}>` : ''}`,
    );
  }
  if (members.length > ALSO_REPORTED_MAX) {
    lines.push(`  - and ${members.length - ALSO_REPORTED_MAX} more`);
  }
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
function oneLine(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars
    .slice(0, max - 3)
    .join('')
    .trimEnd()}...`;
}
