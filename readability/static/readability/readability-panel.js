// The reading-age panel on content change forms: recomputes as the editor types, with the formulas of
// readability-core.js (the same as readability/measure.py). The server renders the first figures.
"use strict"
;(() => {
  const core = window.medsiteReadability

  function escapeRegExp(text) {
    return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  }

  // As readability/glossary.py term_pattern: whole words, any case, any spaces between them.
  function termPattern(term) {
    const words = term.split(/\s+/).filter(Boolean).map(escapeRegExp)
    return new RegExp(`(?<![A-Za-z])${words.join("\\s+")}(?![A-Za-z])`, "i")
  }

  function item(list, build) {
    const li = document.createElement("li")
    build(li)
    list.append(li)
  }

  function withMarks(li, sentence, hardWords) {
    // The sentence with its hard words marked; text nodes only, never HTML from the editor.
    const parts = sentence.split(/([A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z\u00C0-\u024F]+)*)/)
    for (const part of parts) {
      if (hardWords.has(part.toLowerCase())) {
        const mark = document.createElement("mark")
        mark.textContent = part
        li.append(mark)
      } else if (part) li.append(document.createTextNode(part))
    }
  }

  function count(text) {
    const span = document.createElement("span")
    span.className = "readability-panel__count"
    span.textContent = ` (${text})`
    return span
  }

  function panel(box) {
    const data = box.dataset
    const low = Number(data.targetLow)
    const high = Number(data.targetHigh)
    const longSentence = Number(data.longSentence)
    const inputs = data.fields.split(" ").map((id) => document.getElementById(id)).filter(Boolean)
    const glossaryNode = document.getElementById("readability-glossary")
    const glossary = glossaryNode ? JSON.parse(glossaryNode.textContent) : []
    const patterns = glossary.map((pair) => [pair, termPattern(pair.term)])
    const part = (name) => box.querySelector(`[data-readability="${name}"]`)

    // Beside the text it measures: under the body (or the last measured field).
    const row = document.querySelector(`.form-row.field-${data.after}`) || document.querySelector(`.field-${data.after}`)
    if (row) row.after(box)

    const update = () => {
      const text = inputs.map((input) => core.htmlToText(input.value)).join("\n")
      const report = core.measure(text)
      const smog = report.smogGrade === null ? null : report.smogGrade + core.GRADE_TO_AGE
      const fk = report.fkGrade === null ? null : report.fkGrade + core.GRADE_TO_AGE
      part("smog").textContent = smog === null ? "–" : smog.toFixed(1)
      part("fk").textContent = fk === null ? "–" : fk.toFixed(1)
      part("summary").textContent =
        smog === null ? "Type some text to see its reading age." : `SMOG ${smog.toFixed(1)}, Flesch-Kincaid ${fk.toFixed(1)}`
      const verdict = part("verdict")
      const worst = smog === null ? null : Math.max(smog, fk)
      verdict.className = "readability-panel__verdict"
      if (worst === null) verdict.textContent = ""
      else if (worst > high) {
        verdict.textContent = `Above the target of ${low} to ${high}: shorten the longest sentences and swap the hardest words.`
        verdict.classList.add("readability-panel__verdict--over")
      } else {
        verdict.textContent = `Within the target: a reading age of ${high} or under.`
        verdict.classList.add("readability-panel__verdict--ok")
      }
      part("counts").textContent = `Words: ${report.words}. Sentences: ${report.sentences}.`

      const hardWords = new Set(report.hardest.map(([word]) => word.toLowerCase()))
      const longest = part("longest")
      longest.replaceChildren()
      for (const sentence of report.longest) {
        item(longest, (li) => {
          withMarks(li, sentence.text, hardWords)
          li.append(count(`${sentence.words} words`))
          if (sentence.words > longSentence) li.classList.add("readability-panel__long")
        })
      }
      if (!report.longest.length) item(longest, (li) => (li.textContent = "None yet."))

      const hardest = part("hardest")
      hardest.replaceChildren()
      for (const [word, syllables] of report.hardest) {
        item(hardest, (li) => {
          const mark = document.createElement("mark")
          mark.textContent = word
          li.append(mark, count(`${syllables} syllables`))
        })
      }
      if (!report.hardest.length) item(hardest, (li) => (li.textContent = "None: no word of 3 or more syllables."))

      const hints = part("hints")
      hints.replaceChildren()
      for (const [pair, pattern] of patterns) {
        if (!pattern.test(text)) continue
        item(hints, (li) => {
          li.textContent = `Instead of \u201c${pair.term}\u201d, try \u201c${pair.plainer}\u201d.${pair.note ? ` ${pair.note}` : ""}`
        })
      }
      if (!hints.children.length) item(hints, (li) => (li.textContent = "No glossary terms found."))
    }

    let timer = null
    const form = box.closest("form") || document
    form.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(update, 250)
    })
    update()
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const box of document.querySelectorAll(".readability-panel")) panel(box)
  })
})()
