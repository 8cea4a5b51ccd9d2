/** Section 11 audits: a cycle for two agencies from issue to agreement with actions, comparison between cycles, and who may see what. */
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { eq } from 'drizzle-orm'
import type { TestDatabase } from '../../../../test/support/database.ts'
import { openTestWorld, World } from '../../../../test/support/fixtures.ts'
import { auditEvent, task } from '../../../db/schema/index.ts'
import { AccessDenied, EditConflict, ValidationFailed } from '../../common/context.ts'
import { addSection11Action, closeSection11Action, getSection11Action, giveSection11Evidence, mySection11Actions } from './actions.ts'
import { getCycle, issueCycle, listCycles } from './cycles.ts'
import { templateInput } from './input.ts'
import { agreeReturn, getReturn, myReturns, raiseChallenge, respondToChallenge, saveAnswers } from './returns.ts'
import { createTemplate, DEFAULT_STANDARDS_TEXT, getTemplate, listTemplates, updateTemplate } from './templates.ts'

let database: TestDatabase
let world: World
after(() => database.close())
before(async () => ({ database, world } = await openTestWorld()))

type Rating = 'met' | 'partly-met' | 'not-met'
const all = (rating: Rating, codes = ['1', '2', '3', '4', '5', '6']) => Object.fromEntries(codes.map((c) => [c, { rating, evidence: `Evidence for ${c}` }]))

describe('section 11 audits', () => {
  test('a cycle for two agencies: answers, a challenge, agreement, an action to closure, and comparison with the earlier cycle', async () => {
    const unit = await world.user(['business-unit'], { team: null })
    const school = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const schoolColleague = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const ctx = world.ctx(unit)
    const template = await createTemplate(ctx, templateInput.parse({ name: 'Working Together standards', standards: DEFAULT_STANDARDS_TEXT }))
    assert.equal(template.standards.length, 6)

    // An earlier cycle, agreed with the school at "partly met" throughout.
    const earlier = await issueCycle(ctx, { templateId: template.id, name: '2024 audit', issuedOn: '2024-10-01', answersDueOn: '2024-12-01', contactUserIds: [school.userId] })
    assert.equal(earlier.nextCycleDueOn, '2026-10-01', 'two years by default')
    const [earlierReturn] = (await getCycle(ctx, earlier.id)).returns
    await saveAnswers(world.ctx(school), earlierReturn!.id, { answers: all('partly-met'), submit: true, version: 1 })
    await agreeReturn(ctx, earlierReturn!.id, { ratings: Object.fromEntries(['1', '2', '3', '4', '5', '6'].map((c) => [c, 'partly-met'])), version: 2 })

    // Editing the template later does not change the issued cycles.
    const withOnline = templateInput.parse({ name: 'Working Together standards', standards: `${DEFAULT_STANDARDS_TEXT}\n\nOnline safety\n- Staff know how to keep children safe online` })
    const edited = await updateTemplate(ctx, template.id, { ...withOnline, version: 1 })
    assert.equal(edited.standards.length, 7)
    assert.equal((await getCycle(ctx, earlier.id)).standards.length, 6)
    await assert.rejects(updateTemplate(ctx, template.id, { name: 'x', standards: template.standards, version: 1 }), EditConflict)
    assert.equal((await getTemplate(ctx, template.id)).standardsText.includes('Online safety'), true)

    const cycle = await issueCycle(ctx, { templateId: template.id, name: '2026 audit', issuedOn: '2026-10-01', answersDueOn: '2026-11-30', contactUserIds: [school.userId, police.userId] })
    const listed = await listCycles(ctx)
    assert.equal(listed.nextDueOn, '2028-10-01')
    assert.deepEqual(listed.cycles.map((c) => [c.name, c.returns]), [['2026 audit', 2], ['2024 audit', 1]])
    const { returns } = await getCycle(ctx, cycle.id)
    const schoolReturn = returns.find((r) => r.agencyId === world.agencies.school)!
    const policeReturn = returns.find((r) => r.agencyId === world.agencies.police)!
    // The school starts from the ratings agreed in 2024 (the new seventh standard has none); the police had no earlier cycle.
    assert.deepEqual((await getReturn(world.ctx(school), schoolReturn.id)).carriedForward, {
      cycleName: '2024 audit',
      ratings: Object.fromEntries(['1', '2', '3', '4', '5', '6'].map((c) => [c, 'partly-met'])),
    })
    assert.equal((await getReturn(world.ctx(police), policeReturn.id)).carriedForward, null)

    // The school: any practitioner of the agency may answer; submitting needs every standard.
    const codes = ['1', '2', '3', '4', '5', '6', '7']
    const colleagueCtx = world.ctx(schoolColleague)
    assert.deepEqual((await myReturns(colleagueCtx)).map((r) => r.id).sort(), [earlierReturn!.id, schoolReturn.id].sort())
    await saveAnswers(colleagueCtx, schoolReturn.id, { answers: { '1': { rating: 'met', evidence: 'Board lead named' } }, submit: false, version: 1 })
    await assert.rejects(saveAnswers(colleagueCtx, schoolReturn.id, { answers: { '1': { rating: 'met', evidence: 'Board lead named' } }, submit: true, version: 2 }), (err: unknown) => {
      assert.ok(err instanceof ValidationFailed)
      assert.equal(err.fieldErrors['rating-2'], 'Select a rating for standard 2')
      return true
    })
    await saveAnswers(world.ctx(school), schoolReturn.id, { answers: { ...all('met', codes), '3': { rating: 'not-met', evidence: 'Checks are patchy' } }, submit: true, version: 2 })
    const [schoolTask] = await database.db.select().from(task).where(eq(task.assigneeUserId, school.userId))
    assert.equal(schoolTask?.status, 'done')

    // The police answer too.
    await saveAnswers(world.ctx(police), policeReturn.id, { answers: all('met', codes), submit: true, version: 1 })

    // The business unit challenges standard 1 of the school; agreement waits for the answer.
    await raiseChallenge(ctx, schoolReturn.id, { standardCode: '1', comment: 'Who is the board lead?', version: 3 })
    await assert.rejects(agreeReturn(ctx, schoolReturn.id, { ratings: {}, version: 4 }), ValidationFailed)
    await respondToChallenge(world.ctx(school), schoolReturn.id, { standardCode: '1', response: 'The head teacher; minutes attached', rating: 'partly-met', version: 4 })
    let view = await getReturn(ctx, schoolReturn.id)
    assert.equal(view.ret.status, 'submitted')
    assert.equal(view.answers['1']!.rating, 'partly-met')
    assert.equal(view.reviews['1']!.challenges[0]!.response, 'The head teacher; minutes attached')
    await assert.rejects(agreeReturn(ctx, schoolReturn.id, { ratings: { '1': 'met' }, version: 5 }), (err: unknown) => err instanceof ValidationFailed && 'agreed-2' in err.fieldErrors)
    await agreeReturn(ctx, schoolReturn.id, { ratings: { ...Object.fromEntries(codes.map((c) => [c, 'met'])), '1': 'partly-met', '3': 'not-met' }, version: 5 })

    // An action for standard 3, owned by the school, tracked to closure.
    await assert.rejects(addSection11Action(ctx, schoolReturn.id, { standardCode: '3', text: 'Audit recruitment files', ownerUserId: police.userId, actionDueOn: '2026-11-19' }), ValidationFailed)
    const action = await addSection11Action(ctx, schoolReturn.id, { standardCode: '3', text: 'Audit recruitment files', ownerUserId: school.userId, actionDueOn: '2026-11-19' })
    const [mine] = await mySection11Actions(world.ctx(school))
    assert.equal(mine?.overdue, true)
    await assert.rejects(giveSection11Evidence(colleagueCtx, action.id, { evidence: 'Done', completedOn: '2026-11-18', version: 1 }), AccessDenied)
    await assert.rejects(closeSection11Action(ctx, action.id, { version: 1 }), ValidationFailed)
    await giveSection11Evidence(world.ctx(school), action.id, { evidence: 'All files audited', completedOn: '2026-11-18', version: 1 })
    assert.equal((await getSection11Action(ctx, action.id)).mayClose, true)
    await assert.rejects(closeSection11Action(world.ctx(school), action.id, { version: 2 }), AccessDenied)
    await closeSection11Action(ctx, action.id, { version: 2 })

    // Comparison: standard 3 got worse, 1 stayed, the rest improved, 7 is new.
    view = await getReturn(world.ctx(school), schoolReturn.id)
    assert.equal(view.comparison.previousCycleName, '2024 audit')
    assert.deepEqual(
      view.comparison.rows.map((r) => [r.code, r.movement]),
      [['1', 'same'], ['2', 'improved'], ['3', 'worse'], ['4', 'improved'], ['5', 'improved'], ['6', 'improved'], ['7', 'new']],
    )
    assert.equal(view.actions[0]!.status, 'closed')
    const policeView = await getReturn(ctx, policeReturn.id)
    assert.equal(policeView.comparison.previousCycleName, null)
  })

  test('an agency sees only its own self-assessment; others are refused, and refusals are audited', async () => {
    const unit = await world.user(['business-unit'], { team: null })
    const school = await world.user(['partner-practitioner'], { agency: 'school', team: null })
    const police = await world.user(['partner-practitioner'], { agency: 'police', team: null })
    const worker = await world.user(['social-worker'])
    const analyst = await world.user(['performance-analyst'])
    const ctx = world.ctx(unit)
    const [template] = await listTemplates(ctx)
    const cycle = await issueCycle(ctx, { templateId: template!.id, name: 'Access check', issuedOn: '2026-11-01', answersDueOn: '2026-12-01', contactUserIds: [school.userId] })
    const [ret] = (await getCycle(ctx, cycle.id)).returns

    await getReturn(world.ctx(school), ret!.id)
    for (const outsider of [police, worker, analyst]) {
      await assert.rejects(getReturn(world.ctx(outsider), ret!.id), AccessDenied)
      await assert.rejects(saveAnswers(world.ctx(outsider), ret!.id, { answers: {}, submit: false, version: 1 }), AccessDenied)
    }
    assert.equal((await myReturns(world.ctx(police))).some((r) => r.id === ret!.id), false)
    for (const notUnit of [school, police, worker, analyst]) {
      await assert.rejects(listCycles(world.ctx(notUnit)), AccessDenied)
      await assert.rejects(getCycle(world.ctx(notUnit), cycle.id), AccessDenied)
      await assert.rejects(listTemplates(world.ctx(notUnit)), AccessDenied)
    }
    await assert.rejects(raiseChallenge(world.ctx(school), ret!.id, { standardCode: '1', comment: 'x', version: 1 }), AccessDenied)
    await assert.rejects(saveAnswers(ctx, ret!.id, { answers: {}, submit: false, version: 1 }), AccessDenied, 'the business unit does not answer for an agency')
    await assert.rejects(
      issueCycle(ctx, { templateId: template!.id, name: 'Bad', issuedOn: '2026-11-01', answersDueOn: '2026-12-01', contactUserIds: [worker.userId] }),
      ValidationFailed,
      'a social worker does not answer for an agency',
    )
    const refusals = await database.db.select().from(auditEvent).where(eq(auditEvent.recordId, ret!.id))
    assert.ok(refusals.some((e) => e.action === 'section11-return.read.refused'))
    assert.ok(refusals.some((e) => e.action === 'section11-return.answer.refused'))
    assert.ok(refusals.some((e) => e.action === 'section11-return.view' && e.ground === 'own-agency'))
  })
})
