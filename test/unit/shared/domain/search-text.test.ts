import { describe, expect, it } from 'vitest';
import { choseongWords, normalizeSearchText, queryTerms, searchWords, shortGrams } from '#shared/domain/search-text';

describe('normalizeSearchText', () => {
  it('lower-cases and turns punctuation and runs of spaces into one space', () => {
    expect(normalizeSearchText('  (주)대한-정밀  ABC!! ')).toBe('주 대한 정밀 abc');
    expect(normalizeSearchText('DH Precision, Inc.')).toBe('dh precision inc');
    expect(normalizeSearchText('220-81-62517')).toBe('220 81 62517');
  });

  it('composes decomposed Hangul (NFD from macOS file names or copy-paste) to NFC', () => {
    const nfd = '대한정밀'.normalize('NFD');
    expect(nfd).not.toBe('대한정밀');
    expect(normalizeSearchText(nfd)).toBe('대한정밀');
    expect(normalizeSearchText('\u1100\u1161')).toBe('가');
  });

  it('gives an empty string for text with no letters or digits', () => {
    expect(normalizeSearchText('')).toBe('');
    expect(normalizeSearchText(' -()/.,! ')).toBe('');
  });
});

describe('searchWords and queryTerms', () => {
  it('splits into words and has no empty words', () => {
    expect(searchWords('(주)대한정밀 공업')).toEqual(['주', '대한정밀', '공업']);
    expect(searchWords('   ')).toEqual([]);
    expect(searchWords('a  b')).toEqual(['a', 'b']);
  });

  it('uses at most 8 query terms (a pasted paragraph cannot build a huge MATCH)', () => {
    expect(queryTerms('대한 정밀')).toEqual(['대한', '정밀']);
    expect(queryTerms('a b c d e f g h i j')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(queryTerms('  "*" OR ')).toEqual(['or']);
    expect(queryTerms('')).toEqual([]);
  });
});

describe('choseongWords', () => {
  it('gives the initial consonants of each word that has Hangul', () => {
    expect(choseongWords('(주)대한정밀')).toEqual(['ㅈ', 'ㄷㅎㅈㅁ']);
    expect(choseongWords('대한정밀 홍길동')).toEqual(['ㄷㅎㅈㅁ', 'ㅎㄱㄷ']);
    expect(choseongWords('쌍용기계')).toEqual(['ㅆㅇㄱㄱ']);
  });

  it('skips words with no Hangul and keeps only the Hangul part of mixed words', () => {
    expect(choseongWords('ABC 123')).toEqual([]);
    expect(choseongWords('LG전자')).toEqual(['ㅈㅈ']);
  });

  it('keeps a query typed in 초성 as it is', () => {
    expect(choseongWords('ㄷㅎㅈㅁ')).toEqual(['ㄷㅎㅈㅁ']);
  });
});

describe('shortGrams', () => {
  it('lists every 1- and 2-character substring once', () => {
    expect(shortGrams('대한정밀').sort()).toEqual(['대', '대한', '한', '한정', '정', '정밀', '밀'].sort());
    expect(shortGrams('aaa').sort()).toEqual(['a', 'aa']);
    expect(shortGrams('가')).toEqual(['가']);
    expect(shortGrams('')).toEqual([]);
  });

  it('counts characters, not UTF-16 units (no broken surrogate pairs)', () => {
    const grams = shortGrams('𠮷가');
    expect(grams.sort()).toEqual(['𠮷', '𠮷가', '가'].sort());
  });

  it('covers every one- and two-syllable substring a user may type', () => {
    const word = '울산석유화학';
    const grams = new Set(shortGrams(word));
    const chars = [...word];
    for (let i = 0; i < chars.length; i++) {
      expect(grams.has(chars[i] as string)).toBe(true);
      if (i + 1 < chars.length) expect(grams.has(`${chars[i]}${chars[i + 1]}`)).toBe(true);
    }
    expect(grams.size).toBe(chars.length * 2 - 1);
  });
});
