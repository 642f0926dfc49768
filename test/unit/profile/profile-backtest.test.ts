import { beforeAll, describe, expect, it } from 'vitest';
import { measure } from '#shared/eval/relevance-metrics.ts';
import { loadProfile } from '#shared/profile/load-profile.ts';
import {
  type BacktestItem,
  backtestProfiles,
  compareDecisions,
  decideItems,
} from '#shared/profile/profile-backtest.ts';
import type { Scorer } from '#shared/profile/score-types.ts';
import { createScorer } from '#shared/profile/scorer.ts';
import type { TopicProfile } from '#shared/profile/topic-profile.ts';
import { SECOND_TOPIC_DIR } from './profile-fixtures.ts';

const HEADLINES: { title: string; grade: 0 | 1 | 2 }[] = [
  { title: 'Airbus overtakes Boeing in jet deliveries as the 737 MAX stalls', grade: 2 },
  { title: 'Boeing wins an order for 737 MAX jets from a Gulf airline', grade: 2 },
  { title: 'Airbus raises A320neo production as airlines wait for jets', grade: 1 },
  { title: 'Planemakers face engine shortages at their assembly lines', grade: 1 },
  { title: 'Airline profits rise on strong summer travel', grade: 0 },
  { title: 'Chesapeake Bay oysters recover after a decade of restoration', grade: 0 },
  { title: 'Boeing', grade: 1 },
  { title: 'European planemaker Airbus reports quarterly results', grade: 1 },
];

let profile: TopicProfile;
let current: Scorer;

beforeAll(async () => {
  profile = await loadProfile(SECOND_TOPIC_DIR);
  current = createScorer(profile);
});

function variant(thresholds: { match: number; alert: number }): Scorer {
  return createScorer({ ...profile, version: 'proposed', thresholds });
}

function graded(): BacktestItem[] {
  return HEADLINES.map((line, index) => ({
    id: `g${index}`,
    source: 'labels',
    title: line.title,
    grade: line.grade,
  }));
}

describe('backtestProfiles', () => {
  it('reports no change when both profiles decide alike', () => {
    const report = backtestProfiles(graded(), current, current);

    expect(report.newlyMatched).toEqual([]);
    expect(report.droppedMatches).toEqual([]);
    expect(report.newlyAlerted).toEqual([]);
    expect(report.droppedAlerts).toEqual([]);
    expect(report.graded?.current).toEqual(report.graded?.proposed);
    expect(report.items).toEqual({ stored: 0, feedback: 0, labels: HEADLINES.length, recent: 0 });
    expect(report.fixed).toEqual([]);
    expect(report.broken).toEqual([]);
  });

  it('lists exactly the items whose score lies between the old and the new match threshold', () => {
    const scores = HEADLINES.map((line) => current.score({ title: line.title }).score);
    const lower = { match: profile.thresholds.match / 2, alert: profile.thresholds.alert / 2 };

    const report = backtestProfiles(graded(), current, variant(lower));

    const between = (low: number, high: number) =>
      HEADLINES.map((_, index) => `g${index}`).filter((_, index) => {
        const score = scores[index] as number;
        return score >= low && score < high;
      });
    expect(report.newlyMatched.map((change) => change.id)).toEqual(
      between(lower.match, profile.thresholds.match),
    );
    // An alert also needs an alert-level combination of facets, so not every item between the
    // alert thresholds newly alerts; none outside them does.
    const alertRange = between(lower.alert, profile.thresholds.alert);
    for (const change of report.newlyAlerted) expect(alertRange).toContain(change.id);
    expect(report.droppedMatches).toEqual([]);
    expect(report.newlyMatched.length).toBeGreaterThan(0);
    for (const change of report.newlyMatched) {
      expect(change.current.score).toBe(change.proposed.score);
      expect(change).toMatchObject({
        source: 'labels',
        current: { match: false },
        proposed: { match: true },
      });
    }
  });

  it('reports drops the other way round, and each profile totals', () => {
    const higher = variant({ match: 0.99, alert: 0.995 });
    const report = backtestProfiles(graded(), current, higher);
    const back = backtestProfiles(graded(), higher, current);

    expect(report.droppedMatches.map((change) => change.id)).toEqual(
      back.newlyMatched.map((change) => change.id),
    );
    expect(report.droppedAlerts.map((change) => change.id)).toEqual(
      back.newlyAlerted.map((change) => change.id),
    );
    expect(report.totals.proposed).toEqual({ matches: 0, alerts: 0 });
    expect(report.totals.current.matches).toBe(report.droppedMatches.length);
  });

  it('measures the graded items as the evaluation does (grade >= 1 a match, 2 an alert)', () => {
    const results = HEADLINES.map((line) => current.score({ title: line.title }));
    const report = backtestProfiles(graded(), current, current);

    expect(report.graded?.current.match).toEqual(
      measure(
        results.map((result) => result.score),
        HEADLINES.map((line) => line.grade >= 1),
        profile.thresholds.match,
        results.map((result) => result.match),
      ),
    );
    expect(report.graded?.current.alert).toEqual(
      measure(
        results.map((result) => result.score),
        HEADLINES.map((line) => line.grade === 2),
        profile.thresholds.alert,
        results.map((result) => result.alert),
      ),
    );
  });

  it('scores stored and recent items too, but measures only the graded ones', () => {
    const items: BacktestItem[] = [
      { id: 's1', source: 'stored', title: HEADLINES[0]?.title ?? '' },
      { id: 'r1', source: 'recent', title: HEADLINES[1]?.title ?? '', summary: 'Boeing jets' },
    ];
    const report = backtestProfiles(items, current, variant({ match: 0.99, alert: 0.995 }));

    expect(report.items).toEqual({ stored: 1, feedback: 0, labels: 0, recent: 1 });
    expect(report.graded).toBeUndefined();
    expect(report.fixed).toEqual([]);
    expect(report.droppedMatches.map((change) => change.source)).toEqual(['stored', 'recent']);
  });

  it('lists as fixed and broken the graded items whose decided grade starts or stops agreeing', () => {
    const higher = variant({ match: 0.99, alert: 0.995 });
    const report = backtestProfiles(graded(), current, higher);
    const decided = (scorer: Scorer, title: string) => {
      const result = scorer.score({ title });
      return result.alert ? 2 : result.match ? 1 : 0;
    };
    const right = (scorer: Scorer) =>
      HEADLINES.map((line, index) => ({
        id: `g${index}`,
        right: decided(scorer, line.title) === line.grade,
      }));
    const before = right(current);
    const after = right(higher);

    expect(report.broken.map((change) => change.id)).toEqual(
      before.filter((entry, index) => entry.right && !after[index]?.right).map((entry) => entry.id),
    );
    expect(report.fixed.map((change) => change.id)).toEqual(
      after.filter((entry, index) => entry.right && !before[index]?.right).map((entry) => entry.id),
    );
    expect(report.broken.length + report.fixed.length).toBeGreaterThan(0);
    expect(backtestProfiles(graded(), higher, current).fixed).toEqual(
      report.broken.map((change) => ({
        ...change,
        current: change.proposed,
        proposed: change.current,
      })),
    );
  });

  it('compares decisions made once as it compares the scorers', () => {
    const items = graded();
    const higher = variant({ match: 0.99, alert: 0.995 });
    expect(
      compareDecisions(items, decideItems(items, current), decideItems(items, higher)),
    ).toEqual(backtestProfiles(items, current, higher));
  });
});
