/**
 * A letter as a PDF (pdfkit), laid out as GOV.UK Notify requires of a precompiled letter: A4
 * portrait, the recipient's name and address in the envelope window (24.6–120 mm across, 40–66.2 mm
 * down), the sender and date to its right, the body from 95 mm down within the margins, and every
 * font embedded (Arimo, metric-compatible with Arial, from @fontsource/arimo: its Latin file, and
 * its Latin Extended file for the Welsh ŵ and ŷ). Continuation pages start 20 mm down.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { LETTER_PAGE, mm } from '../../domain/records/letters.ts'

export interface LetterPdfInput {
  /** Name first, 3 to 7 lines. */
  addressLines: readonly string[]
  /** The sender block: the authority, the team, the worker. */
  senderLines: readonly string[]
  /** "3 March 2026". */
  dateText: string
  title: string
  /** Paragraphs separated by blank lines; single line breaks kept. */
  body: string
  /** The PDF's metadata (no personal details: the kind of letter). */
  subject: string
}

interface FontFile {
  name: string
  data: Buffer
  /** Code point ranges the file has glyphs for. */
  ranges: [number, number][]
}

const require = createRequire(import.meta.url)
const fontDir = join(dirname(require.resolve('@fontsource/arimo/package.json')), 'files')

function rangesOf(spec: string): [number, number][] {
  return spec.split(',').map((part) => {
    const [from, to] = part.trim().replace(/^U\+/i, '').split('-')
    return [parseInt(from!, 16), parseInt(to ?? from!, 16)]
  })
}

let fonts: { regular: FontFile[]; bold: FontFile[] } | null = null

/** The Latin and Latin Extended files of Arimo, regular and bold, read once. */
function letterFonts() {
  if (fonts) return fonts
  const unicode = JSON.parse(readFileSync(join(fontDir, '..', 'unicode.json'), 'utf8')) as Record<string, string>
  const load = (weight: number): FontFile[] =>
    (['latin', 'latin-ext'] as const).map((subset) => ({
      name: `Arimo-${subset}-${weight}`,
      data: readFileSync(join(fontDir, `arimo-${subset}-${weight}-normal.woff`)),
      ranges: rangesOf(unicode[subset]!),
    }))
  fonts = { regular: load(400), bold: load(700) }
  return fonts
}

/** Splits text into runs each drawn with the first font file that has its characters. */
function runsOf(text: string, files: readonly FontFile[]): { font: string; text: string }[] {
  const runs: { font: string; text: string }[] = []
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    const file = files.find((f) => f.ranges.some(([a, b]) => cp >= a && cp <= b)) ?? files[0]!
    const last = runs.at(-1)
    if (last && last.font === file.name) last.text += ch
    else runs.push({ font: file.name, text: ch })
  }
  return runs
}

/** Makes the PDF; answers its bytes and page count. */
export async function letterPdf(input: LetterPdfInput, when: Date): Promise<{ pdf: Buffer; pageCount: number }> {
  const { regular, bold } = letterFonts()
  const P = LETTER_PAGE
  const PDFDocument = require('pdfkit') as typeof import('pdfkit')
  const doc = new PDFDocument({
    size: 'A4',
    autoFirstPage: false,
    margins: { top: mm(P.continuation.top), bottom: mm(P.heightMm - P.body.bottom), left: mm(P.body.left), right: mm(P.widthMm - P.body.right) },
    info: { Title: input.subject, Subject: input.subject, Creator: 'Together', Producer: 'Together', CreationDate: when, ModDate: when },
    pdfVersion: '1.7',
    lang: 'en-GB',
  })
  for (const f of [...regular, ...bold]) doc.registerFont(f.name, f.data)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  let pages = 0
  doc.on('pageAdded', () => pages++)
  doc.addPage()

  /** Writes lines at (x, y) within width, in runs of the fonts that have the characters. */
  const write = (text: string, files: readonly FontFile[], size: number, options: PDFKit.Mixins.TextOptions & { x?: number; y?: number } = {}) => {
    const runs = runsOf(text === '' ? ' ' : text, files)
    doc.fontSize(size)
    runs.forEach((run, i) => {
      doc.font(run.font)
      const more = i < runs.length - 1
      if (i === 0 && options.x !== undefined) doc.text(run.text, options.x, options.y, { ...options, continued: more })
      else doc.text(run.text, { ...options, continued: more })
    })
  }

  // The address in the window: 9 pt on 10 pt lines, so 7 lines fit its 26.2 mm.
  const a = P.address
  doc.lineGap(1)
  input.addressLines.forEach((line, i) =>
    write(line, regular, 9, { x: mm(a.left), y: mm(a.top) + 2 + i * 10, width: mm(a.right - a.left), lineBreak: false, height: 10, ellipsis: true }),
  )
  // The sender and the date, right of the window, above the body.
  const s = P.sender
  const senderWidth = mm(s.right - s.left)
  ;[...input.senderLines, '', input.dateText].forEach((line, i) =>
    write(line, regular, 9, { x: mm(s.left), y: mm(s.top) + i * 11, width: senderWidth, lineBreak: false, height: 11, ellipsis: true }),
  )
  // The title and the body, paragraph by paragraph; pdfkit adds continuation pages within the margins.
  const width = mm(P.body.right - P.body.left)
  doc.lineGap(3)
  write(input.title, bold, 13, { x: mm(P.body.left), y: mm(P.body.top), width })
  doc.moveDown(0.8)
  for (const paragraph of input.body.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    for (const line of paragraph.split('\n')) write(line.trimEnd(), regular, 11, { width, align: 'left' })
    doc.moveDown(0.6)
  }
  doc.end()
  const pdf = await done
  return { pdf, pageCount: pages }
}
