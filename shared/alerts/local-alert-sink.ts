import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { terminalText } from '#shared/feeds/text-clean.ts';
import { StoryMemberSchema } from '#shared/store/match-schema.ts';
import type { AlertMessage, DigestMessage, DigestStory } from './alert-message.ts';
import type { AlertPublisher } from './alert-publisher.ts';

export const ALERTS_FILE = 'alerts.jsonl';

/** One line of `<dataDir>/alerts.jsonl` (the design's contract). */
export const AlertLogLineSchema = z.object({
  alertedAt: z.string(),
  storyId: z.string(),
  matchId: z.string(),
  title: z.string(),
  link: z.string().optional(),
  score: z.number(),
  facets: z.array(z.string()),
  terms: z.array(z.string()),
  alsoReportedBy: z.array(StoryMemberSchema),
  /** Copies of the story beyond the ones `alsoReportedBy` lists. */
  alsoReportedByMore: z.number().int().min(0).optional(),
  digest: z.literal(true).optional(),
});
export type AlertLogLine = z.infer<typeof AlertLogLineSchema>;

export interface LocalAlertSinkOptions {
  dataDir: string;
  /** Where the readable alert goes. @default process.stdout */
  output?: NodeJS.WritableStream;
}

/**
 * The local publisher: prints each alert readably to the terminal and appends one JSON line per
 * alert (one per story for a digest) to `<dataDir>/alerts.jsonl`.
 */
export function createLocalAlertSink(options: LocalAlertSinkOptions): AlertPublisher {
  const output = options.output ?? process.stdout;
  const file = join(options.dataDir, ALERTS_FILE);
  const rule = '-'.repeat(72);

  async function append(lines: AlertLogLine[]): Promise<void> {
    await mkdir(options.dataDir, { recursive: true });
    await appendFile(file, lines.map((line) => `${JSON.stringify(line)}\n`).join(''), 'utf8');
  }

  return {
    async publish(alert: AlertMessage) {
      const { payload } = alert;
      await append([logLine(payload.alertedAt, payload)]);
      // The text quotes feeds: whatever slipped past cleaning must not reach the terminal raw.
      output.write(terminalText(`${rule}\nALERT  ${alert.subject}\n${rule}\n${alert.text}\n\n`));
      return { messageId: `local:${payload.matchId}` };
    },

    async publishDigest(digest: DigestMessage) {
      const { payload } = digest;
      await append(payload.stories.map((story) => logLine(payload.digestedAt, story, true)));
      output.write(terminalText(`${rule}\nDIGEST ${digest.subject}\n${rule}\n${digest.text}\n\n`));
      return { messageId: `local-digest:${payload.digestedAt}` };
    },
  };
}

function logLine(alertedAt: string, story: DigestStory, digest?: true): AlertLogLine {
  return {
    alertedAt,
    storyId: story.storyId,
    matchId: story.matchId,
    title: story.title,
    link: story.link,
    score: story.score,
    facets: story.facets,
    terms: story.terms,
    alsoReportedBy: story.alsoReportedBy,
    ...(story.alsoReportedByMore > 0 ? { alsoReportedByMore: story.alsoReportedByMore } : {}),
    ...(digest ? { digest } : {}),
  };
}
