/**
 * Sends a document's version as a download, for the page and the API alike: always an attachment,
 * never rendered (nosniff, a sandboxing Content-Security-Policy, HTML/SVG/XML as octet-stream),
 * not cached, streamed chunk by chunk from the database.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Request, Response } from 'express'
import { DocumentUnavailable, type DocumentDownload } from '../../../services/records/documents.ts'
import { sendProblem } from '../../common/problem.ts'

/**
 * Opens the download and sends it; a version that may not be downloaded (quarantined, or waiting
 * for its scan) is a 410 Gone saying why, on a page or as a problem document.
 */
export async function sendDocument(req: Request, res: Response, open: () => Promise<DocumentDownload>, backTo?: { href: string; text: string }): Promise<void> {
  let download: DocumentDownload
  try {
    download = await open()
  } catch (err) {
    if (!(err instanceof DocumentUnavailable)) throw err
    if (req.originalUrl.startsWith('/api/')) return sendProblem(res, 410, 'Gone', { detail: err.message })
    const back = backTo ?? (req.params.id ? { href: `/cases/${req.params.id}/documents`, text: 'Back to the documents' } : { href: '/shared-documents', text: 'Documents shared with your agency' })
    return void res.status(410).render('documents/unavailable.njk', { message: err.message, back })
  }
  res.attachment(download.fileName)
  res.setHeader('Content-Type', download.contentType)
  res.setHeader('Content-Length', String(download.sizeBytes))
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox")
  res.setHeader('Cache-Control', 'private, no-store')
  res.setHeader('Digest', `sha-256=${Buffer.from(download.sha256, 'hex').toString('base64')}`)
  res.status(200)
  await pipeline(Readable.from(download.chunks()), res)
}
