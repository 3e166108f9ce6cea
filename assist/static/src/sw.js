// assist's service worker: when a venue tablet loses its connection, the helper can still
// print a blank paper form.
//
// - Keeps the app shell (stylesheet, scripts, the offline page) and each form's blank paper
//   PDFs for the venue's languages, as listed by /offline/manifest.json.
// - Pages are always fetched from the server and never kept: they can show a resident's
//   answers. When the server cannot be reached, the offline page is shown instead.
// - Only addresses in the manifest are ever put in the cache: nothing that contains answers.
//   POSTs and everything else go straight to the network.
/* eslint-env serviceworker */
const CACHE = 'assist-offline-v1'
const MANIFEST = '/offline/manifest.json'
const OFFLINE = '/offline'
const REFRESH_MS = 10 * 60 * 1000
let lastRefresh = 0
let refreshing = null

function isPaper (url) {
  return url.origin === self.location.origin && /^\/print\/forms\/[a-z0-9-]+\/paper-form\.pdf$/.test(url.pathname)
}

function isShell (url) {
  return url.origin === self.location.origin && (url.pathname.startsWith('/assets/') || url.pathname === OFFLINE)
}

async function keep (cache, url, options) {
  const response = await fetch(url, { cache: 'no-store', ...options })
  if (!response.ok) throw new Error(`${url}: ${response.status}`)
  await cache.put(url, response)
}

// Fetch the manifest and keep what it lists. The offline page is fetched without cookies, so it
// is the page anyone would see. Papers already kept are not fetched again unless the version changed.
async function refresh (force) {
  if (refreshing) return refreshing
  if (!force && Date.now() - lastRefresh < REFRESH_MS) return
  refreshing = (async () => {
    const response = await fetch(MANIFEST, { cache: 'no-store', credentials: 'same-origin' })
    if (!response.ok) throw new Error(`${MANIFEST}: ${response.status}`)
    const manifest = await response.json()
    const cache = await caches.open(CACHE)
    const versioned = await cache.match('/offline/version')
    const known = versioned ? await versioned.text() : ''
    const changed = known !== manifest.version
    await Promise.all(manifest.shell.map(url => keep(cache, url, { credentials: url === OFFLINE ? 'omit' : 'same-origin' })))
    const wanted = new Set([...manifest.shell, ...manifest.papers].map(u => new URL(u, self.location).href))
    for (const request of await cache.keys()) {
      const url = new URL(request.url)
      if (url.pathname !== '/offline/version' && !wanted.has(url.href)) await cache.delete(request)
    }
    // One at a time: gentle on a venue's slow connection and on the server that makes them.
    for (const url of manifest.papers) {
      if (!changed && await cache.match(url)) continue
      try {
        await keep(cache, url, { credentials: 'omit' })
      } catch (error) { /* kept next time */ }
    }
    await cache.put('/offline/version', new Response(manifest.version))
    lastRefresh = Date.now()
  })()
  try {
    await refreshing
  } finally {
    refreshing = null
  }
}

self.addEventListener('install', event => {
  event.waitUntil(refresh(true).catch(() => {}).then(() => self.skipWaiting()))
})

self.addEventListener('activate', event => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('assist-') && name !== CACHE) await caches.delete(name)
    }
    await self.clients.claim()
  })())
})

// A page loaded: check the manifest now and then (the venue or the forms may have changed).
self.addEventListener('message', event => {
  if (event.data === 'assist:refresh-offline') event.waitUntil(refresh(false).catch(() => {}))
})

self.addEventListener('fetch', event => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (request.mode === 'navigate' && !isPaper(url)) {
    // Never cached: the server's answer, or the offline page when there is none.
    event.respondWith(fetch(request).catch(async () => {
      const offline = await caches.match(OFFLINE, { cacheName: CACHE })
      return offline || new Response('No connection: print a paper form, or try again.', {
        status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' }
      })
    }))
    return
  }
  if (isPaper(url)) {
    // A blank paper form: the same for everyone. From the server when it answers, else as kept.
    event.respondWith(fetch(request).catch(async () => {
      const kept = await caches.match(url.pathname + url.search, { cacheName: CACHE })
      return kept || new Response('This paper form is not kept on this tablet.', {
        status: 503, headers: { 'Content-Type': 'text/plain; charset=utf-8' }
      })
    }))
    return
  }
  if (isShell(url)) {
    event.respondWith(fetch(request).catch(async () => {
      const kept = await caches.match(url.pathname + url.search, { cacheName: CACHE })
      return kept || Response.error()
    }))
  }
})
