import packageJson from '../../package.json' with { type: 'json' };

const manifest = packageJson as {
  version: string;
  homepage?: string;
  repository?: string | { url?: string };
};
const repository =
  typeof manifest.repository === 'string' ? manifest.repository : manifest.repository?.url;

/**
 * Where server operators can read what this client is: package.json `homepage` or `repository`
 * when set; until the project is published, the name it will be published under.
 */
export const PROJECT_URL = (
  manifest.homepage ??
  repository ??
  'https://github.com/newswatch/newswatch'
).replace(/^git\+/, '');

/** The User-Agent newswatch sends: honest about what it is, with a link for server operators. */
export const DEFAULT_USER_AGENT = `newswatch/${manifest.version} (+${PROJECT_URL})`;
