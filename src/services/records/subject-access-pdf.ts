/**
 * The released subject access bundle as a PDF (pdfkit, A4, Arimo from @fontsource/arimo embedded):
 * the request, the people it is about, every released or redacted item's text (a withheld item is
 * named in the schedule only), the documents listed, and the schedule of what was withheld or
 * redacted and why. Statements of disagreement go with the item of their record.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { labelOf } from '../../domain/journey/dfe-codes.ts'
import { releasedText, SAR_EXEMPTION, SAR_ITEM_DECISION, SAR_REQUESTER_KIND } from '../../domain/records/subject-access.ts'

export interface BundlePdfInput {
  id: string
  requesterName: string
  requesterKind: string
  receivedOn: string
  completedOn: string
  approvedByName: string
  clock: { dueOn: string }
  people: { name: string }[]
  items: {
    seq: number
    source: string
    datedOn: string | null
    title: string
    text: string
    decision: string | null
    exemption: string | null
    exemptionDetail: string | null
    redactedText: string | null
    statements: string[]
  }[]
}

const require = createRequire(import.meta.url)
const fontDir = join(dirname(require.resolve('@fontsource/arimo/package.json')), 'files')
let fontData: { regular: Buffer; bold: Buffer } | null = null
const fonts = () => (fontData ??= { regular: readFileSync(join(fontDir, 'arimo-latin-400-normal.woff')), bold: readFileSync(join(fontDir, 'arimo-latin-700-normal.woff')) })

export function renderBundlePdf(input: BundlePdfInput): Promise<Buffer> {
  const PDFDocument = require('pdfkit') as typeof import('pdfkit')
  const doc = new PDFDocument({
    size: 'A4',
    margin: 56,
    info: { Title: 'Subject access bundle', Subject: 'Subject access bundle', Creator: 'Together', Producer: 'Together' },
    lang: 'en-GB',
    pdfVersion: '1.7',
  })
  doc.registerFont('regular', fonts().regular)
  doc.registerFont('bold', fonts().bold)
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })
  const heading = (text: string, size = 14) => doc.moveDown(0.5).font('bold').fontSize(size).text(text).moveDown(0.3)
  const para = (text: string, size = 10) => doc.font('regular').fontSize(size).text(text)

  heading('Subject access bundle', 18)
  para(`Requested by ${input.requesterName} (${labelOf(SAR_REQUESTER_KIND, input.requesterKind)}), received ${input.receivedOn}.`)
  para(`About: ${input.people.map((p) => p.name).join(', ')}.`)
  para(`Released ${input.completedOn} (due ${input.clock.dueOn}), approved by ${input.approvedByName}.`)
  para(`Reference: ${input.id}`)

  const released = input.items.filter((i) => i.decision !== 'withheld')
  heading('The information held')
  for (const item of released) {
    doc.moveDown(0.4).font('bold').fontSize(11).text(`${item.seq}. ${item.title}`)
    para(`${item.source}${item.datedOn ? `, ${item.datedOn}` : ''}${item.decision === 'redacted' ? ' (parts redacted: see the schedule)' : ''}`, 9)
    para(releasedText(item) ?? '')
    for (const s of item.statements) para(`The person disagrees with this record. Their statement: ${s}`)
  }

  const schedule = input.items.filter((i) => i.decision === 'withheld' || i.decision === 'redacted')
  heading('Schedule of information withheld or redacted, and why')
  if (schedule.length === 0) para('Nothing was withheld or redacted.')
  for (const item of schedule) {
    const exemption = item.exemption === 'other' ? `Other: ${item.exemptionDetail ?? ''}` : labelOf(SAR_EXEMPTION, item.exemption)
    para(`${item.seq}. ${item.source}${item.datedOn ? `, ${item.datedOn}` : ''}: ${labelOf(SAR_ITEM_DECISION, item.decision)}. Exemption: ${exemption}.`)
  }
  const documents = released.filter((i) => i.source === 'Document')
  heading('Documents provided with this bundle')
  if (documents.length === 0) para('None.')
  for (const d of documents) para(`${d.seq}. ${d.title}${d.datedOn ? ` (${d.datedOn})` : ''}`)
  doc.end()
  return done
}
