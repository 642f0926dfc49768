/** The seeds folder or its overlay cannot make a profile; the message names the file and key. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** There is no stored overlay version with this number. */
export class ProfileVersionNotFoundError extends Error {
  override readonly name = 'ProfileVersionNotFoundError';
  constructor(readonly number: number) {
    super(`there is no profile overlay version ${number} (see \`newswatch profile versions\`)`);
  }
}
