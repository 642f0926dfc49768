import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventNumbers,
  SPECIFIC_ENTITIES,
  specificEntities,
} from '#shared/alerts/cross-language-event.ts';
import { createStoryAssigner } from '#shared/alerts/story-assigner.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { StoryCandidateInput } from '#shared/sweep/story-assigner.ts';
import {
  startTestStore,
  storingMembers,
  type TestStore,
} from '../../fixtures/alerts/alert-fixtures.ts';
import { SEEDS_DIR } from '../profile/profile-fixtures.ts';

const HOUR = 3_600_000;

/** The same event, Xi's talks with Putin in Moscow, as an English, a Russian and a Chinese outlet wrote it. */
const TALKS = {
  en: [
    'Xi and Putin hold talks in Moscow',
    'Chinese President Xi Jinping met Vladimir Putin at the Kremlin.',
  ],
  ru: [
    'Путин и Си Цзиньпин провели переговоры в Москве',
    'Президент России Владимир Путин встретился с председателем КНР Си Цзиньпином в Кремле.',
  ],
  zh: ['习近平同普京在莫斯科举行会谈', '国家主席习近平在克里姆林宫同俄罗斯总统普京举行会谈。'],
} as const;

describe('people across languages', () => {
  it('finds a name in its inflected forms, and not inside other words', () => {
    expect(specificEntities('Переговоры Путина с Лавровым, сообщили в Кремле')).toEqual([
      'lavrov',
      'putin',
    ]);
    // Capitals stand for governments: they tell no event from another.
    expect(specificEntities('Moscow and Beijing agreed, the Kremlin said')).toEqual([]);
    expect(specificEntities('Xinhua reports on the Siberia pipeline')).toEqual([]);
    expect(specificEntities('Сила Сибири: поставки газа выросли')).toEqual([]);
    expect(specificEntities("Xi's visit")).toEqual(['xi']);
  });

  it('reads numbers the same whatever the separators', () => {
    expect(eventNumbers('1,200 troops')).toEqual(eventNumbers('1 200 военных'));
    expect(eventNumbers('1200人')).toEqual(['1200']);
    expect(eventNumbers('2,5 млрд')).toEqual(eventNumbers('2.5 billion'));
  });

  it('names only people the profile overlay gives as aliases in that language', () => {
    const overlay = JSON.parse(readFileSync(join(SEEDS_DIR, 'profile.json'), 'utf8')) as {
      aliases: Record<string, string[]>;
      languages: Record<string, { aliases: Record<string, string[]> }>;
    };
    const aliases = {
      en: Object.values(overlay.aliases).flat(),
      ru: Object.values(overlay.languages.ru?.aliases ?? {}).flat(),
      zh: Object.values(overlay.languages.zh?.aliases ?? {}).flat(),
    };
    for (const [id, names] of Object.entries(SPECIFIC_ENTITIES)) {
      for (const language of ['en', 'ru', 'zh'] as const) {
        for (const name of names[language]) {
          const known = aliases[language].some((alias) =>
            alias.toLowerCase().startsWith(name.toLowerCase()),
          );
          expect(known, `${id}: ${name} (${language})`).toBe(true);
        }
      }
    }
  });
});

describe('stories across languages', () => {
  let db: TestStore;
  let scorer: Scorer;

  beforeAll(async () => {
    db = await startTestStore();
    scorer = createScorer(await loadProfile(SEEDS_DIR));
  });
  afterAll(async () => {
    await db.close();
  });

  /** A match as the sweep hands it over: language and facets as the scorer read them. */
  function scored(
    matchId: string,
    title: string,
    summary: string,
    hoursAgo = 0,
  ): StoryCandidateInput {
    const result = scorer.score({ title, summary });
    expect(result.match, title).toBe(true);
    const now = db.clock.now().getTime();
    return {
      matchId,
      feed: `Outlet ${matchId}`,
      title,
      summary,
      published: new Date(now - hoursAgo * HOUR).toISOString(),
      storedAt: new Date(now).toISOString(),
      lang: result.lang,
      facets: result.facets,
    };
  }

  it('joins an English, a Russian and a Chinese report of one event within hours into one story', async () => {
    const stories = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    const en = await stories.assign(scored('talks-en', ...TALKS.en, 3));
    const ru = await stories.assign(scored('talks-ru', ...TALKS.ru, 1));
    const zh = await stories.assign(scored('talks-zh', ...TALKS.zh));
    // One story, so one alert: only the first copy starts a story.
    expect([en, ru, zh]).toEqual([
      { storyId: 'talks-en', isNew: true },
      { storyId: 'talks-en', isNew: false },
      { storyId: 'talks-en', isNew: false },
    ]);
    const members = await db.store.storyMembers('talks-en');
    expect(members.map((member) => member.matchId)).toEqual(['talks-en', 'talks-ru', 'talks-zh']);
  });

  it('judges members another writer stored by the clues stored with them', async () => {
    db.clock.advance(72 * HOUR);
    await storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now })).assign(
      scored('stored-ru', ...TALKS.ru),
    );
    const fresh = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    expect(await fresh.assign(scored('stored-zh', ...TALKS.zh))).toEqual({
      storyId: 'stored-ru',
      isNew: false,
    });
  });

  it('keeps apart reports that name the same people but touch other facets', async () => {
    db.clock.advance(72 * HOUR);
    const stories = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    await stories.assign(scored('facets-en', ...TALKS.en));
    const other = await stories.assign(
      scored(
        'facets-ru',
        'Путин провел совещание с военными в Москве',
        'Президент обсудил наступление армии на Украине.',
      ),
    );
    expect(other).toEqual({ storyId: 'facets-ru', isNew: true });
  });

  it('keeps apart reports of one person and facets whose numbers conflict, joins those that agree', async () => {
    db.clock.advance(72 * HOUR);
    const stories = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    const strike = (id: string, missiles: number) =>
      scored(
        id,
        `Zelensky: Russia fired ${missiles} missiles at Ukraine overnight`,
        'Ukrainian air defence shot down most of the Russian missiles, Zelensky said.',
      );
    const strikeRu = (id: string, missiles: number) =>
      scored(
        id,
        `Зеленский: Россия выпустила ${missiles} ракет по Украине`,
        'ПВО Украины сбила большинство российских ракет, заявил Зеленский.',
      );
    await stories.assign(strike('strike-en', 40));
    expect(await stories.assign(strikeRu('strike-ru', 12))).toEqual({
      storyId: 'strike-ru',
      isNew: true,
    });
    db.clock.advance(72 * HOUR);
    await stories.assign(strike('salvo-en', 40));
    expect(await stories.assign(strikeRu('salvo-ru', 40))).toEqual({
      storyId: 'salvo-en',
      isNew: false,
    });
  });

  it('links by people named in the headlines, not in the summaries', async () => {
    db.clock.advance(72 * HOUR);
    const stories = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    await stories.assign(
      scored(
        'summary-en',
        'China and Russia vow to deepen ties at talks',
        'Chinese President Xi Jinping met Vladimir Putin at the Kremlin.',
      ),
    );
    expect(await stories.assign(scored('summary-ru', ...TALKS.ru))).toEqual({
      storyId: 'summary-ru',
      isNew: true,
    });
  });

  it('keeps apart reports published more than six hours apart', async () => {
    db.clock.advance(72 * HOUR);
    const stories = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    await stories.assign(scored('late-en', ...TALKS.en, 7));
    expect(await stories.assign(scored('late-ru', ...TALKS.ru))).toEqual({
      storyId: 'late-ru',
      isNew: true,
    });
  });

  it('never bridges two stories: a copy that fits two starts its own', async () => {
    db.clock.advance(72 * HOUR);
    const stories = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    await stories.assign(scored('two-a', ...TALKS.en));
    const second = await stories.assign(
      scored(
        'two-b',
        'Putin to visit Beijing in October, Kremlin says',
        'The Russian president will travel to China for a summit with Xi in Moscow.',
      ),
    );
    expect(second.storyId).toBe('two-b');
    expect(await stories.assign(scored('two-ru', ...TALKS.ru))).toEqual({
      storyId: 'two-ru',
      isNew: true,
    });
  });

  it('lets a copy in the language of a mixed story join by text, its other languages aside', async () => {
    db.clock.advance(72 * HOUR);
    const stories = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    await stories.assign(scored('mixed-en', ...TALKS.en));
    await stories.assign(scored('mixed-ru', ...TALKS.ru));
    await stories.assign(scored('mixed-zh', ...TALKS.zh));
    // Its facets differ (sanctions), so only its words can place it: similar enough to the
    // English member, but averaged with the Russian and Chinese ones (similarity 0) it would fall
    // below the threshold and start a story of its own.
    const copy = await stories.assign(
      scored(
        'mixed-en-copy',
        'Xi and Putin hold talks in Moscow, Kremlin says',
        'Xi Jinping met Vladimir Putin at the Kremlin as Western sanctions bite.',
      ),
    );
    expect(copy).toEqual({ storyId: 'mixed-en', isNew: false });
  });

  it('within one language compares text only, as before: shared names and facets do not merge', async () => {
    db.clock.advance(72 * HOUR);
    const stories = storingMembers(db.store, createStoryAssigner(db.store, { now: db.clock.now }));
    await stories.assign(scored('same-a', ...TALKS.en));
    const visit = await stories.assign(
      scored(
        'same-b',
        'Putin to visit Beijing in October, Kremlin says',
        'The Russian president will travel to China for a summit with Xi in Moscow.',
      ),
    );
    expect(visit).toEqual({ storyId: 'same-b', isNew: true });
  });
});
