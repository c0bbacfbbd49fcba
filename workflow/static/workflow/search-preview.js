// The "Search engines" fieldset: a live preview of the page as a search result, and length hints on its boxes.
// Empty search title and description fall back to the title and summary, as the public page does.
"use strict"
;(() => {
  const ELLIPSIS = "\u2026"

  function cut(text, fits) {
    return text.length > fits ? `${text.slice(0, fits - 1).trimEnd()}${ELLIPSIS}` : text
  }

  function valueOf(id) {
    const input = id && document.getElementById(id)
    return input ? input.value.trim() : ""
  }

  function lengthHint(input) {
    const fits = Number(input.dataset.lengthHint)
    const hint = document.createElement("p")
    hint.className = "help length-hint"
    hint.id = `${input.id}_length`
    hint.setAttribute("aria-live", "polite")
    input.setAttribute("aria-describedby", `${input.getAttribute("aria-describedby") || ""} ${hint.id}`.trim())
    input.after(hint)
    const update = () => {
      const count = input.value.length
      hint.textContent =
        count > fits
          ? `${count} characters: search engines show about ${fits}, so the end will be cut.`
          : `${count} of about ${fits} characters that search engines show.`
      hint.classList.toggle("length-hint--over", count > fits)
    }
    input.addEventListener("input", update)
    update()
  }

  function preview(box) {
    const data = box.dataset
    const part = (name) => box.querySelector(`.search-preview__${name}`)
    const update = () => {
      const title = valueOf("id_seo_title") || `${valueOf(data.titleInput)} | ${data.siteName}`
      const description = valueOf("id_meta_description") || valueOf(data.summaryInput)
      part("title").textContent = cut(title, 60)
      part("address").textContent = `${data.addressBefore}${valueOf("id_slug") || "…"}${data.addressAfter}`
      part("description").textContent = cut(description, 155)
    }
    const watched = ["id_seo_title", "id_meta_description", "id_slug", data.titleInput, data.summaryInput]
    for (const id of watched) document.getElementById(id)?.addEventListener("input", update)
    update()
  }

  document.addEventListener("DOMContentLoaded", () => {
    for (const input of document.querySelectorAll("[data-length-hint]")) lengthHint(input)
    for (const box of document.querySelectorAll(".search-preview")) preview(box)
  })
})()
