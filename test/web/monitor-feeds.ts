import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FeedSpec } from '#shared/feeds/feed-list-schema.ts';
import type { FeedTestServer } from '../integration/feeds/feed-test-server.ts';
import { type FeedItem, rss } from './monitor-fixture.ts';

/** What a hostile feed's text tries to run: each would set this window flag. */
export const PWNED_FLAG = '__pwned';

export const ITEMS = {
  energyDeal: {
    title: 'Xi and Putin sign energy deal in Moscow',
    link: 'https://wire.example.org/2031/xi-putin-energy-deal',
    description: 'China and Russia agreed a new gas pipeline as Western sanctions bite.',
  },
  energyDealCopy: {
    title: 'Xi and Putin sign energy deal in Moscow, Kremlin says',
    link: 'https://daily.example.net/world/xi-putin-energy-deal',
    description: 'China and Russia agreed a new gas pipeline as Western sanctions bite.',
  },
  sanctionsPackage: {
    title: 'EU adopts new sanctions package against Russia over Ukraine war',
    link: 'https://wire.example.org/2031/eu-sanctions-package',
    description: 'The package targets Russian oil exports and Chinese firms supplying drones.',
  },
  refineryStrike: {
    title: 'Ukraine strikes Russian refinery with long-range drones',
    link: 'https://wire.example.org/2031/refinery-strike',
    description: 'Kyiv hit an oil refinery deep inside Russia overnight.',
  },
  bakery: {
    title: 'Local bakery wins national bread award',
    link: 'https://wire.example.org/2031/bakery',
    description: 'A family bakery took the top prize.',
  },
  navalDrills: {
    title: 'Russia and China hold joint naval drills in the Pacific',
    link: 'https://daily.example.net/world/naval-drills',
    description: 'Warships from Russia and China exercised together, Beijing said.',
  },
  grainDeal: {
    title: 'Россия и Китай договорились о поставках зерна',
    link: 'https://daily.example.net/ru/grain-deal',
    description: 'Москва и Пекин подписали соглашение о торговле зерном в обход санкций.',
  },
  hostile: {
    // Markup the feed means and markup escaped once more: cleaning strips both before they are
    // stored, and the page must show what is left as text, running nothing.
    title: `China's Xi meets Putin <script>window.${PWNED_FLAG}=1</script>&lt;img src=x onerror="window.${PWNED_FLAG}=2"&gt; in Beijing`,
    link: `javascript:window.${PWNED_FLAG}=3`,
    description: `Russia and China leaders &lt;b onmouseover="window.${PWNED_FLAG}=4"&gt;discuss&lt;/b&gt; the war in Ukraine and sanctions.`,
  },
  exportsRecord: {
    title: 'Chinese exports to Russia hit record as sanctions bite',
    link: 'https://wire.example.org/2031/exports-record',
    description:
      'Trade between China and Russia grew as Moscow sought ways around Western sanctions.',
  },
} satisfies Record<string, FeedItem>;

/** Serves `body` with an ETag, and 304 when the client already has it. */
function withEtag(body: () => string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const text = body();
    const etag = `"${text.length}"`;
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, { etag }).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/rss+xml', etag }).end(text);
  };
}

/**
 * Four outlets: a wire that adds a story in the second sweep, a daily that carries a copy of one
 * of its stories and one item in Russian and answers 304 when unchanged, a feed whose text is hostile markup, and one
 * that always fails. `revision` picks the documents of the first (0) or second (1) sweep.
 */
export function monitorFeeds(server: FeedTestServer, revision: { value: number }): FeedSpec[] {
  const wire = () =>
    rss('Wire One', [
      ...(revision.value > 0 ? [ITEMS.exportsRecord] : []),
      ITEMS.energyDeal,
      ITEMS.sanctionsPackage,
      ITEMS.refineryStrike,
      ITEMS.bakery,
    ]);
  server.route('/wire.xml', withEtag(wire));
  server.route(
    '/daily.xml',
    withEtag(() => rss('Daily Two', [ITEMS.energyDealCopy, ITEMS.navalDrills, ITEMS.grainDeal])),
  );
  server.route(
    '/hostile.xml',
    withEtag(() => rss('Hostile Times', [ITEMS.hostile])),
  );
  server.route('/broken.xml', (_request, response) => {
    response.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
  });
  return [
    { url: server.url('/wire.xml'), name: 'Wire One', tags: [] },
    { url: server.url('/daily.xml'), name: 'Daily Two', tags: [] },
    { url: server.url('/hostile.xml'), name: 'Hostile Times', tags: [] },
    { url: server.url('/broken.xml'), name: 'Broken Feed', tags: [] },
  ];
}
