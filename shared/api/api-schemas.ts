import { z } from 'zod';
import { FeedSpecSchema } from '#shared/feeds/feed-list-schema.ts';
import { ProfileOverlaySchema } from '#shared/profile/profile-overlay-schema.ts';
import { TopicProfileSchema } from '#shared/profile/topic-profile.ts';
import { FeedStateSchema } from '#shared/store/feed-state-schema.ts';
import { MatchSchema, StoryMemberSchema } from '#shared/store/match-schema.ts';

/** Bounds of `limit`, the same as the store's own query schema. */
export const MATCH_PAGE_LIMIT = { min: 1, max: 100, default: 25 } as const;

const DATE_MESSAGE =
  'expected an ISO 8601 date-time with a zone (2026-01-31T09:30:00Z) or a date (2026-01-31)';

/** Query strings carry text; a numeric-looking value becomes a number, anything else fails the number check. */
function numberFromText(value: unknown): unknown {
  return typeof value === 'string' && /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())
    ? Number(value)
    : value;
}

function instantParameter(description: string) {
  return z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], { error: DATE_MESSAGE })
    .transform((value) => new Date(value).toISOString())
    .optional()
    .describe(description);
}

function textParameter(maxLength: number, description: string) {
  return z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .optional()
    .describe(description);
}

const scoreMessage = 'expected a number from 0 to 1';
const limitMessage = `expected a whole number from ${MATCH_PAGE_LIMIT.min} to ${MATCH_PAGE_LIMIT.max}`;

/** Query parameters of `GET /matches`; every key is a parameter name, nothing else is accepted. */
export const MatchListParametersSchema = z
  .object({
    since: instantParameter('Only matches stored at or after this time (ISO 8601).'),
    until: instantParameter('Only matches stored at or before this time (ISO 8601).'),
    facet: textParameter(100, 'Only matches that touched this facet of the profile.'),
    minScore: z
      .preprocess(
        numberFromText,
        z
          .number({ error: scoreMessage })
          .min(0, { error: scoreMessage })
          .max(1, { error: scoreMessage }),
      )
      .optional()
      .describe('Only matches scoring at least this much (0 to 1).'),
    feed: textParameter(200, 'Only matches from this outlet (the feed name as in `feed`).'),
    q: textParameter(200, 'Words that must all appear in the title or summary (case-insensitive).'),
    lang: textParameter(
      8,
      'Only matches in this language (ISO 639-1 as in `lang`: `en`, `ru`, `zh`).',
    ),
    limit: z
      .preprocess(
        numberFromText,
        z
          .int({ error: limitMessage })
          .min(MATCH_PAGE_LIMIT.min, { error: limitMessage })
          .max(MATCH_PAGE_LIMIT.max, { error: limitMessage }),
      )
      .default(MATCH_PAGE_LIMIT.default)
      .describe(
        'Most matches in one page. A page may hold fewer even when more follow: keep going while `nextCursor` is present.',
      ),
    cursor: textParameter(2048, 'The `nextCursor` of the previous page, with the same filters.'),
  })
  .superRefine((value, context) => {
    if (value.since && value.until && value.since > value.until) {
      context.addIssue({
        code: 'custom',
        path: ['until'],
        message: 'must not be earlier than since',
      });
    }
  });

/** Keeps `MATCH#<id>` well inside DynamoDB's 2048-byte partition keys. */
const MAX_MATCH_ID_BYTES = 1024;

/** Path parameters of `GET /matches/{id}`. */
export const MatchIdParametersSchema = z.object({
  id: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(512, { error: 'must be at most 512 characters' })
    // Characters outside ASCII take up to 4 bytes; DynamoDB bounds keys in bytes.
    .refine((id) => Buffer.byteLength(id) <= MAX_MATCH_ID_BYTES, {
      error: `must be at most ${MAX_MATCH_ID_BYTES} bytes in UTF-8`,
    })
    .describe('The match id, as in the `id` of a listed match.'),
});

/** A route without parameters still rejects unknown ones. */
export const NoParametersSchema = z.object({});

/** A match as listed: everything but the score explanation. */
export const MatchSummarySchema = MatchSchema.omit({ explanation: true }).describe(
  'A stored match. `feed` is the outlet; `alert` means it crossed the alert threshold, `alerted` that the alert went out.',
);

/** A match with the explanation of its score. */
export const MatchDetailSchema = MatchSchema.describe(
  'A stored match with the explanation of its score.',
);

export const MatchPageSchema = z
  .object({
    items: z.array(MatchSummarySchema),
    nextCursor: z
      .string()
      .optional()
      .describe('Present when more matches may follow; pass it back as `cursor`.'),
  })
  .describe('One page of matches, newest first.');

/** What `GET /feeds` shows of a feed: its health, without the caching validators and digests. */
export const FeedHealthSchema = FeedStateSchema.omit({
  etag: true,
  lastModified: true,
  bodyHash: true,
  lastUnconditionalAt: true,
  seenItems: true,
})
  .extend({
    tags: z.array(z.string()),
    addedAt: z.string().describe('When the feed joined the feed list.'),
  })
  .describe('One feed of the feed list and its health: last fetch, status, errors, items seen.');

export const FeedListSchema = z
  .object({ items: z.array(FeedHealthSchema) })
  .describe('Every feed in the feed list, by name.');

/** The body of `POST /feeds`: a feed as a feed list file gives it. */
export const NewFeedSchema = FeedSpecSchema.describe(
  'A feed to add: its http(s) URL, and optionally a name (up to 200 characters) and up to 20 tags.',
);

/** Path parameters of `DELETE /feeds/{id}`. */
export const FeedIdParametersSchema = z.object({
  id: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(2048, { error: 'must be at most 2048 characters' })
    .describe('The feed id, as in the `feedId` of a listed feed (or the feed URL).'),
});

/** The topic profile in use, as the profile builder defines it; `version` changes with it. */
export const ProfileSchema = TopicProfileSchema.describe(
  'The topic profile in use: facets, weighted terms and phrases, entities, thresholds. `version` is a hash of the seeds and overlay; matches carry it as `profileVersion`.',
);

export const ParameterProblemSchema = z.object({
  parameter: z.string().describe('The query or path parameter, or body field, at fault.'),
  message: z.string().describe('What was wrong with it.'),
});

/** RFC 9457 problem details, with the request id and, for bad input, the parameters at fault. */
export const ProblemSchema = z
  .object({
    type: z
      .string()
      .describe('A URI naming the kind of problem; `about:blank` for plain HTTP errors.'),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string().optional(),
    requestId: z.string().describe('Quote it when reporting a problem.'),
    errors: z.array(ParameterProblemSchema).optional(),
  })
  .describe('RFC 9457 problem details.');

export type Problem = z.output<typeof ProblemSchema>;

/** Query parameters of `GET /stories`: the filters of `GET /matches`, applied to each story's lead. */
export const StoryListParametersSchema = MatchListParametersSchema;

/** Path parameters of `GET /stories/{id}`. */
export const StoryIdParametersSchema = z.object({
  id: z
    .string()
    .min(1, { error: 'must not be empty' })
    .max(512, { error: 'must be at most 512 characters' })
    .describe('The story id, as in `storyId`.'),
});

const HeadlineSchema = z.object({
  title: z.string(),
  feed: z.string().describe('The outlet.'),
  link: z.string().optional(),
});

export const SentAlertSchema = z
  .object({
    storyId: z.string(),
    matchId: z.string().describe('The match the alert was sent for.'),
    sentAt: z.string(),
    channel: z
      .enum(['instant', 'digest'])
      .optional()
      .describe('Sent on its own or in a digest; absent on alerts recorded before it was.'),
    headline: HeadlineSchema.optional().describe("The match's headline, unless it expired."),
  })
  .describe('An alert that went out.');

export const StorySchema = z
  .object({
    storyId: z.string(),
    firstSeen: z.string().describe('When its first copy (the lead) was stored.'),
    lead: MatchSummarySchema.describe(
      'The first copy; `alsoReportedBy` holds the other outlets (the first 25).',
    ),
    alert: SentAlertSchema.omit({ headline: true })
      .optional()
      .describe('The alert sent for the story, if one was.'),
  })
  .describe('A story: every copy of one piece of news, named after its first.');

export const StoryPageSchema = z
  .object({
    items: z.array(StorySchema),
    nextCursor: z
      .string()
      .optional()
      .describe('Present when more stories may follow; pass it back as `cursor`.'),
  })
  .describe('One page of stories, newest first.');

export const StoryDetailSchema = z
  .object({
    storyId: z.string(),
    lead: MatchDetailSchema.describe('The first copy, with the explanation of its score.'),
    copies: z
      .array(StoryMemberSchema)
      .describe('Every copy, the lead included, first stored first.'),
    alert: SentAlertSchema.omit({ headline: true }).optional(),
  })
  .describe('A story with every copy and why its lead matched.');

const intervalMessage = 'expected hour or day';
const daysMessage = (max: number) => `expected a whole number from 1 to ${max}`;

/** `days`: how far back from now a view reaches, 1 to 90, with the view's own default. */
function daysBackParameter(defaultDays: number) {
  return z
    .preprocess(
      numberFromText,
      z
        .int({ error: daysMessage(90) })
        .min(1)
        .max(90),
    )
    .default(defaultDays)
    .describe('How many days back from now (1 to 90).');
}

/** Most hours an hourly volume spans: two weeks of buckets stay readable in one chart. */
export const VOLUME_HOURLY_MAX_DAYS = 14;

export const VolumeParametersSchema = z
  .object({
    days: daysBackParameter(14),
    interval: z
      .enum(['hour', 'day'], { error: intervalMessage })
      .default('day')
      .describe('Bucket width: `hour` (up to 14 days) or `day`.'),
  })
  .superRefine((value, context) => {
    if (value.interval === 'hour' && value.days > VOLUME_HOURLY_MAX_DAYS) {
      context.addIssue({
        code: 'custom',
        path: ['days'],
        message: `must be at most ${VOLUME_HOURLY_MAX_DAYS} with interval=hour`,
      });
    }
  });

export const VolumeSchema = z
  .object({
    interval: z.enum(['hour', 'day']),
    since: z.string(),
    until: z.string(),
    facets: z.array(z.string()).describe("The profile's facets, in its order."),
    buckets: z
      .array(
        z.object({
          start: z.string().describe('Start of the hour or day (UTC).'),
          matches: z.int().describe('Matches stored in it.'),
          facets: z
            .record(z.string(), z.int())
            .describe('Matches per facet (a match counts once in each facet it touched).'),
        }),
      )
      .describe('Every hour or day from `since` to `until`, oldest first, empty ones included.'),
  })
  .describe('Matches over time, in all and by facet.');

export const AlertActivityParametersSchema = z.object({
  days: daysBackParameter(7),
  limit: z
    .preprocess(
      numberFromText,
      z.int({ error: 'expected a whole number from 1 to 200' }).min(1).max(200),
    )
    .default(50)
    .describe('Most alerts and most queued stories returned.'),
});

export const AlertActivitySchema = z
  .object({
    sent: z.array(SentAlertSchema).describe('Alerts sent in the window, newest first.'),
    digestQueue: z
      .array(
        z.object({
          storyId: z.string(),
          matchId: z.string(),
          queuedAt: z.string(),
          headline: HeadlineSchema.optional(),
        }),
      )
      .describe('Stories held for the next digest (by the caps or digest mode), oldest first.'),
  })
  .describe('Alerts sent, and what waits for the digest.');

/** One stored version of the profile overlay, as `GET /profile/versions` lists it. */
export const ProfileVersionSchema = z
  .object({
    number: z.int().positive().describe('1, 2, 3, ... in the order the versions were added.'),
    overlay: z
      .record(z.string(), z.unknown())
      .describe('The overlay as given (the shape of `seeds/profile.json`).'),
    createdAt: z.string(),
    createdBy: z
      .string()
      .describe(
        "Who added it: the caller's IAM ARN deployed, a user name locally, `seeds` for version 1.",
      ),
    note: z.string().optional().describe('Why, as the one who added it wrote.'),
    profileVersion: z.string().describe('The `version` of the profile it gave when added.'),
  })
  .describe('A version of the profile overlay.');

/** Which overlay version is in use, since when, by whose command. */
export const ProfileInUseSchema = z
  .object({ number: z.int().positive(), since: z.string(), by: z.string() })
  .describe('The overlay version that scores and reports now.');

export const ProfileVersionListSchema = z
  .object({ inUse: ProfileInUseSchema, items: z.array(ProfileVersionSchema) })
  .describe('Every overlay version, newest first, and the one in use.');

/** `POST /profile/versions`: a new overlay to put in use. */
export const NewProfileVersionSchema = z
  .strictObject({
    overlay: ProfileOverlaySchema.describe('The overlay, in the shape of `seeds/profile.json`.'),
    note: z.string().trim().min(1).max(500).optional().describe('Why the change.'),
  })
  .describe('A new overlay version, put in use at once.');

/** `PUT /profile/in-use`: put a stored version back in use. */
export const ProfileInUseChangeSchema = z
  .strictObject({ version: z.int().positive().describe('The overlay version to use.') })
  .describe('The overlay version to put in use.');
