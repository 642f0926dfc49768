import { describe, expect, it } from 'vitest';
import { listedMentions } from '#shared/profile/enumerations.ts';

/** The flags for the named mentions of a text (each name found at its first occurrence). */
function listed(text: string, names: string[]): boolean[] {
  return listedMentions(
    text,
    names.map((name) => {
      const start = text.indexOf(name);
      if (start < 0) throw new Error(`"${name}" is not in "${text}"`);
      return { start, end: start + name.length };
    }),
  );
}

describe('listedMentions', () => {
  it('flags names listed with names the profile does not know', () => {
    expect(
      listed('US Holds Nuclear Dialogue With China, Russia, France, UK', ['China', 'Russia']),
    ).toEqual([true, true]);
    expect(
      listed('The leaders spoke as Washington, Kyiv and Moscow met', ['Kyiv', 'Moscow']),
    ).toEqual([true, true]);
    expect(listed('Talks between the U.S., China and Russia stall', ['China', 'Russia'])).toEqual([
      true,
      true,
    ]);
  });

  it('reads Russian and Chinese enumerations the same way', () => {
    expect(listed('Посол выразил надежду на переговоры России, США и Украины', ['России'])).toEqual(
      [true],
    );
    expect(listed('美国与中国、俄罗斯、法国举行对话', ['中国', '俄罗斯'])).toEqual([true, true]);
  });

  it('reads a Russian lowercase adjective of a place as a name in a list, as English capitalises it', () => {
    expect(
      listed('Книгоиздатели России стали чаще переводить китайских и иранских авторов', [
        'китайских',
      ]),
    ).toEqual([true]);
    expect(listed('В порту разгрузили немецкие и китайские автомобили', ['китайские'])).toEqual([
      true,
    ]);
    // Other lowercase words are not names, and the profile's own adjectives together are no list.
    expect(listed('Дети читают китайские и новые книги', ['китайские'])).toEqual([false]);
    expect(
      listed('Заводы выпускают российские и китайские машины', ['российские', 'китайские']),
    ).toEqual([false, false]);
  });

  it('leaves the profile’s names alone when they are listed only with each other', () => {
    expect(listed('Russia and China sign a deal in Moscow', ['Russia', 'China', 'Moscow'])).toEqual(
      [false, false, false],
    );
    expect(listed('Talks in Beijing, Moscow, Kyiv', ['Beijing', 'Moscow', 'Kyiv'])).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('takes a name qualified by one of the profile’s as the profile’s', () => {
    const text = 'Совместные патрулирования ВКС России и ВВС Китая';

    expect(listed(text, ['России', 'Китая'])).toEqual([false, false]);
  });

  it('leaves a list at the head of the text alone: there it is the subject', () => {
    expect(
      listed('Chinese, Russian, Indian Leaders Pledge Cooperation', ['Chinese', 'Russian']),
    ).toEqual([false, false]);
  });

  it('does not take two names across a clause comma for a list', () => {
    expect(listed('In Moscow, Modi said the talks went well', ['Moscow'])).toEqual([false]);
    expect(listed('Putin, Xi Meet, Pledge Closer Ties', ['Putin', 'Xi'])).toEqual([false, false]);
  });

  it('treats overlapping mentions as one name', () => {
    const text = 'Talks with Xi Jinping, Modi and Lula';

    expect(listed(text, ['Xi Jinping', 'Xi'])).toEqual([true, true]);
  });
});
