// Build assist's front end: assist/static/src -> assist/static/dist.
//
//   node scripts/build_assets.mjs      (or: npm run build, make assets)
//
// - compiles assist/static/src/assist.scss (GOV.UK Frontend from node_modules) to
//   dist/assist.css, compressed, with the council's brand colour read from the
//   config file ($ASSIST_CONFIG, else ./config.toml): council.brand_colour;
// - copies GOV.UK Frontend's ES module (govuk-frontend.min.js) and our assist.js;
// - writes a plain favicon in the brand colour (the GOV.UK crown is for GOV.UK only).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import * as sass from 'sass'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const src = join(root, 'assist', 'static', 'src')
const dist = join(root, 'assist', 'static', 'dist')
const govuk = join(root, 'node_modules', 'govuk-frontend', 'dist', 'govuk')
const signaturePad = join(root, 'node_modules', 'signature_pad', 'dist', 'signature_pad.min.js')
const configPath = resolve(process.env.ASSIST_CONFIG || join(root, 'config.toml'))
const DEFAULT_BRAND = '#1d70b8'

/** council.brand_colour from the config file: a tiny TOML reader for one string key. */
export function brandColour (text, file = 'config.toml') {
  let section = ''
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim()
    const header = line.match(/^\[\s*([A-Za-z0-9_.-]+)\s*\]$/)
    if (header) { section = header[1]; continue }
    if (line.startsWith('[[')) { section = ''; continue }
    const entry = line.match(/^brand_colour\s*=\s*["']([^"']*)["']$/)
    if (section === 'council' && entry) {
      const colour = entry[1].toLowerCase()
      if (!/^#[0-9a-f]{6}$/.test(colour)) {
        throw new Error(`${file}: council.brand_colour: expected a colour like "#1d70b8", got "${entry[1]}"`)
      }
      return colour
    }
  }
  return DEFAULT_BRAND
}

function readBrand () {
  try {
    return brandColour(readFileSync(configPath, 'utf8'), configPath)
  } catch (error) {
    if (error.code === 'ENOENT') return DEFAULT_BRAND
    throw error
  }
}

// A 32x32 ICO (uncompressed 32-bit BMP inside): a rounded square in the brand colour.
function favicon (hex) {
  const size = 32
  const [r, g, b] = [1, 3, 5].map(i => parseInt(hex.slice(i, i + 2), 16))
  const pixels = Buffer.alloc(size * size * 4)
  const mask = Buffer.alloc(size * 4) // 1 bit per pixel, rows padded to 4 bytes: all opaque
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const dx = Math.max(0, Math.abs(x - 15.5) - 11)
      const dy = Math.max(0, Math.abs(y - 15.5) - 11)
      const inside = dx * dx + dy * dy <= 20
      const i = ((size - 1 - y) * size + x) * 4 // bottom-up rows, BGRA
      pixels.set(inside ? [b, g, r, 255] : [0, 0, 0, 0], i)
    }
  }
  const info = Buffer.alloc(40)
  info.writeUInt32LE(40, 0)
  info.writeInt32LE(size, 4)
  info.writeInt32LE(size * 2, 8) // XOR + AND masks
  info.writeUInt16LE(1, 12)
  info.writeUInt16LE(32, 14)
  info.writeUInt32LE(pixels.length + mask.length, 20)
  const image = Buffer.concat([info, pixels, mask])
  const header = Buffer.alloc(6 + 16)
  header.writeUInt16LE(1, 2) // type: icon
  header.writeUInt16LE(1, 4) // one image
  header.writeUInt8(size, 6)
  header.writeUInt8(size, 7)
  header.writeUInt16LE(1, 10)
  header.writeUInt16LE(32, 12)
  header.writeUInt32LE(image.length, 14)
  header.writeUInt32LE(22, 18)
  return Buffer.concat([header, image])
}

function faviconSvg (hex) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect x="2" y="2" width="28" height="28" rx="5" fill="${hex}"/></svg>\n`
}

function build () {
  const brand = readBrand()
  // "assist:brand" is generated here, so the colour never has to be written into a source file.
  const brandImporter = {
    canonicalize (url) { return url === 'assist:brand' ? new URL('assist:brand') : null },
    load () { return { contents: `$colour: ${brand};\n`, syntax: 'scss' } }
  }
  const result = sass.compile(join(src, 'assist.scss'), {
    style: 'compressed',
    sourceMap: false,
    loadPaths: [src, join(root, 'node_modules')],
    importers: [brandImporter, new sass.NodePackageImporter(root)],
    quietDeps: true,
    silenceDeprecations: ['import']
  })
  if (/GDS Transport/.test(result.css)) {
    throw new Error('assist.css must not include the GDS Transport font')
  }

  rmSync(dist, { recursive: true, force: true })
  mkdirSync(join(dist, 'images'), { recursive: true })
  writeFileSync(join(dist, 'assist.css'), result.css + '\n')
  copyFileSync(join(govuk, 'govuk-frontend.min.js'), join(dist, 'govuk-frontend.min.js'))
  copyFileSync(join(src, 'assist.js'), join(dist, 'assist.js'))
  copyFileSync(join(src, 'kiosk.js'), join(dist, 'kiosk.js')) // imported by assist.js
  copyFileSync(join(src, 'evidence.js'), join(dist, 'evidence.js')) // imported by assist.js
  copyFileSync(join(src, 'paper.js'), join(dist, 'paper.js')) // "Enter a paper form": QR scanning
  copyFileSync(join(src, 'print.js'), join(dist, 'print.js')) // the resident's copy inside its print page
  copyFileSync(join(src, 'signature.js'), join(dist, 'signature.js')) // pages with a signature question
  copyFileSync(signaturePad, join(dist, 'signature_pad.min.js')) // imported by signature.js
  copyFileSync(join(src, 'sw.js'), join(dist, 'sw.js')) // the service worker, served at /sw.js
  writeFileSync(join(dist, 'images', 'favicon.ico'), favicon(brand))
  writeFileSync(join(dist, 'images', 'favicon.svg'), faviconSvg(brand))
  const kb = (Buffer.byteLength(result.css) / 1024).toFixed(1)
  console.log(`assist/static/dist: assist.css ${kb} KiB (brand colour ${brand}), assist.js, govuk-frontend.min.js, images/`)
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  build()
}
