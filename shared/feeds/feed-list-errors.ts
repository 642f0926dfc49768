/** One field of a feed at fault and what was wrong with it. */
export interface FeedFieldProblem {
  field: string;
  message: string;
}

/** A feed to add is malformed or points where newswatch must not fetch; names each field. */
export class FeedInputError extends Error {
  override readonly name = 'FeedInputError';
  constructor(readonly problems: FeedFieldProblem[]) {
    super(problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '));
  }
}

/** The feed list already holds this feed (the same canonical URL). */
export class DuplicateFeedError extends Error {
  override readonly name = 'DuplicateFeedError';
  constructor(
    readonly url: string,
    message = `the feed list already holds ${url}`,
  ) {
    super(message);
  }
}

/** No listed feed has this id or URL. */
export class FeedNotListedError extends Error {
  override readonly name = 'FeedNotListedError';
  constructor(readonly idOrUrl: string) {
    super(`no feed in the list has the id or URL ${JSON.stringify(idOrUrl)}`);
  }
}
