import { remoteFeedback } from '#shared/api/remote-feedback.ts';
import { loadConfig } from '#shared/config/load-config.ts';
import { allFeedback, labeledItemOf } from '#shared/eval/feedback-items.ts';
import { type LabeledItem, parseLabeledItems } from '#shared/eval/labeled-item.ts';
import { type CommonOptions, configOverrides } from '../command-options.ts';
import { CliError, ExitCode } from '../exit-codes.ts';
import { readTextFile } from '../input-files.ts';
import { openLocalStore } from '../local-store.ts';
import { openRemoteApi, type RemoteOptions } from '../remote-api.ts';

/** The user's graded items, from the local store or the deployed API, as labeled-set lines. */
export async function loadGradedItems(
  options: CommonOptions & RemoteOptions,
): Promise<LabeledItem[]> {
  if (options.remote) {
    const api = remoteFeedback(openRemoteApi({ ...options, remote: options.remote }));
    return (await allFeedback(api)).map(labeledItemOf);
  }
  const config = loadConfig({ file: options.config, overrides: configOverrides(options) });
  const local = await openLocalStore(config.dataDir);
  try {
    return (await allFeedback(local.store)).map(labeledItemOf);
  } finally {
    await local.close();
  }
}

/** A labeled set in JSON Lines; an unreadable file or a bad line is the user's to fix. */
export function readLabels(file: string): LabeledItem[] {
  const text = readTextFile(file);
  try {
    return parseLabeledItems(text, file);
  } catch (error) {
    throw new CliError((error as Error).message, ExitCode.Usage);
  }
}
