import { beforeAll, describe, expect, it } from 'vitest';
import { countScripts, detectLanguage } from '#shared/profile/detect-language.ts';
import { loadProfile, ProfileError } from '#shared/profile/load-profile.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import { stem } from '#shared/profile/stemming.ts';
import { analysisTokens } from '#shared/profile/text-tokens.ts';
import { SECOND_TOPIC_DIR, SEED_TEXT, SEEDS_DIR, seedsFolder } from './profile-fixtures.ts';

const language = (text: string, declared?: string) => detectLanguage(countScripts(text), declared);

describe('detectLanguage', () => {
  it('tells English, Russian and Chinese apart by their letters', () => {
    expect(language('Putin and Xi begin talks in Moscow')).toBe('en');
    expect(language('Путин и Си Цзиньпин начали переговоры')).toBe('ru');
    expect(language('习近平与普京举行正式会谈')).toBe('zh');
  });

  it('goes by the text when the declared language says otherwise, and refines within a script', () => {
    expect(language('Putin and Xi begin talks in Moscow', 'ru')).toBe('en');
    expect(language('Poutine et Xi entament des pourparlers', 'fr-FR')).toBe('fr');
    expect(language('俄外长拉夫罗夫访华', 'zh-TW')).toBe('zh');
    expect(language('Путин провел переговоры с Си Цзиньпином', 'bg')).toBe('bg');
  });

  it('names Ukrainian by the letters only Ukrainian writes, and Japanese by its kana', () => {
    expect(language('Україна отримала нові системи протиповітряної оборони')).toBe('uk');
    expect(language('プーチン大統領と習近平国家主席が会談')).toBe('ja');
  });

  it('trusts the declared language when the text has too few letters to tell', () => {
    expect(language('G7', 'de')).toBe('de');
    expect(language('2024')).toBeUndefined();
    expect(language('Путин', 'ru-RU')).toBe('ru');
  });

  it('counts Russian-language items quoting Latin names as Russian', () => {
    expect(language('Bloomberg: Китай нарастил закупки российской нефти до рекорда')).toBe('ru');
  });
});

describe('scoring Russian and Chinese items with the shipped profile', () => {
  let scorer: Scorer;
  beforeAll(async () => {
    scorer = createScorer(await loadProfile(SEEDS_DIR));
  });

  it('alerts on the Putin-Xi talks in Russian and in Chinese, naming the language and the facets in English', () => {
    const russian = scorer.score({
      title: 'Путин и Си Цзиньпин начали переговоры в расширенном составе',
    });
    const chinese = scorer.score({ title: '习近平与普京举行正式会谈' });

    for (const [result, lang] of [
      [russian, 'ru'],
      [chinese, 'zh'],
    ] as const) {
      expect(result).toMatchObject({ match: true, alert: true, lang });
      expect(result.facets).toEqual(['russia', 'china']);
      expect(result.explanation.lang).toBe(lang);
    }
    expect(russian.explanation.facets.find((facet) => facet.name === 'russia')?.matched).toContain(
      'путин',
    );
  });

  it('finds Chinese names that ICU segmentation cuts into characters', () => {
    const words = new Intl.Segmenter('zh', { granularity: 'word' });
    const pieces = [...words.segment('习近平与普京举行会谈')]
      .filter((part) => part.isWordLike)
      .map((part) => part.segment);
    // The premise: ICU's dictionary does not know these names.
    expect(pieces).not.toContain('普京');
    expect(pieces).not.toContain('习近平');

    const result = scorer.score({ title: '习近平与普京举行会谈' });

    expect(result.explanation.facets.map((facet) => facet.matched)).toEqual([['普京'], ['习近平']]);
  });

  it('matches Russian names in the cases whose stems differ from the dictionary form', () => {
    expect(stem('китая')).not.toBe(stem('китай'));

    const result = scorer.score({ title: 'Москва и делегация Китая обсудили поставки газа' });

    expect(result.facets).toEqual(['russia', 'china']);
  });

  it('matches a plural demonym in the genitive, whose stem differs from the nominative', () => {
    expect(stem('россиян')).not.toBe(stem('россияне'));

    expect(scorer.score({ title: 'Опрос: сколько россиян ездят в отпуск' }).facets).toEqual([
      'russia',
    ]);
  });

  it('does not read Xi (Си) in the hyphenated syllables of another name, such as the BBC’s', () => {
    expect(scorer.score({ title: 'Русская служба Би-би-си рассказала о Кремле' }).facets).toEqual([
      'russia',
    ]);
    expect(scorer.score({ title: 'Путин встретился с Си в Кремле' }).facets).toEqual([
      'russia',
      'china',
    ]);
  });

  it('matches a phrase in the cases of its words, a fleeting vowel dropped', () => {
    // потолок -> потолка: the stemmer keeps the two apart, so the phrase needs both.
    expect(stem('потолка')).not.toBe(stem('потолок'));

    for (const title of [
      'ЕС обсуждает снижение потолка цен на российскую нефть',
      'Индия не присоединится к потолку цен на нефть',
    ]) {
      expect(scorer.score({ title }).facets).toContain('sanctions');
    }
  });

  it('reads the adjectives of the front’s places as the places, as English reads the attributive noun', () => {
    // "the Zaporizhzhia plant", "the Kherson region": Russian says Запорожская АЭС, Херсонская область.
    for (const title of [
      'МАГАТЭ проверит Запорожскую АЭС',
      'В Херсонской области объявили эвакуацию',
      'Обстановка в Донецкой и Луганской областях',
    ]) {
      expect(scorer.score({ title }).facets).toContain('ukraine');
    }
  });

  it('reads a stopword written with ё as the one written with е, not as an abbreviation', () => {
    // своём and своем are one word; stemmed, both would read as СВО, the war's name.
    expect(scorer.score({ title: 'Губернатор рассказал о своём отпуске' }).facets).toEqual([]);
    expect(scorer.score({ title: 'Участники СВО получат льготы' }).facets).toEqual(['ukraine']);
  });

  it('does not read a name of several words as the one word the analysis keeps of it', () => {
    // «Ван И» (Wang Yi) loses И, a stopword and one letter; read as ван it was China in a bath.
    expect(scorer.score({ title: 'В Москве установили новую ванну' }).facets).toEqual(['russia']);
  });

  it('does not read Russia in transliterations that contain its Chinese character', () => {
    const result = scorer.score({ title: '韩正会见美国俄勒冈州参议长 埃塞俄比亚总理访华' });

    expect(result.facets).not.toContain('russia');
  });

  it('reads a word of the profile only in an item written in its script', () => {
    // In Russian or Chinese text a Latin word is a name quoted as written abroad.
    expect(
      scorer.score({ title: 'Автомобилисты признали китайский внедорожник Tank 700 новинкой года' })
        .facets,
    ).toEqual(['china']);
    expect(
      scorer.score({ title: 'Акции Bank of China выросли на торгах в Гонконге' }).facets,
    ).toEqual([]);
    expect(scorer.score({ title: '下午察：South China Morning Post 的新老板' }).facets).toEqual([]);
    // And in English text a quoted Cyrillic word is not the Russian term.
    expect(
      scorer.score({ title: 'Kremlin TV keeps calling it the «СВО», a special operation' }).facets,
    ).toEqual(['russia']);
  });

  it('leaves alone an item with nothing of the profile in any language', () => {
    for (const title of ['В Казани пройдет фестиваль мороженого', '上海今天天气晴朗']) {
      expect(scorer.score({ title })).toMatchObject({ score: 0, match: false });
    }
  });
});

describe('the overlay in several languages', () => {
  const SEED = { 'oysters.txt': SEED_TEXT };

  it('joins a language section to the facets and names it extends, with its own thresholds', async () => {
    const dir = seedsFolder({
      ...SEED,
      'profile.json': JSON.stringify({
        aliases: { Maryland: ['Annapolis'] },
        facets: { bay: { terms: ['Maryland'] }, reefs: { terms: ['oyster reef'] } },
        rules: [
          { facets: ['bay', 'reefs'], weight: 1, level: 'alert' },
          { facets: ['reefs'], weight: 0.5 },
        ],
        thresholds: { match: 0.45, alert: 0.8 },
        seedAffinity: 0,
        languages: {
          ru: {
            aliases: { Maryland: ['Мэриленд'] },
            facets: { reefs: ['устричный риф'] },
            thresholds: { match: 0.3, alert: 0.8 },
          },
        },
      }),
    });
    const profile = await loadProfile(dir);
    const scorer = createScorer(profile);

    expect(profile.languageThresholds).toEqual({ ru: { match: 0.3, alert: 0.8 } });
    expect(scorer.score({ title: 'Мэриленд восстанавливает устричные рифы' })).toMatchObject({
      lang: 'ru',
      facets: ['bay', 'reefs'],
      alert: true,
    });
    // The same evidence, a reef alone, matches in Russian at the lower Russian threshold only.
    expect(scorer.score({ title: 'Устричный риф растет' }).match).toBe(true);
    expect(scorer.score({ title: 'An oyster reef grows' }).match).toBe(false);
  });

  it('weighs names listed among others by the factor of the item’s language', async () => {
    const dir = seedsFolder({
      ...SEED,
      'profile.json': JSON.stringify({
        facets: {
          bay: { terms: ['Maryland', 'Мэриленд'] },
          coast: { terms: ['Virginia', 'Вирджиния'] },
        },
        rules: [{ facets: ['bay', 'coast'], weight: 1, level: 'alert' }],
        thresholds: { match: 0.3, alert: 0.8 },
        seedAffinity: 0,
        enumerationFactor: 0.5,
        languages: { ru: { enumerationFactor: 1 } },
      }),
    });
    const profile = await loadProfile(dir);
    const scorer = createScorer(profile);

    expect(profile.languageEnumerationFactors).toEqual({ ru: 1 });
    expect(scorer.score({ title: 'Oysters of Texas, Maryland and Virginia' })).toMatchObject({
      score: 0.25,
      alert: false,
    });
    expect(scorer.score({ title: 'Устрицы Техаса, Мэриленд и Вирджиния' })).toMatchObject({
      score: 1,
      alert: true,
    });
  });

  it('names the key when a language section extends a facet the overlay does not define', async () => {
    const dir = seedsFolder({
      ...SEED,
      'profile.json': JSON.stringify({
        facets: { bay: { terms: ['Maryland'] } },
        languages: { zh: { facets: { reefs: ['牡蛎礁'] } } },
      }),
    });

    await expect(loadProfile(dir)).rejects.toThrow(ProfileError);
    await expect(loadProfile(dir)).rejects.toThrow(/languages\.zh\.facets\.reefs/);
  });

  it('rejects a language key that is not a language code', async () => {
    const dir = seedsFolder({
      ...SEED,
      'profile.json': JSON.stringify({ languages: { Russian: {} } }),
    });

    await expect(loadProfile(dir)).rejects.toThrow(/languages\.Russian/);
  });

  it('derives a profile from a Chinese seed, its words counted by Intl.Segmenter', async () => {
    const dir = seedsFolder({
      'seed.txt': [
        '拉夫罗夫抵达北京与王毅会谈',
        '',
        '俄罗斯外长拉夫罗夫抵达北京，与中国外长王毅举行会谈。双方讨论了乌克兰危机和金砖国家合作。',
        '拉夫罗夫表示，中国和俄罗斯的关系处于历史最好水平。王毅说，中国愿同俄罗斯加强合作。',
      ].join('\n'),
    });
    const profile = await loadProfile(dir);
    const scorer = createScorer(profile);

    expect(profile.terms.map((term) => term.text)).toEqual(
      expect.arrayContaining(['王毅', '俄罗斯', '中国']),
    );
    expect(scorer.score({ title: '王毅同俄罗斯外长举行会谈' }).score).toBeGreaterThan(0);
    expect(scorer.score({ title: '上海今天天气晴朗' }).score).toBe(0);
  });

  it('still derives the second topic without an overlay, in English', async () => {
    const scorer = createScorer(await loadProfile(SECOND_TOPIC_DIR));

    expect(scorer.score({ title: 'Airbus and Boeing trade blows over subsidies' })).toMatchObject({
      lang: 'en',
      match: true,
    });
  });
});

describe('analysisTokens', () => {
  it('joins the single characters ICU cuts an unknown name into, but not particles', () => {
    expect(analysisTokens('习近平与普京举行会谈')).toEqual([
      '习',
      '近平',
      '与',
      '普京',
      '举行',
      '会谈',
    ]);
  });
});
