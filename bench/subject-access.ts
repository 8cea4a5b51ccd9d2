// Benchmark: compiling a subject access bundle (issue 18, Speed: under 10 s for a child with five
// years of synthetic history). Seeds N synthetic children (`together seed --synthetic`'s generator,
// five years of journeys) into a throwaway embedded database (or the PostgreSQL of --url), takes the
// child whose case has the longest history, records a request about them as the data protection
// officer and times compileSubjectAccessBundle (every case read through the policy and audited, the
// chronology derived, notes and documents listed, the items written) and then the release (every item
// released, approved by a second person, the PDF made and kept). Baseline in the same run: reading
// the same case's record revisions once (the chronology's one query). Prints one JSON object; exits 1
// if the target is missed.
//   node --import tsx bench/subject-access.ts [--children 200] [--runs 3] [--url postgres://…]
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { parseArgs } from 'node:util'
import { and, eq, sql } from 'drizzle-orm'
import { openDatabase, queryRows } from '../src/db/connection.ts'
import { runMigrations } from '../src/db/migrate.ts'
import { agency, childCase } from '../src/db/schema/index.ts'
import { loadActor } from '../src/services/access/accounts.ts'
import type { ServiceContext } from '../src/services/common/context.ts'
import { seedSynthetic } from '../src/services/demo/synthetic/seed.ts'
import { revisionsOfCase } from '../src/services/journey/chronology.ts'
import { insertUser } from '../src/services/organisation/organisation.ts'
import { subjectAccessItemDecision, subjectAccessNew } from '../src/services/records/subject-access-input.ts'
import {
  approveSubjectAccessRelease,
  compileSubjectAccessBundle,
  decideSubjectAccessItem,
  getSubjectAccessRequest,
  recordSubjectAccessRequest,
  submitSubjectAccessReview,
} from '../src/services/records/subject-access.ts'

const { values: args } = parseArgs({ options: { children: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' }, url: { type: 'string' } } })
const CHILDREN = Number(args.children)
const RUNS = Number(args.runs)
const TARGET_MS = 10_000
const log = (message: string) => process.stderr.write(`${message}\n`)
const ms = (from: number) => Math.round(performance.now() - from)

const database = await openDatabase(args.url ? { kind: 'postgres', url: args.url } : { kind: 'pglite', dataDir: null })
try {
  await runMigrations(database)
  const db = database.db
  log(`seeding ${CHILDREN} synthetic children (five years)…`)
  const seeded = await seedSynthetic(database, { children: CHILDREN, seed: 7 })
  const [longest] = await queryRows<{ caseId: string; personId: string; revisions: number }>(
    db,
    sql`select c.id as "caseId", c.person_id as "personId", count(r.id)::int as revisions
        from child_case c join person p on p.id = c.person_id join record_revision r on r.case_id = c.id
        where c.partnership_id = ${seeded.partnershipId} and not c.restricted and not p.restricted
        group by c.id order by revisions desc limit 1`,
  )
  if (!longest) throw new Error('no synthetic case')
  const cases = await db.select({ id: childCase.id }).from(childCase).where(and(eq(childCase.personId, longest.personId)))
  const [anAgency] = await db.select({ id: agency.id }).from(agency).where(eq(agency.partnershipId, seeded.partnershipId)).limit(1)
  const user = async (role: 'auditor' | 'team-manager', n: number) => {
    const { id } = await insertUser(db, seeded.partnershipId, { displayName: `Bench ${role} ${n}`, email: `bench-${role}-${n}-${Date.now()}@bench.together.invalid`, agencyId: anAgency!.id, teamId: null, roles: [role], active: true })
    return (await loadActor(db, id))!
  }
  const ctxOf = async (role: 'auditor' | 'team-manager', n: number): Promise<ServiceContext> => ({ db, actor: await user(role, n), requestId: `bench-${role}-${n}`, now: () => new Date('2026-11-20T10:00:00Z') })

  const baseline: number[] = []
  const compile: number[] = []
  const releases: number[] = []
  let items = 0
  for (let run = 0; run < RUNS; run++) {
    let t = performance.now()
    await revisionsOfCase(db, seeded.partnershipId, longest.caseId)
    baseline.push(ms(t))

    const dpo = await ctxOf('auditor', run)
    const { id } = await recordSubjectAccessRequest(dpo, subjectAccessNew.parse({ requesterName: 'A fictional parent', requesterKind: 'parent', requesterRelationship: 'Mother', receivedOn: '2026-11-02', personIds: [longest.personId] }))
    t = performance.now()
    items = (await compileSubjectAccessBundle(dpo, id, 1)).items
    compile.push(ms(t))

    const view = await getSubjectAccessRequest(dpo, id)
    for (const item of view.items) await decideSubjectAccessItem(dpo, id, item.id, subjectAccessItemDecision.parse({ decision: 'released', version: item.version }))
    await submitSubjectAccessReview(dpo, id, view.request.version)
    const approver = await ctxOf('team-manager', run)
    t = performance.now()
    await approveSubjectAccessRelease(approver, id, view.request.version + 1)
    releases.push(ms(t))
    log(`run ${run + 1}: revisions ${baseline.at(-1)} ms, compile ${compile.at(-1)} ms (${items} items), release with PDF ${releases.at(-1)} ms`)
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const result = {
    benchmark: 'subject-access-bundle',
    engine: args.url ? 'postgresql' : 'pglite (embedded)',
    children: CHILDREN,
    child: { cases: cases.length, recordRevisions: longest.revisions, bundleItems: items },
    baselineRevisionsReadMs: median(baseline),
    compileMs: median(compile),
    releaseWithPdfMs: median(releases),
    runs: { baseline, compile, release: releases },
    targetMs: TARGET_MS,
    met: median(compile) < TARGET_MS,
    machine: { platform: `${platform()} ${release()}`, cpus: cpus().length, cpu: cpus()[0]?.model, memoryGiB: Math.round(totalmem() / 2 ** 30), loadavg: loadavg().map((l) => Math.round(l * 100) / 100), node: process.version },
  }
  console.log(JSON.stringify(result, null, 2))
  if (!result.met) process.exitCode = 1
} finally {
  await database.close()
}
