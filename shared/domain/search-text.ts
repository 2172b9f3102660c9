import { getChoseong } from 'es-hangul';

/**
 * Search normalisation shared by the indexer (main) and the query side.
 * Korean users search by any substring of a name — including one or two syllables ("대한", "정밀") —
 * and by initial consonants (초성, "ㄷㅎㅈㅁ" for 대한정밀). Text is folded to NFC lower case and split
 * into words on anything that is not a letter or digit.
 */
export function normalizeSearchText(text: string): string {
  return text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function searchWords(text: string): string[] {
  const n = normalizeSearchText(text);
  return n.length === 0 ? [] : n.split(' ');
}

/** 초성 of each word that contains Hangul syllables, e.g. "(주)대한정밀" → ["ㅈ", "ㄷㅎㅈㅁ"]. */
export function choseongWords(text: string): string[] {
  return searchWords(text)
    .map((w) => getChoseong(w))
    .filter((w) => w.length > 0);
}

/** Every 1- and 2-character substring of a word: the index for queries too short for trigrams. */
export function shortGrams(word: string): string[] {
  const chars = [...word];
  const out = new Set<string>();
  for (let i = 0; i < chars.length; i++) {
    out.add(chars[i] as string);
    if (i + 1 < chars.length) out.add((chars[i] as string) + (chars[i + 1] as string));
  }
  return [...out];
}

/** Query terms: words of the query; each must match (AND). */
export function queryTerms(query: string): string[] {
  return searchWords(query).slice(0, 8);
}
