// Our rich-text editor extensions, loaded by django-prose-editor's configurable preset
// (DJANGO_PROSE_EDITOR_EXTENSIONS in the settings; enabled in publishing.models.EDITOR_EXTENSIONS).
//
// InternalLink: the link dialog, with a search for our own pages that fills in their site path.
// PasteCleanup: Word and Google Docs clipboard HTML made structural before the editor reads it. The server
// repeats it (publishing/html.py normalize_pasted_html); keep the two in step.

import {
  Extension,
  gettext,
  Link,
  Plugin,
  updateAttrsDialog,
} from "django-prose-editor/editor"

const SEARCH_DELAY_MS = 200
const MIN_SEARCH_LENGTH = 2

// --- The link chooser ---

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag)
  Object.assign(node, properties)
  node.append(...children)
  return node
}

let chooserCount = 0

function resultButton(page, choose) {
  const label = `${page.title} (${page.kind}, ${page.state.toLowerCase()})`
  const button = element("button", {
    type: "button",
    className: "link-chooser__result",
    textContent: label,
  })
  button.dataset.url = page.url
  button.addEventListener("click", () => choose(page))
  return element("li", {}, [button])
}

async function fetchPages(url, term) {
  const response = await fetch(`${url}?q=${encodeURIComponent(term)}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  if (!response.ok) throw new Error(`link chooser answered ${response.status}`)
  return (await response.json()).results
}

function buildChooser(chooserUrl, urlInput) {
  const id = `link-chooser-${++chooserCount}`
  const search = element("input", { type: "search", id, autocomplete: "off", size: 40 })
  const status = element("p", { className: "link-chooser__status" })
  status.setAttribute("role", "status")
  const results = element("ul", { className: "link-chooser__results" })
  const panel = element("div", { className: "link-chooser" }, [
    element("label", { htmlFor: id, textContent: gettext("Find one of our pages by title") }),
    search,
    status,
    results,
  ])

  const choose = (page) => {
    urlInput.value = page.url
    panel.remove()
    urlInput.focus()
  }

  const show = async (term) => {
    if (term.length < MIN_SEARCH_LENGTH) {
      results.replaceChildren()
      status.textContent = gettext("Type at least two letters.")
      return
    }
    try {
      const pages = await fetchPages(chooserUrl, term)
      if (search.value.trim() !== term) return // a later search is on its way
      results.replaceChildren(...pages.map((page) => resultButton(page, choose)))
      status.textContent = pages.length
        ? `${pages.length} ${gettext("found")}`
        : gettext("No page has that in its title.")
    } catch {
      status.textContent = gettext("The search failed. Try again, or type the address.")
    }
  }

  let timer
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(() => show(search.value.trim()), SEARCH_DELAY_MS)
  })
  // Enter would submit the whole link dialog with the search half done.
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault()
  })
  return panel
}

function openChooser(chooserUrl, urlInput) {
  const field = urlInput.closest(".prose-editor-dialog-field")
  const open = field.querySelector(".link-chooser")
  if (open) {
    open.querySelector("input").focus()
    return
  }
  const panel = buildChooser(chooserUrl, urlInput)
  field.append(panel)
  panel.querySelector("input").focus()
}

function linkDialog(editor, attrs, options) {
  const href = { type: "string", title: gettext("URL") }
  if (options.chooserUrl) {
    href.picker = {
      label: gettext("Find a page on this site"),
      handler: ({ input }) => openChooser(options.chooserUrl, input),
    }
  }
  const properties = { href, title: { type: "string", title: gettext("Title") } }
  return updateAttrsDialog(properties, { title: gettext("Edit Link") })(editor, attrs)
}

export const InternalLink = Link.extend({
  addOptions() {
    return { ...this.parent?.(), enableTarget: false, chooserUrl: "" }
  },

  addCommands() {
    return {
      ...this.parent?.(),
      addLink:
        () =>
        ({ editor }) => {
          if (editor.state.selection.empty && !editor.isActive(this.name)) return false
          linkDialog(editor, editor.getAttributes(this.name), this.options).then((attrs) => {
            if (!attrs) return
            const chain = editor.chain().focus()
            if (editor.isActive(this.name)) {
              chain.extendMarkRange(this.name).updateAttributes(this.name, attrs).run()
            } else {
              chain.setMark(this.name, attrs).run()
            }
          })
          return true
        },
    }
  },
})

// --- Paste from Word and Google Docs ---

const TOP_HEADING = 2
const LOWEST_HEADING = 4
const NUMBER_MARKER = /^\(?[0-9a-z]{1,4}[.)]/i
const TYPED_BULLET = /^\s*(?:[·•▪◦§o\-–]|\(?[0-9a-z]{1,4}[.)])[\s\u00a0]+/i

function rename(node, tag) {
  const renamed = node.ownerDocument.createElement(tag)
  renamed.append(...node.childNodes)
  node.replaceWith(renamed)
  return renamed
}

function unwrap(node) {
  node.replaceWith(...node.childNodes)
}

function unwrapGoogleDocs(root) {
  for (const wrapper of root.querySelectorAll('b[id^="docs-internal-guid-"]')) unwrap(wrapper)
}

function spansAsMarks(root) {
  for (const span of root.querySelectorAll("span[style]")) {
    const style = span.getAttribute("style")
    let inner = [...span.childNodes]
    for (const [pattern, tag] of [
      [/font-style:\s*italic/i, "em"],
      [/font-weight:\s*(bold|[6-9]00)/i, "strong"],
    ]) {
      if (!pattern.test(style)) continue
      const mark = root.ownerDocument.createElement(tag)
      mark.append(...inner)
      inner = [mark]
    }
    span.replaceWith(...inner)
  }
}

function wordHeadings(root) {
  for (const paragraph of root.querySelectorAll("p[class]")) {
    const match = /\bMso(?:Heading(\d)|Title)\b/.exec(paragraph.className)
    if (match) rename(paragraph, `h${match[1] || 1}`)
  }
}

function shiftHeadings(root) {
  const shift = root.querySelector("h1") ? 1 : 0
  for (const heading of root.querySelectorAll("h1, h2, h3, h4, h5, h6")) {
    const level = Math.min(Math.max(Number(heading.tagName[1]) + shift, TOP_HEADING), LOWEST_HEADING)
    if (`H${level}` !== heading.tagName) rename(heading, `h${level}`)
  }
}

function isListParagraph(node) {
  return (
    node?.tagName === "P" &&
    (/MsoListParagraph/.test(node.className) || /mso-list:\s*l\d/i.test(node.getAttribute("style") || ""))
  )
}

function takeMarker(paragraph) {
  // Word's typed bullet sits between <![if !supportLists]> and <![endif]>, which parse as comments.
  let marker = ""
  let inMarker = false
  const walker = paragraph.ownerDocument.createTreeWalker(paragraph, NodeFilter.SHOW_ALL)
  const doomed = []
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeType === Node.COMMENT_NODE && /\[if !supportLists\]/.test(node.data)) inMarker = true
    else if (node.nodeType === Node.COMMENT_NODE && /\[endif\]/.test(node.data)) inMarker = false
    else if (inMarker && node.parentNode && !doomed.some((d) => d.contains(node))) {
      marker += node.textContent
      doomed.push(node)
    }
  }
  for (const span of paragraph.querySelectorAll("span[style]")) {
    if (/mso-list:\s*Ignore/i.test(span.getAttribute("style")) && !doomed.some((d) => d.contains(span))) {
      marker += span.textContent
      doomed.push(span)
    }
  }
  for (const node of doomed) node.remove()
  if (!doomed.length) marker = stripTypedBullet(paragraph)
  return marker.replace(/[\s\u00a0]/g, "")
}

function stripTypedBullet(paragraph) {
  const walker = paragraph.ownerDocument.createTreeWalker(paragraph, NodeFilter.SHOW_TEXT)
  let first = walker.nextNode()
  while (first && !first.data.trim()) first = walker.nextNode()
  if (!first) return ""
  const match = TYPED_BULLET.exec(first.data)
  if (!match) return ""
  first.data = first.data.slice(match[0].length)
  return match[0]
}

function listItem(paragraph) {
  const level = Number(/mso-list:\s*l\d+\s+level(\d+)/i.exec(paragraph.getAttribute("style") || "")?.[1] || 1)
  const ordered = NUMBER_MARKER.test(takeMarker(paragraph))
  return { level, ordered, paragraph }
}

function buildList(doc, items) {
  const root = doc.createDocumentFragment()
  const open = [] // [{list, ordered, lastItem}]
  for (const { level, ordered, paragraph } of items) {
    while (open.length > level || (open.length === level && open.at(-1).ordered !== ordered)) open.pop()
    while (open.length < level) {
      const list = doc.createElement(ordered ? "ol" : "ul")
      const parent = open.at(-1)?.lastItem || root
      parent.append(list)
      open.push({ list, ordered, lastItem: null })
    }
    const item = doc.createElement("li")
    item.append(...paragraph.childNodes)
    open.at(-1).list.append(item)
    open.at(-1).lastItem = item
  }
  return root
}

function wordLists(root) {
  const doc = root.ownerDocument
  for (const first of [...root.querySelectorAll("p")]) {
    if (!first.isConnected || !isListParagraph(first)) continue
    const run = [first]
    let next = first.nextElementSibling
    while (isListParagraph(next) && onlySpaceBetween(run.at(-1), next)) {
      run.push(next)
      next = next.nextElementSibling
    }
    const items = run.map(listItem)
    first.replaceWith(buildList(doc, items))
    for (const paragraph of run.slice(1)) paragraph.remove()
  }
}

function onlySpaceBetween(a, b) {
  for (let node = a.nextSibling; node && node !== b; node = node.nextSibling) {
    if (node.nodeType === Node.TEXT_NODE && !node.data.trim()) continue
    if (node.nodeType === Node.COMMENT_NODE) continue
    return false
  }
  return true
}

export function normalizePastedHtml(html) {
  const doc = new DOMParser().parseFromString(html, "text/html")
  unwrapGoogleDocs(doc.body)
  spansAsMarks(doc.body)
  wordHeadings(doc.body)
  shiftHeadings(doc.body)
  wordLists(doc.body)
  return doc.body.innerHTML
}

export const PasteCleanup = Extension.create({
  name: "pasteCleanup",

  addProseMirrorPlugins() {
    return [new Plugin({ props: { transformPastedHTML: normalizePastedHtml } })]
  },
})
