// The reading-age formulas of readability/measure.py, step for step, for the editor's live panel.
// tests/test_readability.py runs this file in Node and checks it agrees with the Python on fixed texts.
"use strict"
;((root) => {
  const GRADE_TO_AGE = 5
  const HARD_WORD_SYLLABLES = 3
  const BLOCK_END = /<br\s*\/?>|<\/(?:p|li|h[1-6]|td|th|tr|caption|blockquote|pre|ul|ol|table)\s*>/gi
  const TAG = /<[^>]*>/g
  const ABBREVIATIONS = /\b(e\.g|i\.e|etc|approx|dr|mr|mrs|ms|st|vs|no)\./gi
  const SENTENCE = /(?:[^.!?]|\.(?=\d))+(?:[.!?]+["'\u201d\u2019)\]]*|$)/g
  const WORD = /[A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z\u00C0-\u024F]+)*/g
  const SILENT_E = /(?:[^laeiouy]es|[^laeiouytd]ed|[^laeiouy]e)$/
  const VOWEL_GROUP = /[aeiouy]+/g
  const TWO_VOWELS = /(?<![ct])ia|io(?!n)|ua|uo|iu|ii|ie(?=t)/g
  const SILENT_E_BEFORE_SUFFIX = /([^aeiouy])e(ly|ments?|ness|ful)$/
  const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", rsquo: "\u2019", lsquo: "\u2018", rdquo: "\u201d", ldquo: "\u201c", ndash: "\u2013", mdash: "\u2014", hellip: "\u2026" }

  function unescape(text) {
    return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name) => {
      if (name[0] === "#") {
        const code = name[1] === "x" || name[1] === "X" ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10)
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole
      }
      return ENTITIES[name.toLowerCase()] ?? whole
    })
  }

  function htmlToText(markup) {
    return unescape((markup || "").replace(BLOCK_END, "\n").replace(TAG, "")).replace(/\u00a0/g, " ")
  }

  function syllables(word) {
    let letters = word.toLowerCase().replace(/[^a-z]/g, "")
    if (letters.length <= 3) return 1
    letters = letters.replace(SILENT_E_BEFORE_SUFFIX, "$1$2")
    letters = letters.replace(SILENT_E, (match) => match[0])
    letters = letters.replace(/^y/, "").replace(/qu/g, "qw")
    const count = (letters.match(VOWEL_GROUP) || []).length + (letters.match(TWO_VOWELS) || []).length
    return Math.max(count, 1)
  }

  function wordsOf(text) {
    return text.match(WORD) || []
  }

  function sentencesOf(text) {
    const prepared = text.replace(ABBREVIATIONS, (match, stem) => stem.replace(/\./g, ""))
    const found = []
    for (const line of prepared.split("\n")) {
      for (const match of line.match(SENTENCE) || []) {
        const sentence = match.split(/\s+/).filter(Boolean).join(" ")
        if (sentence.match(WORD)) found.push(sentence)
      }
    }
    return found
  }

  function smogGrade(polysyllables, sentences) {
    return 1.043 * Math.sqrt((polysyllables * 30) / sentences) + 3.1291
  }

  function fleschKincaidGrade(words, sentences, syllableCount) {
    return 0.39 * (words / sentences) + 11.8 * (syllableCount / words) - 15.59
  }

  function measure(text, longest = 3, hardest = 10) {
    const counted = sentencesOf(text).map((sentence) => [sentence, wordsOf(sentence)])
    const allWords = counted.flatMap(([, words]) => words)
    const counts = allWords.map(syllables)
    const polysyllables = counts.filter((count) => count >= HARD_WORD_SYLLABLES).length
    if (!allWords.length) {
      return { words: 0, sentences: 0, syllables: 0, polysyllables: 0, smogGrade: null, fkGrade: null, longest: [], hardest: [] }
    }
    const syllableCount = counts.reduce((sum, count) => sum + count, 0)
    const hard = new Map()
    allWords.forEach((word, index) => {
      if (counts[index] >= HARD_WORD_SYLLABLES && !hard.has(word.toLowerCase())) hard.set(word.toLowerCase(), [word, counts[index]])
    })
    const byHardness = (a, b) =>
      b[1] - a[1] || b[0].length - a[0].length || (a[0].toLowerCase() < b[0].toLowerCase() ? -1 : a[0].toLowerCase() > b[0].toLowerCase() ? 1 : 0)
    return {
      words: allWords.length,
      sentences: counted.length,
      syllables: syllableCount,
      polysyllables,
      smogGrade: smogGrade(polysyllables, counted.length),
      fkGrade: fleschKincaidGrade(allWords.length, counted.length, syllableCount),
      longest: [...counted].sort((a, b) => b[1].length - a[1].length).slice(0, longest).map(([sentence, words]) => ({ text: sentence, words: words.length })),
      hardest: [...hard.values()].sort(byHardness).slice(0, hardest),
    }
  }

  const api = { GRADE_TO_AGE, htmlToText, syllables, wordsOf, sentencesOf, smogGrade, fleschKincaidGrade, measure }
  if (typeof module === "object" && module.exports) module.exports = api
  else root.medsiteReadability = api
})(typeof self === "undefined" ? globalThis : self)
