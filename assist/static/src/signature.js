// The signature pad of a signature question (loaded only on pages that have one).
//
// Without scripts the pad stays hidden and the typed name works alone. With them, the pad is shown
// and signature_pad draws with pointer events, so a finger, a stylus and a mouse all sign. At the
// end of every stroke the drawing goes into the question's hidden input as JSON in the canvas's own
// coordinate space (CSS pixels), the shape the server checks (assist/engine/questions_signature.py):
//
//   {"width": 600, "height": 200, "strokes": [[[x, y], [x, y], ...], ...]}
//
// A drawing kept from before (the hidden input's value) is drawn again, scaled to the pad's size.
import SignaturePad from './signature_pad.min.js'

const MAX_POINTS = 2000 // in all, as the server allows
const MAX_STROKES = 50

const round = value => Math.round(value * 10) / 10
const clamp = (value, high) => Math.min(Math.max(value, 0), high)

/** The drawing in the strokes JSON ``text``, or null if it is not one. */
function readDrawing (text) {
  let data
  try {
    data = JSON.parse(text)
  } catch (error) {
    return null
  }
  const isNumber = value => typeof value === 'number' && Number.isFinite(value)
  if (!data || !isNumber(data.width) || !isNumber(data.height) || data.width <= 0 || data.height <= 0 ||
      !Array.isArray(data.strokes)) return null
  const strokes = data.strokes.filter(stroke => Array.isArray(stroke) &&
    stroke.every(point => Array.isArray(point) && point.length === 2 && point.every(isNumber)))
  return { width: data.width, height: data.height, strokes }
}

/** ``strokes`` with fewer points, evenly, so that they hold no more than ``limit`` in all. */
function thin (strokes, limit) {
  const count = strokes.reduce((sum, stroke) => sum + stroke.length, 0)
  if (count <= limit) return strokes
  const step = Math.ceil(count / (limit - 2 * strokes.length))
  return strokes.map(stroke => stroke.filter((point, index) => index % step === 0 || index === stroke.length - 1))
}

function start (root) {
  const canvas = root.querySelector('canvas')
  const input = root.closest('form').querySelector(`input[type="hidden"][name="${root.dataset.input}"]`)
  const clear = root.querySelector('.assist-signature__clear')
  const status = root.querySelector('[data-signature-status]')
  if (!canvas || !input || !clear) return

  root.hidden = false
  const pad = new SignaturePad(canvas, { penColor: '#0b0c0c', backgroundColor: 'rgba(0,0,0,0)' })
  let size = { width: 0, height: 0 }

  /** The pad's drawing as strokes of [x, y] points in CSS pixels. */
  const strokes = () => pad.toData().map(group => group.points.map(point =>
    [round(clamp(point.x, size.width)), round(clamp(point.y, size.height))])).filter(stroke => stroke.length)

  const save = () => {
    const drawn = thin(strokes().slice(0, MAX_STROKES), MAX_POINTS)
    input.value = drawn.length ? JSON.stringify({ width: size.width, height: size.height, strokes: drawn }) : ''
  }

  /** Draw ``drawing`` (strokes in its own width and height) on the pad at its size now. */
  const draw = drawing => {
    const scale = Math.min(size.width / drawing.width, size.height / drawing.height)
    pad.fromData(drawing.strokes.map(stroke => ({
      points: stroke.map(([x, y]) => ({ x: x * scale, y: y * scale, pressure: 0.5, time: 0 }))
    })))
  }

  /** Fit the canvas to its box (sharp on high-density screens), keeping what is drawn. */
  const fit = () => {
    const width = Math.round(canvas.clientWidth)
    const height = Math.round(canvas.clientHeight)
    if (!width || !height || (width === size.width && height === size.height)) return
    const before = size.width ? { width: size.width, height: size.height, strokes: strokes() } : null
    const ratio = Math.max(window.devicePixelRatio || 1, 1)
    canvas.width = width * ratio
    canvas.height = height * ratio
    canvas.getContext('2d').scale(ratio, ratio)
    size = { width, height }
    pad.clear()
    if (before && before.strokes.length) {
      draw(before)
      save()
    }
  }

  fit()
  const stored = input.value ? readDrawing(input.value) : null
  if (stored && stored.strokes.length) {
    draw(stored)
    save()
  } else {
    input.value = '' // nothing, or not a drawing this pad can show: sign again
  }

  pad.addEventListener('endStroke', save)
  clear.addEventListener('click', () => {
    pad.clear()
    input.value = ''
    canvas.focus()
    if (status) {
      status.textContent = ''
      window.setTimeout(() => { status.textContent = status.dataset.clearedText }, 100)
    }
  })
  if ('ResizeObserver' in window) {
    new window.ResizeObserver(fit).observe(canvas)
  } else {
    window.addEventListener('resize', fit)
  }
}

document.querySelectorAll('[data-module="assist-signature"]').forEach(start)
