// The resident's copy inside its print page: "Print your copy" opens the browser's print dialog for
// the copy in the frame. Without scripts the browser's own PDF viewer (in the frame) prints it.
const group = document.querySelector('[data-print-copy]')
const frame = document.querySelector('[data-print-frame]')

if (group && frame) {
  group.hidden = false
  group.querySelector('[data-print-button]').addEventListener('click', () => {
    try {
      frame.contentWindow.focus()
      frame.contentWindow.print()
    } catch (error) {
      window.print()
    }
  })
}
