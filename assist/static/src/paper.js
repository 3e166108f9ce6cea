// "Enter a paper form": scan the QR code on a paper form with the tablet's camera, where the
// browser can read QR codes (the BarcodeDetector API). Elsewhere nothing changes: the helper
// types the paper reference, which always works.
const form = document.querySelector('[data-paper-enter]')
const scan = form && form.querySelector('[data-scan]')

async function supported () {
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return false
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats()
    return formats.includes('qr_code')
  } catch (error) {
    return false
  }
}

function paperReference (text) {
  const match = String(text || '').toUpperCase().match(/PAPER[\s-]+[A-Z0-9]{1,4}[\s-]+[0-9A-Z.]+[\s-]+[A-Z]{2,3}(?:-[A-Z0-9]{2,4})?[\s-]+[A-Z0-9]{4}/)
  return match ? match[0] : null
}

async function start () {
  const viewer = scan.querySelector('[data-scan-viewer]')
  const video = scan.querySelector('[data-scan-video]')
  const status = scan.querySelector('[data-scan-status]')
  const input = form.querySelector('#paper-reference')
  const detector = new window.BarcodeDetector({ formats: ['qr_code'] })
  let stream
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false })
  } catch (error) {
    status.textContent = scan.dataset.denied || 'The camera could not be used. Type the paper reference instead.'
    viewer.hidden = false
    return
  }
  let running = true
  const stop = () => {
    running = false
    stream.getTracks().forEach(track => track.stop())
    viewer.hidden = true
  }
  scan.querySelector('[data-scan-stop]').addEventListener('click', () => { stop(); input.focus() }, { once: true })
  video.srcObject = stream
  viewer.hidden = false
  await video.play()
  const look = async () => {
    if (!running) return
    try {
      for (const code of await detector.detect(video)) {
        const reference = paperReference(code.rawValue)
        if (reference) {
          input.value = reference
          stop()
          form.querySelector('#paper-number').focus()
          return
        }
      }
    } catch (error) { /* a frame that could not be read: try the next one */ }
    window.setTimeout(() => window.requestAnimationFrame(look), 150)
  }
  window.requestAnimationFrame(look)
}

if (scan) {
  supported().then(ok => {
    if (!ok) return
    scan.hidden = false
    scan.querySelector('[data-scan-start]').addEventListener('click', start)
  })
}
