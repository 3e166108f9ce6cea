// assist's only script: start GOV.UK Frontend's components (error summary focus,
// character counts, conditional reveals, skip link...). Served as a file,
// never inline, so the Content-Security-Policy can forbid inline scripts.
import { initAll } from './govuk-frontend.min.js'
import { initShared } from './kiosk.js'
import { initCameras, initPhotoGuides } from './evidence.js'

initAll()
initShared() // timeout warning, Listen, help-request list, back/forward cache (kiosk.js)
initPhotoGuides() // the passport-style photo's guide (evidence.js)
initCameras() // and its live camera view, where the browser offers one

// The offline tablet (sw.js): keeps the blank paper forms and shows "no connection: print a
// paper form, or try again" when the server cannot be reached. It never keeps pages or answers.
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(() => navigator.serviceWorker.ready)
    .then(registration => registration.active && registration.active.postMessage('assist:refresh-offline'))
    .catch(() => {})
}
