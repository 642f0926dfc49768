// The reader's grades: one click per grade on each story, shown as set; and the grades already
// given, read once per refresh from GET /feedback.
import { getJson, postJson } from './api.js';
import { h } from './dom.js';

const GRADES = [
  { grade: 0, label: 'Not relevant' },
  { grade: 1, label: 'Relevant' },
  { grade: 2, label: 'Alert-worthy' },
];

/** Pages read at most: 10 x 200 grades; a reader with more sees the first 2000 as set. */
const MAX_PAGES = 10;

/** Match id -> the last grade given, over every page of GET /feedback. */
export async function loadGrades() {
  const grades = new Map();
  let cursor;
  for (let pages = 0; pages < MAX_PAGES; pages++) {
    const page = await getJson('/feedback', { limit: 200, cursor });
    for (const item of page.items) grades.set(item.id, item.grade);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return grades;
}

/**
 * Three toggle buttons for a match's grade, the one given pressed. A click sends the grade;
 * the buttons show it once the API has stored it, and say so when it could not.
 */
export function gradeButtons(matchId, title, grades) {
  const status = h('span', { class: 'grade-status', role: 'status' });
  const buttons = GRADES.map(({ grade, label }) =>
    h(
      'button',
      {
        type: 'button',
        class: 'grade',
        'data-grade': grade,
        'aria-pressed': grades.get(matchId) === grade ? 'true' : 'false',
        onclick: async (event) => {
          const group = event.currentTarget.parentElement;
          status.textContent = 'Saving…';
          try {
            const saved = await postJson(`/matches/${encodeURIComponent(matchId)}/feedback`, {
              grade,
            });
            grades.set(matchId, saved.grade);
            for (const button of group.querySelectorAll('button.grade')) {
              const pressed = Number(button.dataset.grade) === saved.grade;
              button.setAttribute('aria-pressed', pressed ? 'true' : 'false');
            }
            status.textContent = 'Saved';
          } catch (error) {
            status.textContent = `Not saved: ${error.message}`;
          }
        },
      },
      label,
    ),
  );
  return h(
    'div',
    { class: 'grades', role: 'group', 'aria-label': `Your grade for: ${title}` },
    buttons,
    status,
  );
}
