/**
 * Posting letters: one interface, GOV.UK Notify's letter API for real use (a precompiled PDF:
 * POST /v2/notifications/letter with the reference, the PDF in base64 and the postage), and a local
 * double (the default, and the tests') that checks the PDF as Notify would before printing it (a
 * PDF, A4 pages, at most 10 pages, the address in the envelope window) and logs the reference and
 * page count only, never the address or the words.
 */
import { randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import { createRequire } from 'node:module'
import { ADDRESS_MIN_LINES, LETTER_PAGE, mm } from '../../domain/records/letters.ts'

export interface PostedLetter {
  /** The provider's id of the letter. */
  id: string
}

export interface LetterPost {
  readonly name: string
  /** Posts the PDF; `reference` is Together's (the letter's idempotency key), so a letter is traced back and never posted twice by Notify. */
  send(letter: { reference: string; pdf: Buffer; postage: 'first' | 'second' }): Promise<PostedLetter>
}

/** Why a PDF would not be printed, as GOV.UK Notify would say it. */
export class LetterRejected extends Error {}

/** The pages' sizes in points, and the text in the address window of the first page, read with pdf.js. */
export async function readLetterPdf(pdf: Buffer): Promise<{ pages: { width: number; height: number }[]; addressText: string[] }> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await pdfjs.getDocument({ data: new Uint8Array(pdf), disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise
  try {
    const pages: { width: number; height: number }[] = []
    let addressText: string[] = []
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      const [x0, y0, x1, y1] = page.view as [number, number, number, number]
      pages.push({ width: x1 - x0, height: y1 - y0 })
      if (n === 1) {
        const a = LETTER_PAGE.address
        const top = y1 - mm(a.top)
        const bottom = y1 - mm(a.bottom)
        const items = (await page.getTextContent()).items as { str: string; transform: number[] }[]
        // The text inside the window, as lines (pieces on one baseline joined, top to bottom).
        const lines = new Map<number, string>()
        for (const i of items) {
          const [x, y] = [i.transform[4]!, i.transform[5]!]
          if (i.str === '' || x < mm(a.left) - 1 || x > mm(a.right) || y > top || y < bottom) continue
          const key = Math.round(y)
          lines.set(key, (lines.get(key) ?? '') + i.str)
        }
        addressText = [...lines.entries()]
          .sort((p, q) => q[0] - p[0])
          .map(([, text]) => text.trim())
          .filter((text) => text !== '')
      }
    }
    return { pages, addressText }
  } finally {
    await doc.destroy()
  }
}

const A4 = { width: mm(LETTER_PAGE.widthMm), height: mm(LETTER_PAGE.heightMm) }
export const NOTIFY_MAX_PAGES = 10

/** Checks a precompiled letter as GOV.UK Notify does before it prints one; answers the page count. */
export async function checkPrecompiledLetter(pdf: Buffer): Promise<number> {
  if (pdf.subarray(0, 5).toString('latin1') !== '%PDF-') throw new LetterRejected('The file is not a PDF')
  let read: Awaited<ReturnType<typeof readLetterPdf>>
  try {
    read = await readLetterPdf(pdf)
  } catch {
    throw new LetterRejected('The PDF cannot be read')
  }
  if (read.pages.length === 0) throw new LetterRejected('The PDF has no pages')
  if (read.pages.length > NOTIFY_MAX_PAGES) throw new LetterRejected(`Letters must be ${NOTIFY_MAX_PAGES} pages or fewer; this one has ${read.pages.length}`)
  read.pages.forEach((p, i) => {
    if (Math.abs(p.width - A4.width) > 1 || Math.abs(p.height - A4.height) > 1) throw new LetterRejected(`Page ${i + 1} is not A4 portrait`)
  })
  if (read.addressText.length < ADDRESS_MIN_LINES) throw new LetterRejected(`The address must be in the address area with at least ${ADDRESS_MIN_LINES} lines; found ${read.addressText.length}`)
  return read.pages.length
}

/** Development and tests: checks the PDF as Notify would, then logs the reference and page count. */
export class LocalLetterPost implements LetterPost {
  readonly name = 'local'
  /** What was "posted" (reference and page count only), for tests to read. */
  readonly posted: { reference: string; pageCount: number; postage: string }[] = []
  /** Set by a test to make the next sends fail, as an unreachable provider would. */
  failNext = 0

  constructor(private readonly logger: Pick<Logger, 'info'>) {}

  async send(letter: { reference: string; pdf: Buffer; postage: 'first' | 'second' }): Promise<PostedLetter> {
    if (this.failNext > 0) {
      this.failNext--
      throw new Error('The letter service could not be reached (local double told to fail)')
    }
    const pageCount = await checkPrecompiledLetter(letter.pdf)
    const existing = this.posted.find((p) => p.reference === letter.reference)
    if (!existing) this.posted.push({ reference: letter.reference, pageCount, postage: letter.postage })
    this.logger.info({ letterReference: letter.reference, pageCount }, 'letter not posted (local letter service)')
    return { id: `local-${randomUUID()}` }
  }
}

/** The part of the Notify client used, so tests can give a fake one. */
export interface NotifyLetterClient {
  sendPrecompiledLetter(reference: string, pdf: Buffer, postage?: string): Promise<{ data?: { id?: string } }>
}

export class NotifyLetterPost implements LetterPost {
  readonly name = 'notify'
  private readonly client: NotifyLetterClient

  constructor(options: { apiKey: string }, client?: NotifyLetterClient) {
    this.client = client ?? (new (createRequire(import.meta.url)('notifications-node-client') as typeof import('notifications-node-client')).NotifyClient(options.apiKey) as unknown as NotifyLetterClient)
  }

  async send(letter: { reference: string; pdf: Buffer; postage: 'first' | 'second' }): Promise<PostedLetter> {
    try {
      const answer = await this.client.sendPrecompiledLetter(letter.reference, letter.pdf, letter.postage)
      return { id: answer.data?.id ?? '' }
    } catch (err) {
      // Notify answers 400 with its errors for a letter it will not print; say what it said, no more.
      const errors = (err as { response?: { data?: { errors?: { message?: string }[] } } }).response?.data?.errors
      if (errors?.length) throw new LetterRejected(errors.map((e) => e.message).join('; '))
      throw new Error('GOV.UK Notify could not be reached', { cause: err })
    }
  }
}

/** GOV.UK Notify when an API key is configured (TOGETHER_NOTIFY_API_KEY), otherwise the local double. */
export function letterPostFor(settings: { notifyApiKey: string | undefined }, logger: Pick<Logger, 'info'>): LetterPost {
  if (settings.notifyApiKey) return new NotifyLetterPost({ apiKey: settings.notifyApiKey })
  return new LocalLetterPost(logger)
}
