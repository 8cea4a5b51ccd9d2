/**
 * Letters on a case (issue 18 §2): templates per partnership (defaults, unknown placeholders
 * refused, conflicts), a conference invitation merged from the record, made into a PDF that reads
 * back as A4 with the address in the window, kept as a document, posted once per idempotency key
 * through the local Notify double (a failure kept and retried), and on the sharing ledger.
 */
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../test/support/database.ts'
import { openTestWorld, World } from '../../../test/support/fixtures.ts'
import { auditEvent, cinEpisode, conference, document, informationShare, person, personRelationship } from '../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../common/context.ts'
import { addLetterTemplate, changeLetterTemplate, letterTemplates } from './letter-templates.ts'
import { checkPrecompiledLetter, LetterRejected, letterPostFor, LocalLetterPost, NotifyLetterPost, readLetterPdf } from './letter-post.ts'
import { loadConfig } from '../../config.ts'
import { draftLetter, letterChoices, lettersOfCase, printLetter, produceLetter, sendLetter } from './letters.ts'
import { letterPdf } from './letter-pdf.ts'
import { chronology } from '../journey/chronology.ts'

let database: TestDatabase
let world: World
before(async () => {
  ;({ database, world } = await openTestWorld())
})
after(async () => {
  await database.close()
})

const quiet = { info: () => {} }

async function caseWithConference() {
  const worker = await world.user(['social-worker'])
  const { caseId, personId } = await world.childCase({ worker: worker.userId, givenName: 'Sam', familyName: 'Letterby' })
  const db = database.db
  const [parent] = await db
    .insert(person)
    .values({ partnershipId: world.partnershipId, givenName: 'Ann', familyName: 'Letterby', address: '1 High Street, Testtown', postcode: 'ZZ1 1ZZ' })
    .returning()
  await db.insert(personRelationship).values({ partnershipId: world.partnershipId, personId, relatedPersonId: parent!.id, kind: 'mother', parentalResponsibility: true, sameHousehold: true, recordedBy: worker.userId })
  const [e] = await db.insert(cinEpisode).values({ partnershipId: world.partnershipId, caseId, referralDate: '2026-10-01', referralSource: '2A', recordedBy: worker.userId }).returning()
  const [k] = await db
    .insert(conference)
    .values({ partnershipId: world.partnershipId, caseId, episodeId: e!.id, kind: 'initial', scheduledFor: '2026-12-15', scheduledTime: '10:30', venue: 'Room 2, Civic Centre', recordedBy: worker.userId })
    .returning()
  return { worker, caseId, personId, parentId: parent!.id, conferenceId: k!.id, ctx: world.ctx(worker) }
}

describe('templates', () => {
  test('a partnership starts with the four default templates; an administrator adds a Welsh one and changes one at the version read', async () => {
    const admin = world.ctx(await world.user(['administrator']))
    const list = await letterTemplates(admin)
    assert.deepEqual(list.map((t) => t.kind), ['conference-invitation', 'conference-outcome', 'referrer-feedback', 'letter-before-proceedings'])
    const welsh = await addLetterTemplate(admin, { kind: 'conference-invitation', language: 'cy', title: 'Gwahoddiad', body: 'Annwyl ((recipient name)), ŵ ŷ' })
    assert.equal(welsh.languageLabel, 'Welsh (Cymraeg)')
    const changed = await changeLetterTemplate(admin, welsh.id, { kind: 'conference-invitation', language: 'cy', title: 'Gwahoddiad i gynhadledd', body: welsh.body, version: 1 })
    assert.equal(changed.version, 2)
    await assert.rejects(changeLetterTemplate(admin, welsh.id, { kind: 'conference-invitation', language: 'cy', title: 'x', body: 'y', version: 1 }), EditConflict)
    const audited = await database.db.select().from(auditEvent).where(and(eq(auditEvent.recordId, welsh.id), eq(auditEvent.action, 'letter-template.update')))
    assert.equal(audited.length, 1)
  })
  test('an unknown placeholder is refused on save, named', async () => {
    const admin = world.ctx(await world.user(['administrator']))
    await assert.rejects(
      addLetterTemplate(admin, { kind: 'other', language: 'en', title: 'Note', body: 'Dear ((recipient name)), ((childs name)) ((nhs number))' }),
      (err: unknown) => err instanceof ValidationFailed && /\(\(childs name\)\), \(\(nhs number\)\)/.test(err.fieldErrors.body ?? ''),
    )
  })
  test('a social worker reads the templates but may not change them', async () => {
    const worker = world.ctx(await world.user(['social-worker']))
    assert.ok((await letterTemplates(worker)).length >= 4)
    await assert.rejects(addLetterTemplate(worker, { kind: 'other', language: 'en', title: 'Note', body: 'Hello' }), AccessDenied)
  })
})

describe('a conference invitation', () => {
  test('is merged from the conference and the family, edited, made as an A4 PDF with the address in the window, kept as a document, and posted once', async () => {
    const { caseId, ctx, conferenceId, parentId, personId } = await caseWithConference()
    const choices = await letterChoices(ctx, caseId)
    const template = choices.templates.find((t) => t.kind === 'conference-invitation' && t.language === 'en')!
    assert.ok(choices.conferences.some((c) => c.id === conferenceId))
    assert.ok(choices.recipients.some((r) => r.value === `person:${parentId}` && r.hasAddress))

    await assert.rejects(draftLetter(ctx, caseId, { templateId: template.id, aboutId: null, recipient: `person:${parentId}` }), (e: unknown) => e instanceof ValidationFailed && 'aboutId' in e.fieldErrors)
    const draft = await draftLetter(ctx, caseId, { templateId: template.id, aboutId: conferenceId, recipient: `person:${parentId}` })
    assert.match(draft.body, /Dear Ann Letterby/)
    assert.match(draft.body, /When: Tuesday 15 December 2026 at 10:30am/)
    assert.match(draft.body, /Where: Room 2, Civic Centre/)
    assert.deepEqual(draft.unfilled, [])
    assert.equal(draft.address, 'Ann Letterby\n1 High Street\nTesttown\nZZ1 1ZZ')

    // A placeholder left in, or an address too short, is refused before anything is made.
    const choice = { templateId: template.id, aboutId: conferenceId, recipient: `person:${parentId}` }
    await assert.rejects(produceLetter(ctx, caseId, { ...choice, title: draft.title, body: `${draft.body} ((meeting venue))`, address: draft.address }), (e: unknown) => e instanceof ValidationFailed && /meeting venue/.test(e.fieldErrors.body ?? ''))
    await assert.rejects(produceLetter(ctx, caseId, { ...choice, title: draft.title, body: draft.body, address: 'Ann\nZZ1 1ZZ' }), (e: unknown) => e instanceof ValidationFailed && 'address' in e.fieldErrors)

    const edited = draft.body.replace('If you have any questions', 'Sam asked me to say hello. If you have any questions')
    const made = await produceLetter(ctx, caseId, { ...choice, title: draft.title, body: edited, address: draft.address })
    assert.equal(made.status, 'produced')
    assert.equal(made.pageCount >= 1, true)
    assert.deepEqual(made.addressLines, ['Ann Letterby', '1 High Street', 'Testtown', 'ZZ1 1ZZ'])
    const [doc] = await database.db.select().from(document).where(eq(document.id, made.documentId))
    assert.equal(doc!.kind, 'letter')

    const { letters } = await lettersOfCase(ctx, caseId)
    assert.equal(letters.length, 1)

    const post = new LocalLetterPost(quiet)
    const key = randomUUID()
    const [a, b] = await Promise.all([sendLetter(ctx, caseId, made.id, { postage: 'second', idempotencyKey: key }, post), sendLetter(ctx, caseId, made.id, { postage: 'second', idempotencyKey: key }, post)])
    assert.equal(post.posted.length, 1, 'one click, one post')
    assert.deepEqual(post.posted[0], { reference: key, pageCount: made.pageCount, postage: 'second' })
    const sent = [a, b].find((x) => x.status === 'sent') ?? (await lettersOfCase(ctx, caseId)).letters[0]!
    assert.equal(sent.status, 'sent')
    // Another click with a new key after it was sent posts nothing more.
    await sendLetter(ctx, caseId, made.id, { postage: 'second', idempotencyKey: randomUUID() }, post)
    assert.equal(post.posted.length, 1)

    const shares = await database.db.select().from(informationShare).where(and(eq(informationShare.caseId, caseId), eq(informationShare.automatic, 'letter')))
    assert.equal(shares.length, 1)
    assert.equal(shares[0]!.article6Basis, 'public-task')
    assert.equal(shares[0]!.sourceId, made.id)

    const entries = (await chronology(ctx, caseId, { kinds: ['letter'] })).entries.map((e) => e.title)
    assert.deepEqual(entries.sort(), ['Letter made: Invitation to a child protection conference (to Ann Letterby)', 'Letter sent by post to Ann Letterby'])

    const audits = await database.db.select({ action: auditEvent.action }).from(auditEvent).where(eq(auditEvent.subjectPersonId, personId))
    for (const action of ['letter.create', 'document.version.create', 'letter.send', 'letter.sent']) assert.ok(audits.some((x) => x.action === action), action)
  })

  test('a post that fails is kept as failed with the reason, and tried again with a new key; printing is recorded', async () => {
    const { caseId, ctx, conferenceId, parentId } = await caseWithConference()
    const template = (await letterTemplates(ctx)).find((t) => t.kind === 'conference-invitation')!
    const choice = { templateId: template.id, aboutId: conferenceId, recipient: `person:${parentId}` }
    const draft = await draftLetter(ctx, caseId, choice)
    const made = await produceLetter(ctx, caseId, { ...choice, title: draft.title, body: draft.body, address: draft.address })
    const post = new LocalLetterPost(quiet)
    post.failNext = 1
    const failed = await sendLetter(ctx, caseId, made.id, { postage: 'first', idempotencyKey: randomUUID() }, post)
    assert.equal(failed.status, 'failed')
    assert.match(failed.failure!, /could not be reached/)
    const retried = await sendLetter(ctx, caseId, made.id, { postage: 'first', idempotencyKey: randomUUID() }, post)
    assert.equal(retried.status, 'sent')
    assert.equal(post.posted.length, 1)

    const other = await produceLetter(ctx, caseId, { ...choice, title: draft.title, body: draft.body, address: draft.address })
    const printed = await printLetter(ctx, caseId, other.id, other.version)
    assert.equal(printed.status, 'printed')
    await assert.rejects(printLetter(ctx, caseId, other.id, other.version), EditConflict)
  })

  test('someone who may not read the case is refused its letters', async () => {
    const { caseId } = await caseWithConference()
    const outsider = world.ctx(await world.user(['partner-practitioner'], { agency: 'school', team: null }))
    await assert.rejects(lettersOfCase(outsider, caseId))
  })
})

describe('the PDF and the Notify double', () => {
  test('the PDF is A4, embeds its fonts, carries Welsh letters, and puts 7 address lines inside the window', async () => {
    const lines = ['Mr Dafydd ap Gwilym', 'Tŷ Newydd', '2 Heol y Bont', 'Pentref', 'Tref', 'Sir', 'ZZ9 9ZZ']
    const { pdf, pageCount } = await letterPdf({ addressLines: lines, senderLines: ['Council'], dateText: '1 December 2026', title: 'Llythyr', body: 'Annwyl ŵ ŷ\n\n'.repeat(80), subject: 'Letter' }, new Date('2026-12-01T10:00:00Z'))
    assert.ok(pageCount >= 2)
    const read = await readLetterPdf(pdf)
    assert.equal(read.pages.length, pageCount)
    for (const p of read.pages) assert.deepEqual([Math.round(p.width), Math.round(p.height)], [595, 842])
    assert.deepEqual(read.addressText, lines)
    assert.ok(pdf.includes('/FontFile2'), 'the fonts are embedded')
    assert.ok(!/\/BaseFont \/Helvetica/.test(pdf.toString('latin1')), 'no unembedded standard font')
    assert.equal(await checkPrecompiledLetter(pdf), pageCount)
  })
  test('the double refuses what Notify would not print', async () => {
    await assert.rejects(checkPrecompiledLetter(Buffer.from('hello')), LetterRejected)
    const noAddress = await letterPdf({ addressLines: ['Only a name'], senderLines: [], dateText: '', title: 'T', body: 'B', subject: 'S' }, new Date())
    await assert.rejects(checkPrecompiledLetter(noAddress.pdf), /address must be in the address area/)
  })
  test('GOV.UK Notify is sent the reference, the PDF and the postage; its refusal is told', async () => {
    const calls: unknown[][] = []
    const ok = new NotifyLetterPost({ apiKey: 'k' }, { sendPrecompiledLetter: async (...args) => (calls.push(args), { data: { id: 'n-1' } }) })
    const pdf = Buffer.from('%PDF-')
    assert.deepEqual(await ok.send({ reference: 'ref-1', pdf, postage: 'first' }), { id: 'n-1' })
    assert.deepEqual(calls, [['ref-1', pdf, 'first']])
    const refused = new NotifyLetterPost({ apiKey: 'k' }, { sendPrecompiledLetter: async () => Promise.reject(Object.assign(new Error('400'), { response: { data: { errors: [{ message: 'Letter content is not a valid PDF' }] } } })) })
    await assert.rejects(refused.send({ reference: 'r', pdf, postage: 'second' }), (e: unknown) => e instanceof LetterRejected && /not a valid PDF/.test(e.message))
  })
  test('the double logs the reference and page count only', async () => {
    const logged: unknown[] = []
    const post = new LocalLetterPost({ info: (o: unknown) => logged.push(o) })
    const { pdf } = await letterPdf({ addressLines: ['Ann Secretname', '1 Private Road', 'ZZ1 1ZZ'], senderLines: [], dateText: '', title: 'T', body: 'Confidential words', subject: 'S' }, new Date())
    await post.send({ reference: 'ref-9', pdf, postage: 'second' })
    assert.deepEqual(logged, [{ letterReference: 'ref-9', pageCount: 1 }])
  })
  test('letters go through Notify with the API key unless TOGETHER_NOTIFY_LETTERS is off; otherwise the local double', () => {
    const notify = { NODE_ENV: 'test', TOGETHER_NOTIFY_API_KEY: 'key', TOGETHER_NOTIFY_TEMPLATE_ID: randomUUID() }
    assert.equal(letterPostFor(loadConfig(notify).letters, quiet).name, 'notify')
    assert.equal(letterPostFor(loadConfig({ ...notify, TOGETHER_NOTIFY_LETTERS: 'off' }).letters, quiet).name, 'local')
    assert.equal(letterPostFor(loadConfig({ NODE_ENV: 'test' }).letters, quiet).name, 'local')
    assert.throws(() => loadConfig({ NODE_ENV: 'test', TOGETHER_NOTIFY_LETTERS: 'maybe' }), /TOGETHER_NOTIFY_LETTERS must be on or off/)
  })
})
