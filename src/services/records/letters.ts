/**
 * Letters on a case (issue 18 §2). A worker picks a template, the record it is about (a conference
 * for an invitation or an outcome, a contact for a referrer's feedback) and the recipient (a person
 * of the child's family network with an address, a referrer, or someone typed in); Together merges
 * the fields from the record; the worker edits the words for this family and makes the PDF, which
 * is kept as a document of the case (kind 'letter') with the letter's own record (on the
 * chronology through its revisions). The letter is then printed (recorded as printed) or posted
 * through GOV.UK Notify (or its local double), once per click: the form's idempotency key claims
 * the post. A letter sent or printed goes on the information sharing ledger with its lawful basis.
 * Every read is a read of the case (policy and audit through the case gateway).
 */
import { and, asc, desc, eq, inArray, isNull, ne } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import { appUser, conference, documentVersion, contact, contactChild, letter, partnership, person, personRelationship, team } from '../../db/schema/index.ts'
import { labelOf } from '../../domain/journey/dfe-codes.ts'
import { CONFERENCE_KIND, RELATIONSHIP_KIND } from '../../domain/journey/codes.ts'
import {
  addressAsLines,
  addressLines,
  addressProblem,
  LETTER_KIND,
  LETTER_KIND_RECORD,
  LETTER_STATUS,
  letterDate,
  letterTime,
  mergeLetter,
  namesList,
  placeholdersOf,
  type LetterKind,
  type LetterLanguage,
  type MergeValues,
} from '../../domain/records/letters.ts'
import { londonDate } from '../../domain/timescales/calendar/london-time.ts'
import { audit } from '../access/audit.ts'
import { EditConflict, NotFound, ValidationFailed, type ServiceContext } from '../common/context.ts'
import { caseFrame, type CaseFrame } from '../journey/case-notes.ts'
import { createRecord, getRecord, recordRevisionOf, showCase, withCase, type OpenCase } from '../journey/case-records.ts'
import { recordAutomaticShare, sharedBy } from '../multi-agency/information-sharing.ts'
import { letterPdf } from './letter-pdf.ts'
import { LetterRejected, type LetterPost } from './letter-post.ts'
import { letterTemplateOf, letterTemplates, type LetterTemplateView } from './letter-templates.ts'
import { storeMadeDocument } from './letters-storage.ts'
import { bytesOf, removingObjectsOnFailure } from './document-store.ts'
import type { LetterChoice, LetterProduce, LetterSend } from './letters-input.ts'

export type LetterRow = typeof letter.$inferSelect

const ENTITY = 'letter'
const SECTION = 'letters'

export interface LetterView extends LetterRow {
  kindLabel: string
  statusLabel: string
  producedByName: string
  /** Where the PDF is downloaded (the document's version). */
  pdfLink: string
}

/** A record a letter may be about, as a choice. */
export interface AboutChoice {
  id: string
  type: 'conference' | 'contact'
  text: string
}

/** Someone a letter may be sent to, as a choice. */
export interface RecipientChoice {
  value: string
  text: string
  hasAddress: boolean
}

export interface LetterChoices {
  c: CaseFrame
  templates: LetterTemplateView[]
  conferences: AboutChoice[]
  contacts: AboutChoice[]
  recipients: RecipientChoice[]
}

export interface LetterDraft {
  template: LetterTemplateView
  title: string
  body: string
  /** The name and address, one line each. */
  address: string
  /** Placeholders with nothing recorded to fill them: the worker writes them in. */
  unfilled: string[]
}

const viewOf = (r: LetterRow, names: Map<string, string>): LetterView => ({
  ...r,
  kindLabel: labelOf(LETTER_KIND, r.kind),
  statusLabel: labelOf(LETTER_STATUS, r.status),
  producedByName: names.get(r.producedBy) ?? '',
  pdfLink: `/cases/${r.caseId}/documents/${r.documentId}/versions/${r.documentVersionId}`,
})

async function viewsOf(db: Db, rows: LetterRow[]): Promise<LetterView[]> {
  if (rows.length === 0) return []
  const users = await db.select({ id: appUser.id, name: appUser.displayName }).from(appUser).where(inArray(appUser.id, [...new Set(rows.map((r) => r.producedBy))]))
  const names = new Map(users.map((u) => [u.id, u.name]))
  return rows.map((r) => viewOf(r, names))
}

/** The letters of a case, newest first (a read of the case, audited). */
export function lettersOfCase(ctx: ServiceContext, caseId: string): Promise<{ c: CaseFrame; letters: LetterView[] }> {
  return withCase(ctx, caseId, 'case:read', async (db, open) => {
    const rows = await db.select().from(letter).where(eq(letter.caseId, open.c.id)).orderBy(desc(letter.createdAt), desc(letter.id))
    return { c: await caseFrame(ctx, db, open), letters: await viewsOf(db, rows) }
  }, SECTION)
}

/** One letter of a case (a read of the case, audited). */
export function letterOfCase(ctx: ServiceContext, caseId: string, letterId: string): Promise<{ c: CaseFrame; letter: LetterView }> {
  return withCase(ctx, caseId, 'case:read', async (db, open) => {
    const row = await getRecord<LetterRow>(db, open, letter, letterId)
    return { c: await caseFrame(ctx, db, open), letter: (await viewsOf(db, [row]))[0]! }
  }, SECTION)
}

/** The people of the child's family network (relationships not ended), with their addresses. */
async function familyOf(db: Db, personId: string) {
  return db
    .select({
      id: person.id,
      givenName: person.givenName,
      familyName: person.familyName,
      address: person.address,
      postcode: person.postcode,
      kind: personRelationship.kind,
      parentalResponsibility: personRelationship.parentalResponsibility,
    })
    .from(personRelationship)
    .innerJoin(person, eq(person.id, personRelationship.relatedPersonId))
    .where(and(eq(personRelationship.personId, personId), isNull(personRelationship.endedOn)))
    .orderBy(desc(personRelationship.parentalResponsibility), asc(person.familyName), asc(person.givenName), asc(person.id))
}

async function contactsOf(db: Db, caseId: string) {
  return db
    .select({ id: contact.id, receivedAt: contact.receivedAt, referrerName: contact.referrerName, referrerRole: contact.referrerRole })
    .from(contactChild)
    .innerJoin(contact, eq(contact.id, contactChild.contactId))
    .where(eq(contactChild.caseId, caseId))
    .orderBy(desc(contact.receivedAt), desc(contact.id))
}

async function conferencesOf(db: Db, caseId: string) {
  return db.select().from(conference).where(eq(conference.caseId, caseId)).orderBy(desc(conference.scheduledFor), desc(conference.id))
}

const fullName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`

async function choicesOn(ctx: ServiceContext, db: Db, open: OpenCase): Promise<LetterChoices> {
  const [templates, conferences, contacts, family] = await Promise.all([
    letterTemplates(ctx, { activeOnly: true }),
    conferencesOf(db, open.c.id),
    contactsOf(db, open.c.id),
    familyOf(db, open.c.personId),
  ])
  return {
    c: await caseFrame(ctx, db, open),
    templates,
    conferences: conferences.map((x) => ({
      id: x.id,
      type: 'conference',
      text: `${labelOf(CONFERENCE_KIND, x.kind)}, ${letterDate(x.scheduledFor, 'en')}${x.scheduledTime ? ` at ${letterTime(x.scheduledTime)}` : ''}`,
    })),
    contacts: contacts.map((x) => ({ id: x.id, type: 'contact', text: `Contact of ${letterDate(londonDate(x.receivedAt), 'en', false)} from ${x.referrerName}` })),
    recipients: [
      ...family.map((p) => ({
        value: `person:${p.id}`,
        text: `${fullName(p)} (${labelOf(RELATIONSHIP_KIND, p.kind).toLowerCase()})${p.address ? '' : ': no address recorded'}`,
        hasAddress: Boolean(p.address),
      })),
      ...contacts.map((x) => ({ value: `referrer:${x.id}`, text: `${x.referrerName} (referrer${x.referrerRole ? `, ${x.referrerRole}` : ''})`, hasAddress: false })),
      { value: 'other', text: 'Someone else (type the name and address)', hasAddress: false },
    ],
  }
}

/** What the worker chooses from to write a letter on the case (a read of the case, audited; refused to those who may not change it). */
export function letterChoices(ctx: ServiceContext, caseId: string): Promise<LetterChoices> {
  return showCase(ctx, caseId, 'case:update', (db, open) => choicesOn(ctx, db, open), SECTION)
}

interface Resolved {
  template: LetterTemplateView
  values: MergeValues
  recipientName: string
  recipientPersonId: string | null
  recipientKind: 'family' | 'referrer' | 'other'
  address: string[]
  aboutType: 'conference' | 'contact' | null
  aboutId: string | null
}

/** Reads what the letter's fields are filled with, checking each choice belongs to the case. */
async function resolve(ctx: ServiceContext, db: Db, open: OpenCase, choice: LetterChoice): Promise<Resolved> {
  const template = await letterTemplateOf(ctx, choice.templateId, db).catch((err) => {
    if (err instanceof NotFound) throw new ValidationFailed({ templateId: 'Select a template' })
    throw err
  })
  const language = template.language as LetterLanguage
  const aboutType = LETTER_KIND_RECORD[template.kind as LetterKind] ?? null
  const values: MergeValues = {
    'child name': fullName(open.c),
    'child first name': open.c.givenName,
    'family name': open.c.familyName,
    today: letterDate(londonDate(ctx.now()), language, false),
  }
  const [p] = await db.select({ name: partnership.name }).from(partnership).where(eq(partnership.id, ctx.actor.partnershipId))
  values['authority name'] = p?.name ?? null
  values['worker name'] = open.c.allocatedWorkerName ?? ctx.actor.displayName
  let teamName = open.c.teamName
  if (!teamName && ctx.actor.teamId) teamName = (await db.select({ name: team.name }).from(team).where(eq(team.id, ctx.actor.teamId)))[0]?.name ?? null
  values['team name'] = teamName ?? null
  const family = await familyOf(db, open.c.personId)
  values['parent names'] = namesList(family.filter((f) => f.parentalResponsibility).map(fullName)) || null

  let aboutId: string | null = null
  if (aboutType === 'conference') {
    if (!choice.aboutId) throw new ValidationFailed({ aboutId: 'Select the conference the letter is about' })
    const [x] = await db.select().from(conference).where(and(eq(conference.id, choice.aboutId), eq(conference.caseId, open.c.id)))
    if (!x) throw new ValidationFailed({ aboutId: 'Select the conference the letter is about' })
    aboutId = x.id
    values['meeting date'] = letterDate(x.heldOn ?? x.scheduledFor, language)
    values['meeting time'] = x.scheduledTime ? letterTime(x.scheduledTime) : null
    values['meeting venue'] = x.venue
  } else if (aboutType === 'contact') {
    if (!choice.aboutId) throw new ValidationFailed({ aboutId: 'Select the contact the letter is about' })
    const found = (await contactsOf(db, open.c.id)).find((x) => x.id === choice.aboutId)
    if (!found) throw new ValidationFailed({ aboutId: 'Select the contact the letter is about' })
    aboutId = found.id
  }

  let recipientName = ''
  let recipientPersonId: string | null = null
  let address: string[] = []
  let recipientKind: Resolved['recipientKind'] = 'other'
  const [kind, id] = choice.recipient.split(':') as [string, string | undefined]
  if (kind === 'person') {
    const member = family.find((f) => f.id === id)
    if (!member) throw new ValidationFailed({ recipient: 'Select who the letter is to' })
    recipientKind = 'family'
    recipientPersonId = member.id
    recipientName = fullName(member)
    address = addressAsLines(recipientName, member.address, member.postcode)
  } else if (kind === 'referrer') {
    const found = (await contactsOf(db, open.c.id)).find((x) => x.id === id)
    if (!found) throw new ValidationFailed({ recipient: 'Select who the letter is to' })
    recipientKind = 'referrer'
    recipientName = found.referrerName
    address = [recipientName]
  }
  values['recipient name'] = recipientName || null
  values.address = address.length > 1 ? address.slice(1).join(', ') : null
  return { template, values, recipientName, recipientPersonId, recipientKind, address, aboutType: aboutId ? aboutType : null, aboutId }
}

/** The merged letter, for the worker to edit (a read of the case, audited; needs case:update, as writing one does). */
export function draftLetter(ctx: ServiceContext, caseId: string, choice: LetterChoice): Promise<LetterDraft> {
  return showCase(ctx, caseId, 'case:update', async (db, open) => {
    const r = await resolve(ctx, db, open, choice)
    const body = mergeLetter(r.template.body, r.values)
    const title = mergeLetter(r.template.title, r.values)
    return { template: r.template, title: title.text, body: body.text, address: r.address.join('\n'), unfilled: [...new Set([...title.unfilled, ...body.unfilled])] }
  }, SECTION)
}

/**
 * Makes the letter: checks the words have no placeholder left and the address can go in the
 * post, makes the PDF, keeps it as a document of the case and records the letter (audited; its
 * revision puts it on the chronology).
 */
export async function produceLetter(ctx: ServiceContext, caseId: string, input: LetterProduce): Promise<LetterView> {
  const lines = addressLines(input.address)
  const errors: Record<string, string> = {}
  const problem = addressProblem(lines)
  if (problem) errors.address = problem
  const left = placeholdersOf(input.body)
  if (left.length > 0) errors.body = `Write in what goes in place of ${left.map((p) => `((${p}))`).join(', ')}: nothing is recorded to fill ${left.length === 1 ? 'it' : 'them'}`
  const leftInTitle = placeholdersOf(input.title)
  if (leftInTitle.length > 0) errors.title = `Write in what goes in place of ${leftInTitle.map((p) => `((${p}))`).join(', ')}`
  if (Object.keys(errors).length > 0) throw new ValidationFailed(errors)
  const row = await removingObjectsOnFailure(ctx.db, ctx.objectStore, (stored) => withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const r = await resolve(ctx, tx, open, input)
    const today = londonDate(ctx.now())
    const language = r.template.language as LetterLanguage
    const { pdf, pageCount } = await letterPdf(
      {
        addressLines: lines,
        senderLines: [r.values['authority name'], r.values['team name'], r.values['worker name']].filter((x): x is string => Boolean(x)),
        dateText: letterDate(today, language, false),
        title: input.title,
        body: input.body,
        subject: labelOf(LETTER_KIND, r.template.kind),
      },
      ctx.now(),
    )
    const kept = await storeMadeDocument(ctx, tx, open, {
      title: `Letter: ${input.title} (to ${lines[0]})`,
      kind: 'letter',
      fileName: `letter-${r.template.kind}-${today}.pdf`,
      mediaType: 'application/pdf',
      bytes: pdf,
      datedOn: today,
      receivedFrom: null,
    }, stored)
    return createRecord<LetterRow>(ctx, tx, open, ENTITY, letter, {
      templateId: r.template.id,
      kind: r.template.kind,
      language: r.template.language,
      title: input.title,
      aboutType: r.aboutType,
      aboutId: r.aboutId,
      recipientKind: r.recipientKind,
      recipientPersonId: r.recipientPersonId,
      recipientName: lines[0]!,
      addressLines: lines,
      body: input.body,
      documentId: kept.documentId,
      documentVersionId: kept.versionId,
      pageCount,
      status: 'produced',
      producedBy: ctx.actor.userId,
      createdAt: ctx.now(),
      updatedAt: ctx.now(),
    })
  }, SECTION))
  return (await viewsOf(ctx.db, [row]))[0]!
}

/** Changes a letter's state, appending its revision (the chronology reads it) and auditing `action`. */
async function setLetter(ctx: ServiceContext, tx: Db, open: OpenCase, id: string, changes: Partial<LetterRow>, action: string, detail: Record<string, unknown>, where = eq(letter.id, id)) {
  const [row] = await tx
    .update(letter)
    .set({ ...changes, updatedAt: ctx.now() } as never)
    .where(and(where, eq(letter.caseId, open.c.id)))
    .returning()
  if (!row) return null
  const bumped = (await tx.update(letter).set({ version: row.version + 1 }).where(eq(letter.id, row.id)).returning())[0]!
  await recordRevisionOf(ctx, tx, open.c.id, ENTITY, bumped)
  await audit(ctx, tx, { action, recordType: ENTITY, recordId: row.id, subjectPersonId: open.c.personId, ground: open.ground, detail })
  return bumped
}

const shareOf = (ctx: ServiceContext, open: OpenCase, row: LetterRow) => ({
  kind: 'letter' as const,
  ...sharedBy(ctx),
  sourceId: row.id,
  recipient: `${row.recipientName} (${row.recipientKind === 'referrer' ? 'referrer' : row.recipientKind === 'family' ? 'family' : 'by name'})`,
  caseIds: [open.c.id],
})

/** Records that the letter was printed, to send by hand or post (at the version read); on the ledger the first time. */
export async function printLetter(ctx: ServiceContext, caseId: string, letterId: string, version: number): Promise<LetterView> {
  const row = await withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<LetterRow>(tx, open, letter, letterId)
    if (current.status === 'sent' || current.status === 'sending') throw new ValidationFailed({ letter: 'This letter has been sent by post already' })
    const updated = await setLetter(ctx, tx, open, letterId, { status: 'printed', printedAt: ctx.now() }, 'letter.print', { pageCount: current.pageCount }, and(eq(letter.id, letterId), eq(letter.version, version))!)
    if (!updated) throw new EditConflict(`Someone else changed this letter (now version ${current.version}) after you opened it (version ${version}).`, current)
    if (current.status !== 'printed') await recordAutomaticShare(tx, shareOf(ctx, open, updated))
    return updated
  }, SECTION)
  return (await viewsOf(ctx.db, [row]))[0]!
}

/** The PDF's bytes (a letter's PDF is small and is posted whole), read from where its version keeps them. */
async function pdfOf(ctx: ServiceContext, versionId: string): Promise<Buffer> {
  const [v] = await ctx.db.select().from(documentVersion).where(eq(documentVersion.id, versionId))
  const pieces: Buffer[] = []
  for await (const piece of bytesOf(ctx.db, ctx.objectStore, v!)) pieces.push(piece)
  return Buffer.concat(pieces)
}

/**
 * Posts the letter through GOV.UK Notify (or the local double). The form's idempotency key claims
 * the post: the letter goes from made, printed or failed to sending under that key in one
 * statement, so a second click with the same key (or a second tab) never posts again; it answers
 * the letter as it is. A failure is recorded (and shown, to try again with a new key).
 */
export async function sendLetter(ctx: ServiceContext, caseId: string, letterId: string, input: LetterSend, post: LetterPost): Promise<LetterView> {
  const claimed = await withCase(ctx, caseId, 'case:update', async (tx, open) => {
    const current = await getRecord<LetterRow>(tx, open, letter, letterId)
    if (current.idempotencyKey === input.idempotencyKey) return { row: current, open, send: false }
    if (current.status === 'sent' || current.status === 'sending') return { row: current, open, send: false }
    const [dup] = await tx.select({ id: letter.id }).from(letter).where(and(eq(letter.idempotencyKey, input.idempotencyKey), ne(letter.id, letterId)))
    if (dup) throw new ValidationFailed({ idempotencyKey: 'The form is out of date: open the letter again' })
    const row = await setLetter(
      ctx,
      tx,
      open,
      letterId,
      { status: 'sending', idempotencyKey: input.idempotencyKey, postage: input.postage, failure: null, sentBy: ctx.actor.userId },
      'letter.send',
      { postage: input.postage, provider: post.name },
      and(eq(letter.id, letterId), inArray(letter.status, ['produced', 'printed', 'failed']))!,
    )
    if (!row) return { row: current, open, send: false }
    return { row, open, send: true }
  }, SECTION)
  if (!claimed.send) return (await viewsOf(ctx.db, [claimed.row]))[0]!
  const pdf = await pdfOf(ctx, claimed.row.documentVersionId)
  let outcome: Partial<LetterRow>
  try {
    const posted = await post.send({ reference: input.idempotencyKey, pdf, postage: input.postage as 'first' | 'second' })
    outcome = { status: 'sent', sentAt: ctx.now(), providerId: posted.id, provider: post.name }
  } catch (err) {
    const why = err instanceof LetterRejected ? `The letter service would not print it: ${err.message}` : 'The letter service could not be reached. Nothing was sent: try again.'
    outcome = { status: 'failed', failure: why, provider: post.name }
  }
  const open = claimed.open
  const row = await ctx.db.transaction(async (tx) => {
    const updated = (await setLetter(ctx, tx, open, letterId, outcome, outcome.status === 'sent' ? 'letter.sent' : 'letter.send.failed', { provider: post.name, status: outcome.status }, and(eq(letter.id, letterId), eq(letter.status, 'sending'), eq(letter.idempotencyKey, input.idempotencyKey))!))!
    if (outcome.status === 'sent' && claimed.row.printedAt === null) await recordAutomaticShare(tx, shareOf(ctx, open, updated))
    return updated
  })
  return (await viewsOf(ctx.db, [row]))[0]!
}

