import packageJson from '../../package.json' with { type: 'json' };

/** Where server operators can read what this client is and who runs it. */
export const PROJECT_URL = 'https://github.com/newswatch/newswatch';

/** The User-Agent newswatch sends: honest about what it is, with a link for server operators. */
export const DEFAULT_USER_AGENT = `newswatch/${packageJson.version} (+${PROJECT_URL})`;
