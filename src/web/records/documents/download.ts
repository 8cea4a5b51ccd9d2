/**
 * Sends a document's version as a download, for the page and the API alike: always an attachment,
 * never rendered (nosniff, a sandboxing Content-Security-Policy, HTML/SVG/XML as octet-stream),
 * not cached, streamed chunk by chunk from the database.
 */
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { Response } from 'express'
import type { DocumentDownload } from '../../../services/records/documents.ts'

export async function sendDocument(res: Response, download: DocumentDownload): Promise<void> {
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
