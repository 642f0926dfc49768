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
