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

// The live camera for a passport-style photo: only where the browser offers the camera to the page
// (HTTPS, or this computer) and the question's file input can be given a file by a script. The
// photo taken is a JPEG put in the file input, as if chosen; it is uploaded with Continue, and the
// server checks it as any other. The camera is stopped when the photo is taken, closed or the page left.
export function initCameras (root = document) {
  const canUse = navigator.mediaDevices && navigator.mediaDevices.getUserMedia && window.DataTransfer
  for (const camera of root.querySelectorAll('[data-assist-camera]')) {
    const group = camera.parentElement
    const input = group && group.querySelector('input[type="file"]')
    if (!canUse || !input) continue
    const part = name => camera.querySelector(`[data-assist-camera-${name}]`)
    const video = part('video')
    const status = part('status')
    let stream = null
    const show = open => {
      part('view').hidden = !open
      part('controls').hidden = !open
      part('start').hidden = open
    }
    const stop = () => {
      if (stream) stream.getTracks().forEach(track => track.stop())
      stream = null
      video.srcObject = null
      show(false)
    }
    camera.hidden = false
    part('open').addEventListener('click', async () => {
      try {
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'user', width: { ideal: 1920 }, height: { ideal: 1080 } }, audio: false })
        video.srcObject = stream
        await video.play()
        if (!video.videoWidth) await new Promise(resolve => video.addEventListener('resize', resolve, { once: true }))
        show(true)
        part('take').focus()
      } catch (error) {
        stop()
        status.textContent = status.dataset.failed
      }
    })
    part('close').addEventListener('click', () => { stop(); part('open').focus() })
    part('take').addEventListener('click', () => {
      if (!video.videoWidth) return
      // What the frame shows is what is taken: the middle of the view, 35 wide by 45 high.
      const width = video.videoWidth
      const height = video.videoHeight
      const cropWidth = Math.min(width, Math.round(height * 35 / 45))
      const cropHeight = Math.min(height, Math.round(cropWidth * 45 / 35))
      const canvas = document.createElement('canvas')
      canvas.width = cropWidth
      canvas.height = cropHeight
      canvas.getContext('2d').drawImage(video, (width - cropWidth) / 2, (height - cropHeight) / 2, cropWidth,
        cropHeight, 0, 0, cropWidth, cropHeight)
      canvas.toBlob(blob => {
        if (!blob) return
        const files = new DataTransfer()
        files.items.add(new File([blob], 'camera-photo.jpg', { type: 'image/jpeg' }))
        input.files = files.files
        input.dispatchEvent(new Event('change', { bubbles: true }))
        stop()
        status.textContent = status.dataset.taken
      }, 'image/jpeg', 0.92)
    })
    window.addEventListener('pagehide', stop)
  }
}
