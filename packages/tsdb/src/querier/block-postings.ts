import { MatchType, type Matcher } from '@pyrometer/model';
import type { BlockReader } from '../format/index.js';
import { intersect, subtract, unionDisjoint, type Postings } from '../head/postings.js';

/**
 * Series refs of a block matching every matcher, ascending (which is label order in a block).
 * Same strategy as the head: intersect what non-empty matchers accept, subtract what
 * empty-accepting matchers reject, start from all postings when only the latter exist.
 */
export function blockPostings(block: BlockReader, matchers: readonly Matcher[]): Postings {
  const positive: Postings[] = [];
  const negative: Postings[] = [];
  for (const m of matchers) {
    if (m.matchesEmpty()) negative.push(valuesPostings(block, m, false));
    else positive.push(valuesPostings(block, m, true));
  }
  positive.sort((a, b) => a.length - b.length);
  let result: Postings = positive.length === 0 ? block.allPostings() : positive[0]!;
  for (let i = 1; i < positive.length && result.length > 0; i++) result = intersect(result, positive[i]!);
  for (const n of negative) {
    if (result.length === 0) break;
    result = subtract(result, n);
  }
  return result;
}

function valuesPostings(block: BlockReader, m: Matcher, want: boolean): Postings {
  if ((want && m.type === MatchType.Equal) || (!want && m.type === MatchType.NotEqual)) return block.postings(m.name, m.value);
  const set = want ? m.setMatches() : undefined;
  const values = set !== undefined ? [...new Set(set)] : block.labelValues(m.name).filter((v) => m.matches(v) === want);
  return unionDisjoint(values.map((v) => block.postings(m.name, v)));
}
