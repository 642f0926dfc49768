import type { TopicProfile } from './topic-profile.ts';

const TOP_TERMS = 25;
const PATTERNS_SHOWN = 14;

/** Renders a profile for people: seeds, thresholds, facets, rules, entities and top terms. */
export function describeProfile(profile: TopicProfile): string {
  const lines: string[] = [];
  lines.push(`Topic profile ${profile.version}`);
  lines.push('');
  lines.push(`Seeds (${profile.seeds.length}):`);
  for (const seed of profile.seeds) {
    lines.push(`  ${seed.file}  "${seed.title}" (${seed.words} words)`);
  }
  lines.push('');
  lines.push(
    `Thresholds: match >= ${profile.thresholds.match}, alert >= ${profile.thresholds.alert}`,
  );
  for (const [lang, limits] of Object.entries(profile.languageThresholds ?? {})) {
    lines.push(`  items in ${lang}: match >= ${limits.match}, alert >= ${limits.alert}`);
  }
  const fields = profile.fieldWeights;
  lines.push(
    `Field weights: title ${fields.title}, summary ${fields.summary}, content ${fields.content}; seed affinity ${profile.seedAffinity}`,
  );
  if (profile.enumerationFactor !== undefined || profile.languageEnumerationFactors) {
    const perLanguage = Object.entries(profile.languageEnumerationFactors ?? {})
      .map(([lang, factor]) => `; items in ${lang}: × ${factor}`)
      .join('');
    lines.push(
      `Names listed among others, in alert combinations: × ${profile.enumerationFactor ?? 1}${perLanguage}`,
    );
  }
  lines.push('');
  lines.push('Facets:');
  for (const facet of profile.facets) {
    const origin = facet.derived ? ' (derived from the seeds)' : '';
    lines.push(`  ${facet.name}${facet.description ? ` - ${facet.description}` : ''}${origin}`);
    const shown = facet.patterns.slice(0, PATTERNS_SHOWN).map((pattern) => pattern.text);
    const more = facet.patterns.length - shown.length;
    lines.push(`    ${shown.join(', ')}${more > 0 ? `, ... (${more} more)` : ''}`);
  }
  lines.push('');
  lines.push('Combinations (score when every facet is fully present):');
  for (const rule of profile.rules) {
    lines.push(`  ${rule.level.padEnd(5)}  ${rule.facets.join(' + ').padEnd(28)} ${rule.weight}`);
  }
  if (profile.must.length > 0 || profile.mustNot.length > 0) {
    lines.push('');
    if (profile.must.length > 0) {
      lines.push(`Must (one of): ${profile.must.map((term) => term.text).join(', ')}`);
    }
    if (profile.mustNot.length > 0) {
      lines.push(`Must not: ${profile.mustNot.map((term) => term.text).join(', ')}`);
    }
  }
  lines.push('');
  lines.push('Entities:');
  for (const entity of profile.entities) {
    const variants = entity.variants.length > 0 ? ` (${entity.variants.join(', ')})` : '';
    lines.push(`  ${entity.name}${variants}, seen ${entity.count}x`);
  }
  lines.push('');
  lines.push(`Top seed terms and phrases (weight, max 1):`);
  for (const term of profile.terms.slice(0, TOP_TERMS)) {
    lines.push(`  ${term.weight.toFixed(3)}  ${term.text}`);
  }
  return `${lines.join('\n')}\n`;
}
