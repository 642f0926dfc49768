import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUrl, urlDedupeKey } from '#shared/feeds/canonical-url.ts';
import { NormalizedItemSchema } from '#shared/feeds/feed-item.ts';
import { fingerprintKey, normalizeItems } from '#shared/feeds/normalize-items.ts';

const context = {
  feedUrl: 'https://feeds.example.org/rss',
  fetchedAt: new Date('2024-06-01T00:00:00Z'),
  maxItems: 50,
};
const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
// A label starting `xn--` is punycode, and a random one rarely decodes: such a link is refused,
// not a story URL.
const host = fc
  .tuple(
    segment.filter((name) => !name.startsWith('xn--')),
    fc.constantFrom('org', 'com', 'net'),
  )
  .map(([name, tld]) => `${name}.${tld}`);
const params = fc.array(fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), segment), { maxLength: 3 });
const storyUrl = fc
  .tuple(host, fc.array(segment, { minLength: 1, maxLength: 3 }), params)
  .filter(([, , query]) =>
    query.every(
      ([name]) =>
        !/^(utm_|pk_|mtm_|at_)/.test(name) &&
        name !== 'rss' &&
        name !== 'ito' &&
        name !== 'smid' &&
        name !== 'ocid',
    ),
  )
  .map(([name, path, query]) => {
    const search =
      query.length === 0 ? '' : `?${query.map(([key, value]) => `${key}=${value}`).join('&')}`;
    return `https://${name}/${path.join('/')}${search}`;
  });
const tracking = fc.array(
  fc.tuple(
    fc.constantFrom('utm_source', 'utm_medium', 'utm_campaign', 'fbclid', 'gclid', 'mc_eid'),
    segment,
  ),
  { minLength: 1, maxLength: 3 },
);
const anyText = fc.string({ maxLength: 300 });

describe('canonical URL and URL key', () => {
  it('is idempotent', () => {
    fc.assert(
      fc.property(storyUrl, (url) => {
        const once = canonicalUrl(url) as string;
        expect(canonicalUrl(once)).toBe(once);
      }),
    );
  });

  it('gives the same key whatever tracking parameters, fragment or host case are added', () => {
    fc.assert(
      fc.property(storyUrl, tracking, segment, (url, extra, fragment) => {
        const parsed = new URL(url);
        for (const [name, value] of extra) parsed.searchParams.append(name, value);
        parsed.hash = fragment;
        const noisy = parsed.href.replace(parsed.hostname, parsed.hostname.toUpperCase());
        expect(urlDedupeKey(canonicalUrl(noisy) as string)).toBe(
          urlDedupeKey(canonicalUrl(url) as string),
        );
      }),
    );
  });
});

describe('normalizeItems', () => {
  it('always yields schema-valid items with at least one dedupe key', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            title: fc.option(anyText, { nil: undefined }),
            link: fc.option(fc.oneof(storyUrl, anyText), { nil: undefined }),
            guid: fc.option(anyText, { nil: undefined }),
            summary: fc.option(anyText, { nil: undefined }),
            date: fc.option(anyText, { nil: undefined }),
          }),
          { maxLength: 8 },
        ),
        (entries) => {
          const { items } = normalizeItems({ format: 'rss', items: entries }, context);
          for (const item of items) {
            expect(NormalizedItemSchema.safeParse(item).success).toBe(true);
            expect(item.link === undefined || /^https?:\/\//.test(item.link)).toBe(true);
          }
        },
      ),
    );
  });

  it('derives the same id from the same link whatever the title, guid or summary', () => {
    fc.assert(
      fc.property(
        storyUrl,
        anyText,
        anyText,
        anyText,
        anyText,
        (link, titleA, titleB, guidA, guidB) => {
          const [a] = normalizeItems(
            { format: 'rss', items: [{ title: `a${titleA}`, link, guid: guidA }] },
            context,
          ).items;
          const [b] = normalizeItems(
            { format: 'rss', items: [{ title: `b${titleB}`, link, guid: guidB }] },
            context,
          ).items;
          expect(a?.id).toBe(b?.id);
        },
      ),
    );
  });

  it('gives different links different ids', () => {
    fc.assert(
      fc.property(storyUrl, storyUrl, (first, second) => {
        fc.pre(
          urlDedupeKey(canonicalUrl(first) as string) !==
            urlDedupeKey(canonicalUrl(second) as string),
        );
        const { items } = normalizeItems(
          {
            format: 'rss',
            items: [
              { title: 'x', link: first },
              { title: 'y', link: second },
            ],
          },
          context,
        );
        expect(items[0]?.id).not.toBe(items[1]?.id);
      }),
    );
  });

  it('fingerprints ignore case, punctuation and spacing', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 8 }),
        (words) => {
          const plain = words.join(' ');
          const noisy = `  ${words.map((word) => word.toUpperCase()).join(' ,  ')}!`;
          expect(fingerprintKey(noisy, '')).toBe(fingerprintKey(plain, ''));
        },
      ),
    );
  });
});
