/**
 * Documents on a case (issue 18 §1): the kinds a partnership files them under, the size each kind
 * takes, and which types of file are taken, decided from the content (the name only tells apart
 * formats that share a container: Word 97 and Outlook's .msg are both compound files). No I/O here:
 * services/records/documents.ts reads the file and asks these questions.
 */
import { labelOf, type Code } from '../journey/dfe-codes.ts'
import { ASSESSMENT_KIND, CONFERENCE_KIND } from '../journey/codes.ts'
import { londonDate } from '../timescales/calendar/london-time.ts'

/** What a document is; the partnership's list starts as this one. */
export const DOCUMENT_KIND = [
  { code: 'report-from-partner', label: 'Report from a partner agency' },
  { code: 'court-paper', label: 'Court paper' },
  { code: 'photograph', label: 'Photograph' },
  { code: 'signed-agreement', label: 'Signed agreement' },
  { code: 'letter', label: 'Letter' },
  { code: 'other', label: 'Other' },
] as const satisfies readonly Code[]

export type DocumentKind = (typeof DOCUMENT_KIND)[number]['code']

const MB = 1024 * 1024

/** The largest file any kind takes (what an upload route reads before it knows the kind). */
export const DOCUMENT_MAX_BYTES = 50 * MB

/** The largest file of each kind. */
export const DOCUMENT_KIND_MAX_BYTES: Record<DocumentKind, number> = {
  'report-from-partner': 50 * MB,
  'court-paper': 50 * MB,
  photograph: 25 * MB,
  'signed-agreement': 50 * MB,
  letter: 50 * MB,
  other: 50 * MB,
}

/** Kinds code depends on (letters are kept as 'letter', body map photographs as 'photograph'): never retired. */
export const FIXED_DOCUMENT_KINDS: ReadonlySet<string> = new Set(['letter', 'photograph'])

/** A kind of document as a partnership has it: the built-in list until it changes it. */
export interface DocumentKindEntry {
  code: string
  label: string
  maxBytes: number
  active: boolean
}

/** The built-in list, every kind in use: what a partnership starts with. */
export const DEFAULT_DOCUMENT_KINDS: readonly DocumentKindEntry[] = DOCUMENT_KIND.map((k) => ({
  code: k.code,
  label: k.label,
  maxBytes: DOCUMENT_KIND_MAX_BYTES[k.code],
  active: true,
}))

/** The code a new kind is stored under, from its label: 'School report' → 'school-report'. */
export function documentKindCode(label: string): string {
  const code = label
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '')
  // 'new' is the path of the page that adds a kind.
  return !code ? 'kind' : code === 'new' ? 'new-kind' : code
}

/** The label of a kind's code in a partnership's list; the built-in label, else the code, when it has none. */
export function documentKindLabel(kinds: readonly DocumentKindEntry[], code: string | null): string {
  if (!code) return ''
  return kinds.find((k) => k.code === code)?.label ?? labelOf(DOCUMENT_KIND, code)
}

/** The records of a case a document may be about, with the revision log's name for each (record_revision.entity). */
export const DOCUMENT_RECORD_KIND = [
  { code: 'referral', label: 'Referral', entity: 'cin-episode' },
  { code: 'assessment', label: 'Assessment', entity: 'assessment' },
  { code: 'strategy-discussion', label: 'Strategy discussion', entity: 'strategy-discussion' },
  { code: 'section-47', label: 'Section 47 enquiry', entity: 'section47' },
  { code: 'conference', label: 'Child protection conference', entity: 'conference' },
] as const satisfies readonly (Code & { entity: string })[]

export type DocumentRecordKind = (typeof DOCUMENT_RECORD_KIND)[number]['code']

const recordDateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' })
const dayOf = (v: unknown): string | null => (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : null)
const longDay = (day: string | null) => (day ? ` ${recordDateFormat.format(new Date(`${day}T00:00:00Z`))}` : '')

/**
 * A record of the case in words, from its fields (a row, or a revision's data: the same camelCase
 * keys): 'Child and family (single) assessment started 3 May 2026', 'Initial child protection
 * conference 12 June 2026'. What the upload form offers, and what a document's list and
 * chronology entry say it is about.
 */
export function documentRecordText(kind: string, f: Readonly<Record<string, unknown>>): string {
  const text = (key: string) => (typeof f[key] === 'string' ? (f[key] as string) : null)
  switch (kind) {
    case 'referral':
      return `Referral received${longDay(dayOf(f.referralDate))}`
    case 'assessment':
      return `${labelOf(ASSESSMENT_KIND, text('kind'))} started${longDay(dayOf(f.startedOn))}`
    case 'strategy-discussion': {
      const held = f.heldAt instanceof Date || typeof f.heldAt === 'string' ? londonDate(f.heldAt) : null
      return `Strategy discussion held${longDay(held)}`
    }
    case 'section-47':
      return `Section 47 enquiry started${longDay(dayOf(f.startedOn))}`
    case 'conference':
      return `${labelOf(CONFERENCE_KIND, text('kind'))}${longDay(dayOf(f.heldOn) ?? dayOf(f.scheduledFor))}`
    default:
      return 'A record of the case'
  }
}

/** How many files one upload takes. */
export const DOCUMENT_MAX_FILES = 10

/** The chunk size a version's bytes are stored in (document_chunk rows). */
export const DOCUMENT_CHUNK_BYTES = 256 * 1024

/** '52 MB', '256 KB', '3 bytes'. */
export function sizeText(bytes: number): string {
  if (bytes >= MB) return `${Math.round((bytes / MB) * 10) / 10} MB`
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`
  return `${bytes} byte${bytes === 1 ? '' : 's'}`
}

/** The types taken, by media type, with words for them. */
export const DOCUMENT_MEDIA_TYPES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'image/heic': 'HEIC image',
  'image/heif': 'HEIF image',
  'image/tiff': 'TIFF image',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel spreadsheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
  'application/msword': 'Word 97–2003 document',
  'application/vnd.ms-excel': 'Excel 97–2003 spreadsheet',
  'application/vnd.ms-outlook': 'Outlook e-mail',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/rtf': 'Rich text document',
  'message/rfc822': 'E-mail',
  'text/plain': 'Plain text',
}

/** What the content says about itself: file-type's answer (null when it knows none), and for text, its start. */
export interface SniffedContent {
  /** The media type file-type detected, or null. */
  detected: string | null
  /** Whether the whole file is valid UTF-8 text (asked only when nothing was detected). */
  utf8Text: boolean
  /** The first characters of a text file, to tell markup and e-mail from plain text. */
  textStart: string
}

export type MediaTypeDecision = { ok: true; mediaType: string } | { ok: false; reason: string }

const TAKEN = 'Upload a PDF, an image (PNG, JPEG, GIF, WebP, HEIC or TIFF), an Office or OpenDocument file, an e-mail (.eml or .msg) or plain text'

const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? ''

/**
 * The media type a file is stored as, from its content: what file-type detects when it is a type
 * taken; a compound file (Word 97, Excel 97, Outlook) told apart by its name; text as an e-mail when
 * it starts with mail headers and is named .eml, otherwise plain text — unless it is markup (HTML,
 * SVG, XML), which is refused whatever its name. Anything else is refused.
 */
export function decideMediaType(fileName: string, content: SniffedContent): MediaTypeDecision {
  const ext = extensionOf(fileName)
  const refused = (what: string): MediaTypeDecision => ({ ok: false, reason: `${fileName} is ${what}, which cannot be uploaded. ${TAKEN}.` })
  if (content.detected) {
    if (content.detected === 'application/x-cfb') {
      const byName: Record<string, string> = { doc: 'application/msword', xls: 'application/vnd.ms-excel', msg: 'application/vnd.ms-outlook' }
      const mediaType = byName[ext]
      return mediaType ? { ok: true, mediaType } : refused('an Office compound file of a kind not taken (name it .doc, .xls or .msg if it is one)')
    }
    if (content.detected in DOCUMENT_MEDIA_TYPES) return { ok: true, mediaType: content.detected }
    return refused(`a file of type ${content.detected}`)
  }
  if (!content.utf8Text) return refused('not a type Together recognises')
  const start = content.textStart.replace(/^\uFEFF/, '').trimStart().slice(0, 512).toLowerCase()
  if (start.startsWith('<') || /<(script|html|svg|iframe)\b/.test(start)) return refused('a web page or markup (HTML, SVG or XML)')
  if (ext === 'eml' && /^[a-z-]+:/.test(start)) return { ok: true, mediaType: 'message/rfc822' }
  return { ok: true, mediaType: 'text/plain' }
}

/**
 * The Content-Type a stored version is served with: its own when it is a type taken and not one a
 * browser renders as a page; anything else (HTML, SVG, XML, unknown) as application/octet-stream.
 */
export function servedMediaType(mediaType: string): string {
  if (!(mediaType in DOCUMENT_MEDIA_TYPES) || /html|svg|xml/i.test(mediaType)) return 'application/octet-stream'
  return mediaType === 'text/plain' ? 'text/plain; charset=utf-8' : mediaType
}
