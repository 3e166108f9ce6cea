// Evidence pages: the passport-style photo guide. When a photo is chosen (or taken) for a
// question asking for one, it is shown in the 35:45 frame with an oval the head should fill,
// so the helper and resident can see at once whether to take it again. The photo never leaves
// the browser until Continue; the object URL is released when another is chosen.
export function initPhotoGuides (root = document) {
  for (const guide of root.querySelectorAll('[data-assist-photo-guide]')) {
    const group = guide.closest('.govuk-form-group') || guide.parentElement
    const input = group && group.querySelector('input[type="file"]')
    const image = guide.querySelector('[data-assist-photo-guide-image]')
    if (!input || !image) continue
    let shown = null
    image.addEventListener('error', () => { guide.hidden = true }) // a HEIC the browser cannot show
    input.addEventListener('change', () => {
      if (shown) URL.revokeObjectURL(shown)
      shown = null
      const file = input.files && input.files[0]
      if (!file || !file.type.startsWith('image/')) {
        guide.hidden = true
        return
      }
      shown = URL.createObjectURL(file)
      image.src = shown
      guide.hidden = false
    })
  }
}
