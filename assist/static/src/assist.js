// assist's only script: start GOV.UK Frontend's components (error summary focus,
// character counts, conditional reveals, skip link...). Served as a file,
// never inline, so the Content-Security-Policy can forbid inline scripts.
import { initAll } from './govuk-frontend.min.js'

initAll()
