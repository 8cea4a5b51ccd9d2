/**
 * Import of a CIN census file (from another system, for migration or history) into Together's
 * records: each child is matched to a person by LA child ID, then UPN, then the person matcher
 * (only a certain match counts), or created; its episodes, assessments, plans, enquiries and
 * conferences are created unless a record with the same natural key is already there, so importing
 * the same file twice changes nothing. The whole file is one transaction (a file that breaks off
 * part-way commits nothing), read and written a batch of children at a time, with one audit entry
 * per child changed. Census items our tables do not hold go to census_imported_record.
 */
import { createHash, randomUUID } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/connection.ts'
import {
  assessment,
  censusImport,
  censusImportedRecord,
  childCase,
  cinEpisode,
  conference,
  matchReview,
  person,
  personChange,
  plan,
  recordRevision,
  section47Enquiry,
  sourceRecord,
  strategyDiscussion,
} from '../../db/schema/index.ts'
import { importProblem, ordinalKeys, sexOf, yes } from '../../domain/returns/cin-census/import-child.ts'
import { DRAFT_CENSUS_YEAR, type CensusChild, type CensusEpisode, type CensusHeader, type Finding } from '../../domain/returns/cin-census/model.ts'
import { CensusReader } from '../../domain/returns/cin-census/parse.ts'
import { CensusValidator, headerYear, isCensusYear, type CensusSummary } from '../../domain/returns/cin-census/validate.ts'
import { defaultBankHolidayCalendar } from '../../domain/timescales/calendar/index.ts'
import { explain } from '../../domain/person-index/explain.ts'
import { addMonths } from '../../domain/timescales/calendar/iso-date.ts'
import { auditMany, type ActorEntry } from '../access/audit.ts'
import { type ServiceContext } from '../common/context.ts'
import { requireGeneral } from '../common/require-general.ts'
import { currentModel, findCandidates, indexPending } from '../person-index/store.ts'

export type MatchedBy = 'la-child-id' | 'upn' | 'person-matcher'

export interface CensusImportReport {
  file: string
  year: number | null
  children: number
  /** People created for children Together did not know. */
  created: number
  matched: Record<MatchedBy, number>
  /** Children whose every record was already in Together (a re-import). */
  unchanged: number
  /**
   * Children created who may be someone Together knows (the person index's probable or possible
   * match, not a certain one): each pair is in the person index's review queue to decide.
   */
  toReview: number
  rejected: { child: string | null; position: number; reason: string }[]
  /** Records created, by kind. */
  records: Record<string, number>
  /**
   * DfE's rules run on the file as it was read (asked for with `onFinding`): the counts, or null
   * when not asked for or the file's year has no rules in Together.
   */
  validation: Omit<CensusSummary, 'rules'> | null
}

/** Why a census import changed a person's details, in their history (person_change). */
export const CENSUS_IMPORT_REASON = 'census import'

/** The name a census child gets when the file carries none: the census holds no names. */
const placeholderName = (laChildId: string) => ({ givenName: 'Not known', familyName: `(census child ${laChildId})` })

export interface CensusImportSource {
  name: string
  sha256: string
  chunks: AsyncIterable<string> | Iterable<string>
}

const BATCH = 200
const INSERT_CHUNK = 500
const S47_DISCUSSION_NOTE = 'Not recorded: this enquiry was imported from a CIN census file, which does not hold the strategy discussion.'

export function mayImportReturns(ctx: ServiceContext): void {
  requireGeneral(ctx, 'returns:import')
}

/** Reads the census as a stream and imports it a batch of children at a time. */
export async function importCinCensus(
  ctx: ServiceContext,
  source: CensusImportSource,
  options: { onProgress?: (children: number) => void; onFinding?: (finding: Finding) => void } = {},
): Promise<CensusImportReport> {
  mayImportReturns(ctx)
  const report: CensusImportReport = {
    file: source.name,
    year: null,
    children: 0,
    created: 0,
    matched: { 'la-child-id': 0, upn: 0, 'person-matcher': 0 },
    unchanged: 0,
    toReview: 0,
    rejected: [],
    records: {},
    validation: null,
  }
  const run: ImportRun = { ctx, source, report, importId: null, idsSeen: new Set(), header: undefined }
  let pending: { child: CensusChild; position: number }[] = []
  // DfE's rules run on each child as it is read, so the importer sees each child's errors by rule.
  let validator: CensusValidator | undefined
  const reader = new CensusReader({
    onHeader: (h) => {
      run.header = h
      report.year = headerYear(h) ?? null
      const year = report.year
      if (options.onFinding && year !== null && isCensusYear(year, year === DRAFT_CENSUS_YEAR)) {
        validator = new CensusValidator({ year, draft: year === DRAFT_CENSUS_YEAR, calendar: defaultBankHolidayCalendar() }, options.onFinding)
        validator.setHeader(h)
      }
    },
    onChild: (child) => {
      validator?.child(child)
      pending.push({ child, position: ++report.children })
    },
  })
  // All or nothing: the whole file is one transaction, so a file that turns out to be truncated or
  // malformed part-way (or a failure of the database) commits no child at all.
  await ctx.db.transaction(async (txn) => {
    const tx = txn as unknown as Db
    // People recorded since the index last caught up are indexed first, so the matcher finds them.
    while ((await indexPending(tx, ctx.actor.partnershipId, 2000)) > 0);
    const flush = async () => {
      const batch = pending
      pending = []
      await importBatch(run, tx, batch)
      options.onProgress?.(report.children)
    }
    for await (const chunk of source.chunks) {
      reader.write(chunk)
      if (pending.length >= BATCH) await flush()
    }
    reader.end()
    if (pending.length > 0) await flush()
    if (validator) {
      const { rules: _rules, ...counts } = validator.finish()
      report.validation = counts
    }
    await auditMany(ctx, tx, [
      {
        action: 'returns:cin-census-import',
        recordType: 'census-import',
        recordId: run.importId,
        detail: { sha256: source.sha256, year: report.year, children: report.children, created: report.created, matched: report.matched, unchanged: report.unchanged, rejected: report.rejected.length, records: report.records },
      },
    ])
  })
  return report
}

/** What a census import found: the report, and DfE's rules' findings on the file, child by child. */
export interface CensusFileImport {
  report: CensusImportReport
  findings: Finding[]
}

/**
 * Imports a census file on disk (an upload, kept in a temporary file): its SHA-256 first, then the
 * import, with DfE's rules run on each child as it is read. All or nothing, as importCinCensus.
 */
export async function importCensusFile(ctx: ServiceContext, file: { name: string; path: string }): Promise<CensusFileImport> {
  mayImportReturns(ctx)
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(file.path)) hash.update(chunk as Buffer)
  const findings: Finding[] = []
  const chunks = createReadStream(file.path, { encoding: 'utf8', highWaterMark: 1 << 20 }) as AsyncIterable<string>
  const report = await importCinCensus(ctx, { name: file.name, sha256: hash.digest('hex'), chunks }, { onFinding: (f) => findings.push(f) })
  return { report, findings }
}

interface ImportRun {
  ctx: ServiceContext
  source: CensusImportSource
  report: CensusImportReport
  /** The census_import row, made by the first batch that creates anything. */
  importId: string | null
  idsSeen: Set<string>
  header: CensusHeader | undefined
}

type PersonRow = typeof person.$inferSelect

/** What one batch will insert, table by table, in an order the foreign keys accept. */
class Inserts {
  readonly people: (typeof person.$inferInsert)[] = []
  readonly cases: (typeof childCase.$inferInsert)[] = []
  readonly episodes: (typeof cinEpisode.$inferInsert)[] = []
  readonly assessments: (typeof assessment.$inferInsert)[] = []
  readonly discussions: (typeof strategyDiscussion.$inferInsert)[] = []
  readonly section47s: (typeof section47Enquiry.$inferInsert)[] = []
  readonly plans: (typeof plan.$inferInsert)[] = []
  readonly conferences: (typeof conference.$inferInsert)[] = []
  readonly revisions: (typeof recordRevision.$inferInsert)[] = []
  readonly changes: (typeof personChange.$inferInsert)[] = []
  /** A created person who may be a known one, for the person index's review queue. */
  readonly reviews: { personId: string; candidatePersonId: string; score: string; band: string; reasons: unknown }[] = []
  readonly imported: { entity: string; entityId: string; census: Record<string, unknown> }[] = []
  readonly audits: ActorEntry[] = []
}

async function insertAll(tx: Db, table: Parameters<Db['insert']>[0], rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insert(table).values(rows.slice(i, i + INSERT_CHUNK) as never)
}

async function importBatch(run: ImportRun, tx: Db, batch: { child: CensusChild; position: number }[]): Promise<void> {
  const { ctx, report } = run
  const partnershipId = ctx.actor.partnershipId
  const accepted: { child: CensusChild & { laChildId: string }; position: number }[] = []
  for (const { child, position } of batch) {
    const problem = importProblem(child, run.idsSeen)
    if (child.laChildId !== undefined) run.idsSeen.add(child.laChildId)
    if (problem) report.rejected.push({ child: child.laChildId ?? null, position, reason: problem })
    else accepted.push({ child: child as CensusChild & { laChildId: string }, position })
  }
  if (accepted.length === 0) return

  const people = new Map<string, { person: PersonRow | null; by: MatchedBy | null }>()
  const byId = await tx
    .select()
    .from(person)
    .where(and(eq(person.partnershipId, partnershipId), inArray(person.laChildId, accepted.map((a) => a.child.laChildId))))
  for (const p of byId) people.set(p.laChildId!, { person: p, by: 'la-child-id' })
  const upns = accepted.filter((a) => !people.has(a.child.laChildId) && a.child.upn).map((a) => a.child.upn!)
  const byUpn = upns.length === 0 ? [] : await tx.select().from(person).where(and(eq(person.partnershipId, partnershipId), inArray(person.upn, upns)))
  const model = (await currentModel(tx, partnershipId, ctx.now().getTime())).model
  const now = ctx.now()
  const ins = new Inserts()

  const ready: { child: CensusChild & { laChildId: string }; personId: string; existing: PersonRow | null; by: MatchedBy | null }[] = []
  for (const { child, position } of accepted) {
    let found = people.get(child.laChildId) ?? null
    if (!found && child.upn) {
      const p = byUpn.find((row) => row.upn === child.upn)
      if (p) found = { person: p, by: 'upn' }
    }
    let maybe: Awaited<ReturnType<typeof findCandidates>> = []
    if (!found) {
      const candidates = await findCandidates(tx, partnershipId, censusQuery(child), model, { limit: 3 })
      const top = candidates[0]
      if (top && top.best.band === 'certain') {
        const [p] = await tx.select().from(person).where(eq(person.id, top.personId))
        if (p) found = { person: p, by: 'person-matcher' }
      } else maybe = candidates.filter((c) => c.best.band === 'probable' || c.best.band === 'possible')
    }
    if (found?.person && found.person.laChildId !== null && found.person.laChildId !== child.laChildId) {
      report.rejected.push({
        child: child.laChildId,
        position,
        reason: `matched by ${found.by} to a person whose LA child ID is ${found.person.laChildId}`,
      })
      continue
    }
    if (found?.person) {
      report.matched[found.by!]++
      ready.push({ child, personId: found.person.id, existing: found.person, by: found.by })
    } else {
      const id = randomUUID()
      ins.people.push({ id, partnershipId, ...placeholderName(child.laChildId), ...personValues(child) })
      report.created++
      ready.push({ child, personId: id, existing: null, by: null })
      if (maybe.length > 0) report.toReview++
      for (const c of maybe) {
        ins.reviews.push({ personId: id, candidatePersonId: c.personId, score: String(Math.round(c.best.weight * 100) / 100), band: c.best.band, reasons: explain(c.best) })
      }
    }
  }

  const existingTrees = await loadTrees(tx, ready.filter((r) => r.existing).map((r) => r.personId))
  for (const r of ready) {
    const counts: Record<string, number> = {}
    const personChanges = r.existing ? blanksFilled(r.existing, r.child) : {}
    if (Object.keys(personChanges).length > 0) {
      const version = r.existing!.version + 1
      await tx.update(person).set({ ...personChanges, updatedAt: now, version }).where(eq(person.id, r.personId))
      ins.changes.push(
        ...Object.entries(personChanges).map(([field, newValue]) => ({
          partnershipId,
          personId: r.personId,
          version,
          field,
          previousValue: r.existing![field as keyof PersonRow] ?? null,
          newValue,
          reason: CENSUS_IMPORT_REASON,
          changedAt: now,
          changedBy: ctx.actor.userId,
        })),
      )
      counts.person = 1
    }
    addChildRecords(run, ins, r.child, r.personId, existingTrees.get(r.personId), counts)
    const created = Object.values(counts).reduce((a, b) => a + b, 0)
    if (created === 0 && r.existing) {
      report.unchanged++
      continue
    }
    for (const [k, n] of Object.entries(counts)) report.records[k] = (report.records[k] ?? 0) + n
    ins.audits.push({
      action: 'returns:cin-census-import.child',
      recordType: 'person',
      recordId: r.personId,
      subjectPersonId: r.personId,
      detail: { matchedBy: r.by ?? 'created', created: counts },
    })
  }

  if (ins.people.length + ins.cases.length + ins.episodes.length + ins.imported.length + ins.changes.length === 0 && ins.audits.length === 0) return
  if (run.importId === null) {
    run.importId = randomUUID()
    await tx.insert(censusImport).values({
      id: run.importId,
      partnershipId,
      fileName: run.source.name,
      fileSha256: run.source.sha256,
      year: report.year,
      importedBy: ctx.actor.userId,
      importedAt: now,
    })
  }
  await insertAll(tx, person, ins.people)
  await queueReviews(tx, partnershipId, ins.reviews, now)
  await insertAll(tx, childCase, ins.cases)
  await insertAll(tx, cinEpisode, ins.episodes)
  await insertAll(tx, assessment, ins.assessments)
  await insertAll(tx, strategyDiscussion, ins.discussions)
  await insertAll(tx, section47Enquiry, ins.section47s)
  await insertAll(tx, plan, ins.plans)
  await insertAll(tx, conference, ins.conferences)
  await insertAll(tx, recordRevision, ins.revisions)
  await insertAll(tx, personChange, ins.changes)
  await insertAll(
    tx,
    censusImportedRecord,
    ins.imported.map((i) => ({ partnershipId, importId: run.importId!, ...i })),
  )
  for (const a of ins.audits) a.detail = { ...a.detail, importId: run.importId }
  await auditMany(ctx, tx, ins.audits)
  await tx.update(censusImport).set({ summary: summaryOf(report) }).where(eq(censusImport.id, run.importId))
}

/** Each created person who may be a known one goes to the review queue, as the person index's imports do. */
async function queueReviews(tx: Db, partnershipId: string, reviews: Inserts['reviews'], now: Date): Promise<void> {
  if (reviews.length === 0) return
  // The person's own source record, which the trigger on person wrote.
  const records = await tx
    .select({ id: sourceRecord.id, personId: sourceRecord.personId })
    .from(sourceRecord)
    .where(and(eq(sourceRecord.sourceSystem, 'together'), inArray(sourceRecord.personId, [...new Set(reviews.map((r) => r.personId))])))
  const recordOf = new Map(records.map((r) => [r.personId, r.id]))
  const rows = reviews
    .filter((r) => recordOf.has(r.personId))
    .map(({ personId, ...r }) => ({ partnershipId, sourceRecordId: recordOf.get(personId)!, ...r, createdAt: now }))
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) await tx.insert(matchReview).values(rows.slice(i, i + INSERT_CHUNK)).onConflictDoNothing()
}

function summaryOf(report: CensusImportReport) {
  const { children, created, matched, unchanged, toReview, records } = report
  return { children, created, matched, unchanged, toReview, rejected: report.rejected.length, records }
}

function censusQuery(child: CensusChild) {
  return { givenName: child.givenName ?? null, familyName: child.familyName ?? null, dateOfBirth: child.personBirthDate ?? null, expectedDateOfBirth: child.expectedPersonBirthDate ?? null, sex: sexOf(child), upn: child.upn ?? null }
}

function personValues(child: CensusChild & { laChildId: string }) {
  return {
    ...(child.givenName ? { givenName: child.givenName } : {}),
    ...(child.familyName ? { familyName: child.familyName } : {}),
    laChildId: child.laChildId,
    upn: child.upn ?? null,
    formerUpn: child.formerUpn ?? null,
    upnUnknown: child.upnUnknown ?? null,
    dateOfBirth: child.personBirthDate ?? null,
    expectedDateOfBirth: child.expectedPersonBirthDate ?? null,
    sex: sexOf(child),
    dateOfDeath: child.personDeathDate ?? null,
    ethnicity: child.ethnicity ?? null,
    disabilities: child.disabilities ?? [],
  }
}

/**
 * The census items a matched person lacks; what Together already holds is never overwritten, except
 * the name an earlier import gave a child whose file carried none.
 */
function blanksFilled(existing: PersonRow, child: CensusChild & { laChildId: string }): Partial<PersonRow> {
  const changes: Record<string, unknown> = {}
  const placeholder = placeholderName(child.laChildId)
  for (const [key, value] of Object.entries(personValues(child))) {
    const current = existing[key as keyof PersonRow]
    const blank =
      current === null || (Array.isArray(current) && current.length === 0) || (key in placeholder && current === placeholder[key as keyof typeof placeholder])
    const given = value !== null && !(Array.isArray(value) && value.length === 0)
    if (blank && given) changes[key] = value
  }
  return changes as Partial<PersonRow>
}

// ---- what a matched person already has, by natural key

interface EpisodeNode {
  id: string
  caseId: string
  assessments: Set<string>
  cinPlans: Set<string>
  cpPlans: Map<string, { id: string; reviews: Set<string> }>
  section47s: Map<string, { id: string; icpc: boolean }>
  episodeIcpc: Set<string>
}

interface PersonTree {
  latestCaseId: string | null
  episodes: Map<string, EpisodeNode>
}

async function loadTrees(tx: Db, personIds: string[]): Promise<Map<string, PersonTree>> {
  const trees = new Map<string, PersonTree>()
  if (personIds.length === 0) return trees
  const cases = await tx
    .select({ id: childCase.id, personId: childCase.personId, openedOn: childCase.openedOn })
    .from(childCase)
    .where(inArray(childCase.personId, personIds))
    .orderBy(childCase.openedOn, childCase.createdAt)
  const personOfCase = new Map(cases.map((c) => [c.id, c.personId]))
  for (const id of personIds) trees.set(id, { latestCaseId: null, episodes: new Map() })
  for (const c of cases) trees.get(c.personId)!.latestCaseId = c.id
  if (cases.length === 0) return trees
  const caseIds = cases.map((c) => c.id)
  const [episodes, assessments, plans, enquiries, conferences] = await Promise.all([
    tx.select().from(cinEpisode).where(inArray(cinEpisode.caseId, caseIds)).orderBy(cinEpisode.referralDate, cinEpisode.createdAt, cinEpisode.id),
    tx.select().from(assessment).where(inArray(assessment.caseId, caseIds)).orderBy(assessment.startedOn, assessment.createdAt, assessment.id),
    tx.select().from(plan).where(inArray(plan.caseId, caseIds)).orderBy(plan.startedOn, plan.createdAt, plan.id),
    tx.select().from(section47Enquiry).where(inArray(section47Enquiry.caseId, caseIds)).orderBy(section47Enquiry.startedOn, section47Enquiry.createdAt, section47Enquiry.id),
    tx.select().from(conference).where(inArray(conference.caseId, caseIds)).orderBy(conference.heldOn, conference.createdAt, conference.id),
  ])
  const nodes = new Map<string, EpisodeNode>()
  const episodesOfPerson = new Map<string, typeof episodes>()
  for (const e of episodes) {
    const personId = personOfCase.get(e.caseId)!
    const list = episodesOfPerson.get(personId) ?? []
    list.push(e)
    episodesOfPerson.set(personId, list)
  }
  for (const [personId, list] of episodesOfPerson) {
    const keys = ordinalKeys(list, (e) => e.referralDate)
    list.forEach((e, i) => {
      const node: EpisodeNode = { id: e.id, caseId: e.caseId, assessments: new Set(), cinPlans: new Set(), cpPlans: new Map(), section47s: new Map(), episodeIcpc: new Set() }
      nodes.set(e.id, node)
      trees.get(personId)!.episodes.set(keys[i]!, node)
    })
  }
  const grouped = <T extends { episodeId: string | null }>(rows: T[]) => {
    const map = new Map<string, T[]>()
    for (const r of rows) if (r.episodeId) map.set(r.episodeId, [...(map.get(r.episodeId) ?? []), r])
    return map
  }
  for (const [episodeId, list] of grouped(assessments)) {
    for (const k of ordinalKeys(list, (a) => a.startedOn)) nodes.get(episodeId)?.assessments.add(k)
  }
  const reviewsOf = new Map<string, string[]>()
  for (const cf of conferences) {
    if (cf.kind === 'review' && cf.planId && cf.heldOn) reviewsOf.set(cf.planId, [...(reviewsOf.get(cf.planId) ?? []), cf.heldOn])
  }
  for (const [episodeId, list] of grouped(plans)) {
    const node = nodes.get(episodeId)
    if (!node) continue
    const cin = list.filter((p) => p.kind === 'child-in-need')
    for (const k of ordinalKeys(cin, (p) => p.startedOn)) node.cinPlans.add(k)
    const cp = list.filter((p) => p.kind === 'child-protection')
    ordinalKeys(cp, (p) => p.startedOn).forEach((k, i) => {
      node.cpPlans.set(k, { id: cp[i]!.id, reviews: new Set(ordinalKeys(reviewsOf.get(cp[i]!.id) ?? [], (d) => d)) })
    })
  }
  const icpcOf = new Set(conferences.filter((c) => c.kind === 'initial' && c.section47Id).map((c) => c.section47Id!))
  for (const [episodeId, list] of grouped(enquiries)) {
    const node = nodes.get(episodeId)
    if (!node) continue
    ordinalKeys(list, (s) => s.startedOn).forEach((k, i) => node.section47s.set(k, { id: list[i]!.id, icpc: icpcOf.has(list[i]!.id) }))
  }
  for (const cf of conferences) {
    if ((cf.kind === 'initial' || cf.kind === 'transfer-in') && !cf.section47Id && cf.heldOn) nodes.get(cf.episodeId)?.episodeIcpc.add(cf.heldOn)
  }
  return trees
}

// ---- records to create

function caseStatus(child: CensusChild): string {
  const open = child.episodes.filter((e) => e.closureDate === undefined)
  if (open.length === 0) return 'closed'
  if (open.some((e) => e.childProtectionPlans.some((p) => p.endDate === undefined))) return 'child-protection'
  if (open.some((e) => e.cinPlans.some((p) => p.endDate === undefined))) return 'child-in-need'
  return 'assessment'
}

function addChildRecords(
  run: ImportRun,
  ins: Inserts,
  child: CensusChild & { laChildId: string },
  personId: string,
  tree: PersonTree | undefined,
  counts: Record<string, number>,
): void {
  const { ctx } = run
  const partnershipId = ctx.actor.partnershipId
  const recordedBy = ctx.actor.userId
  const now = ctx.now()
  const count = (k: string) => (counts[k] = (counts[k] ?? 0) + 1)
  const revision = (caseId: string, entity: string, row: { id: string }) =>
    ins.revisions.push({ partnershipId, caseId, entity, entityId: row.id, version: 1, data: row, recordedAt: now, recordedBy })
  const stamp = { partnershipId, recordedBy, createdAt: now, updatedAt: now }

  let caseId = tree?.latestCaseId ?? null
  const episodeKeys = ordinalKeys(child.episodes, (e) => e.referralDate!)
  const newEpisodes = child.episodes.some((_, i) => !tree?.episodes.has(episodeKeys[i]!))
  if (caseId === null && newEpisodes) {
    caseId = randomUUID()
    const referrals = child.episodes.map((e) => e.referralDate!).sort()
    const status = caseStatus(child)
    const closures = child.episodes.map((e) => e.closureDate ?? '').sort()
    const row = {
      id: caseId,
      partnershipId,
      personId,
      status,
      openedOn: referrals[0]!,
      closedOn: status === 'closed' ? closures[closures.length - 1]! : null,
      createdAt: now,
      updatedAt: now,
    }
    ins.cases.push(row)
    revision(caseId, 'case', row)
    count('case')
  }

  const referralDates = child.episodes.map((e) => e.referralDate!).sort()
  child.episodes.forEach((e, i) => {
    const existing = tree?.episodes.get(episodeKeys[i]!)
    let node: EpisodeNode
    if (existing) node = existing
    else {
      const id = randomUUID()
      const earlier = referralDates.filter((d) => d < e.referralDate!)
      const last = earlier[earlier.length - 1]
      const row = {
        id,
        ...stamp,
        caseId: caseId!,
        referralDate: e.referralDate!,
        referralSource: e.referralSource!,
        primaryNeed: e.primaryNeedCode ?? null,
        referralNfa: yes(e.referralNfa),
        closureDate: e.closureDate ?? null,
        closureReason: e.reasonForClosure ?? null,
        rereferral: last !== undefined && addMonths(last, 12) >= e.referralDate!,
      }
      ins.episodes.push(row)
      revision(caseId!, 'cin-episode', row)
      count('cin-episode')
      node = { id, caseId: caseId!, assessments: new Set(), cinPlans: new Set(), cpPlans: new Map(), section47s: new Map(), episodeIcpc: new Set() }
    }
    addEpisodeRecords(ins, e, node, stamp, revision, count)
  })
}

type Stamp = { partnershipId: string; recordedBy: string; createdAt: Date; updatedAt: Date }

function addEpisodeRecords(
  ins: Inserts,
  e: CensusEpisode,
  node: EpisodeNode,
  stamp: Stamp,
  revision: (caseId: string, entity: string, row: { id: string }) => void,
  count: (kind: string) => void,
): void {
  const base = { ...stamp, caseId: node.caseId, episodeId: node.id }
  const create = <R extends { id: string }>(list: object[], entity: string, row: R): R => {
    list.push(row)
    revision(node.caseId, entity, row)
    count(entity)
    return row
  }

  ordinalKeys(e.assessments, (a) => a.startDate!).forEach((k, i) => {
    if (node.assessments.has(k)) return
    const a = e.assessments[i]!
    create(ins.assessments, 'assessment', {
      id: randomUUID(),
      ...base,
      kind: 'single',
      startedOn: a.startDate!,
      completedOn: a.authorisationDate ?? null,
      authorisedOn: a.authorisationDate ?? null,
      factors: a.factors ?? [],
    })
  })

  ordinalKeys(e.cinPlans, (p) => p.startDate!).forEach((k, i) => {
    if (node.cinPlans.has(k)) return
    const p = e.cinPlans[i]!
    create(ins.plans, 'plan', { id: randomUUID(), ...base, kind: 'child-in-need', startedOn: p.startDate!, endedOn: p.endDate ?? null })
  })

  const cpKeys = ordinalKeys(e.childProtectionPlans, (p) => p.startDate!)
  const planOnDay = new Set(e.childProtectionPlans.map((p) => p.startDate))
  ordinalKeys(e.section47s, (s) => s.startDate!).forEach((k, i) => {
    const s = e.section47s[i]!
    const notRequired = yes(s.icpcNotRequired)
    let enquiry = node.section47s.get(k)
    if (!enquiry) {
      const discussion = create(ins.discussions, 'strategy-discussion', {
        id: randomUUID(),
        ...base,
        heldAt: new Date(`${s.startDate}T00:00:00Z`),
        attendees: [],
        informationShared: S47_DISCUSSION_NOTE,
        decision: 's47-single',
      })
      const outcome = notRequired ? 'not-substantiated' : s.dateOfInitialCpc ? 'substantiated-continuing-risk' : null
      const row = create(ins.section47s, 'section47', {
        id: randomUUID(),
        ...base,
        strategyDiscussionId: discussion.id,
        startedOn: s.startDate!,
        outcome,
        completedOn: outcome ? (s.dateOfInitialCpc ?? s.startDate!) : null,
        icpcTarget: s.initialCpcTarget ?? null,
      })
      enquiry = { id: row.id, icpc: false }
    }
    if (s.dateOfInitialCpc && !enquiry.icpc) {
      create(ins.conferences, 'conference', {
        id: randomUUID(),
        ...base,
        section47Id: enquiry.id,
        kind: 'initial',
        scheduledFor: s.dateOfInitialCpc,
        heldOn: s.dateOfInitialCpc,
        decision: planOnDay.has(s.dateOfInitialCpc) ? 'plan' : 'no-plan',
      })
    }
  })

  if (e.dateOfInitialCpc && !node.episodeIcpc.has(e.dateOfInitialCpc)) {
    create(ins.conferences, 'conference', {
      id: randomUUID(),
      ...base,
      kind: 'initial',
      scheduledFor: e.dateOfInitialCpc,
      heldOn: e.dateOfInitialCpc,
      decision: planOnDay.has(e.dateOfInitialCpc) ? 'plan' : 'no-plan',
    })
  }

  cpKeys.forEach((k, i) => {
    const p = e.childProtectionPlans[i]!
    let existing = node.cpPlans.get(k)
    if (!existing) {
      const row = create(ins.plans, 'plan', {
        id: randomUUID(),
        ...base,
        kind: 'child-protection',
        startedOn: p.startDate!,
        endedOn: p.endDate ?? null,
        initialCategory: p.initialCategory!,
        latestCategory: p.latestCategory ?? p.initialCategory!,
      })
      if (p.numberOfPreviousCpp !== undefined) {
        ins.imported.push({ entity: 'plan', entityId: row.id, census: { numberOfPreviousCpp: p.numberOfPreviousCpp } })
      }
      existing = { id: row.id, reviews: new Set() }
    }
    const planId = existing.id
    const reviews = p.reviews ?? []
    ordinalKeys(reviews, (d) => d).forEach((rk, j) => {
      if (existing.reviews.has(rk)) return
      create(ins.conferences, 'conference', {
        id: randomUUID(),
        ...base,
        planId,
        kind: 'review',
        scheduledFor: reviews[j]!,
        heldOn: reviews[j]!,
        decision: 'continue',
      })
    })
  })
}
