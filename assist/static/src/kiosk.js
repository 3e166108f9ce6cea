// Kiosks and shared tablets: the timeout warning, "Listen", the helpers' help-request list,
// "Exit this page", and never showing a page from the back/forward cache. Settings come from
// data- attributes (the Content-Security-Policy forbids inline scripts). Everything here is an enhancement:
// without JavaScript the server still enforces the idle limit and the pages still work.

function post (url, token) {
  return fetch(url, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'X-CSRFToken': token, Accept: 'application/json' }
  }).then(response => response.ok ? response.json() : { expired: true })
}

/** The timeout warning: an accessible modal dialog before the idle limit, "Continue" extends on the server. */
export function initTimeout (dialog) {
  if (!dialog || typeof dialog.showModal !== 'function') return
  const data = dialog.dataset
  const idle = Number(data.idleSeconds) * 1000
  const warning = Number(data.warningSeconds) * 1000
  if (!(idle > 0)) return
  // Activity on the page tells the server the resident is still here, at most this often.
  const throttle = Math.min(30000, idle / 6)
  const continueButton = dialog.querySelector('[data-timeout-continue]')
  const countdown = dialog.querySelector('[data-timeout-countdown]')
  const live = dialog.querySelector('[data-timeout-live]')
  const text = document.getElementById('assist-timeout-text')
  let last = Date.now() // the server's last sight of the resident (page load or keep-alive)
  let opener = null
  let finished = false
  let announced = null

  const secondsText = seconds =>
    (seconds === 1 ? data.textOne : data.textOther).replace('{count}', String(seconds))

  function leave (next) {
    finished = true
    window.location.replace(next || data.startUrl)
  }

  function keepAlive () {
    const sent = Date.now()
    return post(data.keepAliveUrl, data.csrfToken).then(reply => {
      if (reply.expired) leave(reply.next)
      else last = Math.max(last, sent)
    }, () => {})
  }

  function open () {
    opener = document.activeElement
    dialog.showModal()
    continueButton.focus()
    announced = null
  }

  function close () {
    if (dialog.open) dialog.close()
    if (opener && typeof opener.focus === 'function' && document.contains(opener)) opener.focus()
    opener = null
  }

  function expire () {
    if (finished) return
    finished = true
    post(data.timeOutUrl, data.csrfToken).then(reply => leave(reply.next), () => leave(data.startUrl))
  }

  function tick () {
    if (finished) return
    const left = last + idle - Date.now()
    if (left <= 0) { expire(); return }
    if (left <= warning && !dialog.open) open()
    if (dialog.open) {
      const seconds = Math.max(1, Math.ceil(left / 1000))
      countdown.textContent = secondsText(seconds)
      // Screen readers hear the warning when it opens, then every 15 seconds, not every second.
      const bucket = Math.ceil(seconds / 15)
      if (bucket !== announced) {
        announced = bucket
        live.textContent = text.textContent.replace(/\s+/g, ' ').trim()
      }
    }
  }

  continueButton.addEventListener('click', () => { keepAlive().then(() => { if (!finished) close() }) })
  // Escape means "I am still here" too.
  dialog.addEventListener('cancel', event => { event.preventDefault(); continueButton.click() })
  for (const type of ['keydown', 'pointerdown', 'input']) {
    document.addEventListener(type, () => {
      if (!dialog.open && !finished && Date.now() - last > throttle) keepAlive()
    }, { capture: true, passive: true })
  }
  window.setInterval(tick, 250)
}

/** "Listen": read the question and its hint aloud in the page's language, where a voice exists. */
export function initListen (button) {
  const synth = window.speechSynthesis
  if (!button || !synth || typeof window.SpeechSynthesisUtterance !== 'function') return
  const lang = (document.documentElement.lang || 'en').toLowerCase()
  const base = lang.split('-')[0]
  const target = document.querySelector(button.dataset.listenTarget) || document.querySelector('main')
  const label = button.textContent

  const voice = () => (synth.getVoices() || []).find(v => (v.lang || '').toLowerCase().replace('_', '-').split('-')[0] === base)
  const update = () => { button.hidden = !voice() }
  update()
  if (typeof synth.addEventListener === 'function') synth.addEventListener('voiceschanged', update)

  function words () {
    const parts = []
    const selector = 'h1, .govuk-fieldset__legend, .govuk-label--l, .govuk-label--m, .govuk-hint'
    for (const element of target.querySelectorAll(selector)) {
      if (element.closest('.govuk-visually-hidden, [hidden]')) continue
      // A legend or label that holds the h1 is read once.
      if (element.querySelector('h1')) continue
      const text = element.textContent.replace(/\s+/g, ' ').trim()
      if (text && !parts.includes(text)) parts.push(text)
    }
    return parts.join('. ')
  }

  button.addEventListener('click', () => {
    if (synth.speaking) {
      synth.cancel()
      button.textContent = label
      return
    }
    const utterance = new window.SpeechSynthesisUtterance(words())
    utterance.lang = document.documentElement.lang || 'en'
    const chosen = voice()
    if (chosen) utterance.voice = chosen
    utterance.onend = () => { button.textContent = label }
    button.textContent = button.dataset.stopText || label
    synth.speak(utterance)
  })
}

/** A region that refreshes itself from a URL (the helpers' list of residents asking for help). */
export function initPoll (region) {
  const url = region.dataset.pollUrl
  const every = Number(region.dataset.pollSeconds || 15) * 1000
  const count = document.querySelector('[data-poll-count]')
  window.setInterval(() => {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(response => {
      if (!response.ok || response.redirected) return
      return response.json().then(reply => {
        if (reply.signature === region.dataset.signature) return
        region.dataset.signature = reply.signature
        region.innerHTML = reply.html
        const summary = region.querySelector('[data-poll-summary]')
        if (count && summary) count.textContent = summary.textContent
      })
    }).catch(() => {})
  }, every)
}

/** "Exit this page" (kiosk/_exit.html): its button posts the form that clears the visit; as with GOV.UK's
 * component, Shift pressed three times within 5 seconds does the same, and the page is hidden at once. */
export function initExit (root) {
  if (!root) return
  const data = root.dataset
  const form = root.querySelector('form')
  const button = root.querySelector('.govuk-exit-this-page__button')
  const status = document.createElement('span')
  status.setAttribute('role', 'status')
  status.className = 'govuk-visually-hidden'
  root.appendChild(status)
  const indicator = document.createElement('div')
  indicator.className = 'govuk-exit-this-page__indicator'
  indicator.setAttribute('aria-hidden', 'true')
  const lights = [0, 1, 2].map(() => indicator.appendChild(document.createElement('div')))
  lights.forEach(light => { light.className = 'govuk-exit-this-page__indicator-light' })
  button.appendChild(indicator)
  let presses = 0
  let lastKeyWasModified = false
  let timer = null

  function show () {
    indicator.classList.toggle('govuk-exit-this-page__indicator--visible', presses > 0)
    lights.forEach((light, n) => light.classList.toggle('govuk-exit-this-page__indicator-light--on', n < presses))
  }

  function hidePage () {
    status.textContent = ''
    document.body.classList.add('govuk-exit-this-page-hide-content')
    const overlay = document.createElement('div')
    overlay.className = 'govuk-exit-this-page-overlay'
    overlay.setAttribute('role', 'alert')
    overlay.textContent = data.activatedText
    document.body.appendChild(overlay)
  }

  function timeOut () {
    presses = 0
    show()
    status.textContent = data.timedOutText
    timer = null
  }

  form.addEventListener('submit', hidePage)
  document.addEventListener('keyup', event => {
    if (event.key === 'Shift' && !lastKeyWasModified) {
      presses += 1
      window.clearTimeout(timer)
      if (presses >= 3) {
        presses = 0
        hidePage()
        form.submit()
      } else {
        status.textContent = presses === 1 ? data.pressTwoMoreTimesText : data.pressOneMoreTimeText
        timer = window.setTimeout(timeOut, 5000)
      }
      show()
    } else if (timer) {
      window.clearTimeout(timer)
      timeOut()
    }
    lastKeyWasModified = event.shiftKey
  }, true)
}

export function initShared () {
  // A page restored from the back/forward cache could show answers after "Finish and clear":
  // fetch it again instead (pages are sent with Cache-Control: no-store, so it comes from the server).
  window.addEventListener('pageshow', event => { if (event.persisted) window.location.reload() })
  initTimeout(document.querySelector('[data-module="assist-timeout"]'))
  document.querySelectorAll('[data-module="assist-listen"]').forEach(initListen)
  document.querySelectorAll('[data-module="assist-poll"]').forEach(initPoll)
  initExit(document.querySelector('[data-module="assist-exit"]'))
}
