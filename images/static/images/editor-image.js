// LibraryImage: the rich-text editor inserts an image from our library (images/views.py's chooser).
//
// The body stores only <img data-image="12" alt="...">: the image's number in the library. The server keeps
// nothing else of an image (publishing/html.py), and readers' pages render the number as a <picture> with the
// library's current renditions and alt text (images/embed.py). In the editor the image is shown by its
// thumbnail, looked up from the chooser by number; the thumbnail's address is never saved.

import { gettext, Node, updateAttrsDialog } from "django-prose-editor/editor"

const SEARCH_DELAY_MS = 200

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag)
  Object.assign(node, properties)
  node.append(...children)
  return node
}

async function fetchImages(chooserUrl, query) {
  const response = await fetch(`${chooserUrl}?${query}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
  if (!response.ok) throw new Error(`image chooser answered ${response.status}`)
  return (await response.json()).results
}

// Thumbnails of the images shown in this editor, by number: one request per number, however often it is drawn.
const thumbnails = new Map()

function thumbnailOf(chooserUrl, id) {
  if (!thumbnails.has(id)) {
    thumbnails.set(
      id,
      fetchImages(chooserUrl, `id=${encodeURIComponent(id)}`).then((found) => found[0] || null),
    )
  }
  return thumbnails.get(id)
}

let chooserCount = 0

function buildChooser(chooserUrl, idInput) {
  const id = `image-chooser-${++chooserCount}`
  const search = element("input", { type: "search", id, autocomplete: "off", size: 40 })
  const status = element("p", { className: "image-chooser__status" })
  status.setAttribute("role", "status")
  const results = element("ul", { className: "image-chooser__results" })
  const panel = element("div", { className: "image-chooser" }, [
    element("label", { htmlFor: id, textContent: gettext("Find an image in the library") }),
    search,
    status,
    results,
  ])

  const choose = (image) => {
    idInput.value = String(image.id)
    idInput.dispatchEvent(new Event("input", { bubbles: true }))
    thumbnails.set(String(image.id), Promise.resolve(image))
    panel.remove()
    idInput.focus()
  }

  const show = async (term) => {
    try {
      const images = await fetchImages(chooserUrl, `q=${encodeURIComponent(term)}`)
      if (search.value.trim() !== term) return // a later search is on its way
      results.replaceChildren(
        ...images.map((image) => {
          const button = element("button", { type: "button", className: "image-chooser__result" }, [
            element("img", { src: image.thumbnail, alt: "", width: 80 }),
            element("span", { textContent: `${image.title} (${image.width} × ${image.height})` }),
          ])
          button.dataset.imageId = String(image.id)
          button.addEventListener("click", () => choose(image))
          return element("li", {}, [button])
        }),
      )
      status.textContent = images.length
        ? `${images.length} ${gettext("found")}`
        : gettext("No image matches. Upload it under Image library first.")
    } catch {
      status.textContent = gettext("The search failed. Try again.")
    }
  }

  let timer
  search.addEventListener("input", () => {
    clearTimeout(timer)
    timer = setTimeout(() => show(search.value.trim()), SEARCH_DELAY_MS)
  })
  search.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault()
  })
  show("")
  return panel
}

function openChooser(chooserUrl, idInput) {
  const field = idInput.closest(".prose-editor-dialog-field")
  const open = field.querySelector(".image-chooser")
  if (open) {
    open.querySelector("input").focus()
    return
  }
  const panel = buildChooser(chooserUrl, idInput)
  field.append(panel)
  panel.querySelector("input").focus()
}

function imageDialog(editor, attrs, options) {
  const properties = {
    image: {
      type: "string",
      title: gettext("Image number"),
      picker: {
        label: gettext("Choose from the library"),
        handler: ({ input }) => openChooser(options.chooserUrl, input),
      },
    },
  }
  return updateAttrsDialog(properties, { title: gettext("Insert an image") })(editor, attrs)
}

export const LibraryImage = Node.create({
  name: "libraryImage",
  group: "block",
  atom: true,
  draggable: true,

  addOptions() {
    return { chooserUrl: "" }
  },

  addAttributes() {
    return {
      image: {
        default: null,
        parseHTML: (node) => node.getAttribute("data-image"),
        renderHTML: (attrs) => ({ "data-image": attrs.image }),
      },
      alt: {
        default: "",
        parseHTML: (node) => node.getAttribute("alt") || "",
        renderHTML: (attrs) => ({ alt: attrs.alt || "" }),
      },
    }
  },

  parseHTML() {
    return [{ tag: "img[data-image]" }]
  },

  renderHTML({ HTMLAttributes }) {
    return ["img", HTMLAttributes]
  },

  addNodeView() {
    return ({ node }) => {
      const img = element("img", { className: "library-image", alt: node.attrs.alt || "" })
      img.dataset.image = node.attrs.image
      img.width = 320
      thumbnailOf(this.options.chooserUrl, String(node.attrs.image)).then((found) => {
        if (found) {
          img.src = found.thumbnail
          img.alt = found.alt
          img.title = found.title
        } else {
          img.alt = gettext("This image is no longer in the library; readers will not see it.")
        }
      })
      return { dom: img }
    }
  },

  addCommands() {
    return {
      insertLibraryImage:
        () =>
        ({ editor }) => {
          imageDialog(editor, {}, this.options).then(async (attrs) => {
            const id = (attrs?.image || "").trim()
            if (!/^\d{1,12}$/.test(id)) return
            const found = await thumbnailOf(this.options.chooserUrl, id)
            if (!found) return
            editor.chain().focus().insertContent({ type: this.name, attrs: { image: id, alt: found.alt } }).run()
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "libraryImage",
      groups: "nodes",
      command(editor) {
        editor.commands.insertLibraryImage()
      },
      button: buttons.material("image", gettext("insert an image from the library")),
    })
  },
})
