import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';

/**
 * Flags of @sparticuz/chromium, made for AWS Lambda, that a user's browser does not run with: the
 * page is tested with the same-origin policy and mixed-content blocking on, and in the usual
 * multi-process browser (a single-process one dies when a second context closes).
 */
const DROPPED_FLAGS = new Set([
  '--disable-web-security',
  '--allow-running-insecure-content',
  '--single-process',
]);

/**
 * Headless Chromium from the @sparticuz/chromium package (its binary ships inside the package and
 * is unpacked to the temporary folder on first use, so nothing is downloaded), driven by
 * playwright-core. `--no-sandbox` lets it run as root, as CI containers do.
 */
export async function launchBrowser(): Promise<Browser> {
  const args = chromium.args.filter((flag) => !DROPPED_FLAGS.has(flag));
  return playwright.launch({
    executablePath: await chromium.executablePath(),
    args: [...args, '--no-sandbox'],
    headless: true,
  });
}
