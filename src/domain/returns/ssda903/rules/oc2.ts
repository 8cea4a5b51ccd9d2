/** Children looked after 12 months (OC2): health, SDQ, offending, substance misuse (26). */
import { SDQ_REASON } from '../codesets.ts'
import type { ChildRecord, Oc2Row } from '../model.ts'
import type { ChildRule, Context, Report } from '../rule.ts'
import { ageAt, birthday, lookedAfter12Months } from './helpers.ts'

const FLAGS = ['CONVICTED', 'HEALTH_CHECK', 'IMMUNISATIONS', 'TEETH_CHECK', 'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE', 'INTERVENTION_RECEIVED', 'INTERVENTION_OFFERED'] as const
const HEALTH = ['IMMUNISATIONS', 'TEETH_CHECK', 'HEALTH_ASSESSMENT', 'SUBSTANCE_MISUSE'] as const
const anyFlag = (r: Oc2Row) => FLAGS.some((f) => r[f] !== '')
const hasSdq = (r: Oc2Row) => r.SDQ_SCORE !== '' || r.SDQ_REASON !== ''
const la12 = (child: ChildRecord, ctx: Context) => lookedAfter12Months(child, ctx)
/** Aged 4 to 16 the whole year: 4 by 1 April, not yet 17 on 31 March. */
const sdqAgeAllYear = (child: ChildRecord, ctx: Context) => ageAt(child, ctx.start) >= 4 && ageAt(child, ctx.end) < 17

type Oc2Check = Omit<ChildRule, 'table' | 'needs' | 'check'> & {
  needs?: ChildRule['needs']
  fails?: (row: Oc2Row, child: ChildRecord, ctx: Context) => boolean
  /** Report the listed fields that are blank, when `when` holds. */
  blank?: { when: (row: Oc2Row, child: ChildRecord, ctx: Context) => boolean; fields: readonly (keyof Oc2Row)[] }
}

const oc2Rule = (r: Oc2Check): ChildRule => ({
  code: r.code, type: r.type, table: 'OC2', field: r.field, message: r.message, needs: r.needs ?? ['OC2'], rows: 'oc2',
  check(child, ctx, report: Report) {
    for (const row of child.oc2) {
      if (r.fails?.(row, child, ctx)) report()
      if (r.blank?.when(row, child, ctx)) for (const f of r.blank.fields) if (row[f] === '') report(String(f))
    }
  },
})

const EPISODES_OC2 = ['Episodes', 'OC2', 'Header'] as const

export const OC2_RULES: ChildRule[] = [
  oc2Rule({
    code: '157', type: 'error', field: 'SDQ_REASON', needs: EPISODES_OC2,
    message: 'SDQ1 (too young or too old) cannot be the reason for a child aged 4 to 16 all year.',
    fails: (r, child, ctx) => r.SDQ_REASON === 'SDQ1' && sdqAgeAllYear(child, ctx),
  }),
  oc2Rule({ code: '158', type: 'error', field: 'INTERVENTION_OFFERED', message: "If an intervention was received, 'intervention offered' must be blank.", fails: (r) => r.INTERVENTION_RECEIVED === '1' && r.INTERVENTION_OFFERED !== '' }),
  oc2Rule({
    code: '159', type: 'error', field: 'INTERVENTION_OFFERED',
    message: "Substance misuse with no intervention received needs 'intervention offered'.",
    fails: (r) => r.SUBSTANCE_MISUSE === '1' && r.INTERVENTION_RECEIVED === '0' && r.INTERVENTION_OFFERED === '',
  }),
  oc2Rule({ code: '180', type: 'error', field: 'SDQ_SCORE', message: 'The SDQ score must be a whole number from 0 to 40.', fails: (r) => r.SDQ_SCORE !== '' && !(/^\d{1,2}$/.test(r.SDQ_SCORE) && Number(r.SDQ_SCORE) <= 40) }),
  {
    code: '181', type: 'error', table: 'OC2', field: 'CONVICTED', needs: ['OC2'],
    message: 'OC2 yes/no items must be 0 or 1.',
    check(child, _ctx, report) {
      for (const r of child.oc2) for (const f of FLAGS) if (r[f] !== '' && r[f] !== '0' && r[f] !== '1') report(f)
    },
  },
  oc2Rule({
    code: '182', type: 'error', field: 'IMMUNISATIONS',
    message: 'When any OC2 item is given, immunisations, teeth check, health assessment and substance misuse must be.',
    blank: { when: (r) => anyFlag(r) || hasSdq(r), fields: HEALTH },
  }),
  oc2Rule({ code: '185', type: 'error', field: 'SDQ_SCORE', needs: ['Episodes', 'OC2'], message: 'An SDQ score is only for a child looked after continuously for 12 months.', fails: (r, c, ctx) => r.SDQ_SCORE !== '' && !la12(c, ctx) }),
  oc2Rule({
    code: '186', type: 'error', field: 'SDQ_SCORE', needs: EPISODES_OC2,
    message: 'A child aged 4 to 16 looked after for 12 months needs an SDQ score or a reason.',
    fails: (r, c, ctx) => !hasSdq(r) && la12(c, ctx) && sdqAgeAllYear(c, ctx),
  }),
  {
    code: '187', type: 'error', table: 'OC3', field: 'IN_TOUCH', needs: ['Episodes', 'OC3', 'AD1'],
    message: 'A child looked after for 12 months cannot have adoption (AD1) or care leaver (OC3) data.',
    check(child, ctx, report) {
      if (!la12(child, ctx)) return
      for (const r of child.oc3) if (r.IN_TOUCH !== '' || r.ACTIV !== '' || r.ACCOM !== '') report()
      for (const r of child.ad1) if (r.DATE_INT !== '' || r.DATE_MATCH !== '' || r.FOSTER_CARE !== '') report('DATE_INT', 'AD1')
    },
  },
  oc2Rule({ code: '188', type: 'error', field: 'SDQ_SCORE', needs: ['OC2', 'Header'], message: 'No SDQ score or reason for a child under 4 at the end of the year.', fails: (r, c, ctx) => hasSdq(r) && ageAt(c, ctx.end) < 4 }),
  oc2Rule({ code: '189', type: 'error', field: 'SDQ_SCORE', needs: ['OC2', 'Header'], message: 'No SDQ score or reason for a young person 17 or over at the start of the year.', fails: (r, c, ctx) => hasSdq(r) && ageAt(c, ctx.start) >= 17 }),
  oc2Rule({ code: '190', type: 'error', field: 'CONVICTED', needs: ['Episodes', 'OC2'], message: 'OC2 items are only for a child looked after continuously for 12 months.', fails: (r, c, ctx) => anyFlag(r) && !la12(c, ctx) }),
  {
    code: '191', type: 'error', table: 'OC2', field: 'IMMUNISATIONS', needs: ['Episodes', 'OC2'],
    message: 'A child looked after for 12 months needs immunisations, teeth check, health assessment and substance misuse.',
    check(child, ctx, report) {
      if (!la12(child, ctx)) return
      if (child.oc2.length === 0) report('CHILD', 'Episodes')
      for (const r of child.oc2) for (const f of HEALTH) if (r[f] === '') report(f)
    },
  },
  oc2Rule({ code: '192', type: 'error', field: 'INTERVENTION_RECEIVED', message: "Substance misuse (1) needs 'intervention received'.", fails: (r) => r.SUBSTANCE_MISUSE === '1' && r.INTERVENTION_RECEIVED === '' }),
  oc2Rule({
    code: '193', type: 'error', field: 'INTERVENTION_RECEIVED',
    message: 'No intervention items without substance misuse (1).',
    fails: (r) => r.SUBSTANCE_MISUSE !== '1' && (r.INTERVENTION_RECEIVED !== '' || r.INTERVENTION_OFFERED !== ''),
  }),
  oc2Rule({ code: '196', type: 'error', field: 'SDQ_REASON', message: 'SDQ reason must be SDQ1-SDQ5.', fails: (r) => r.SDQ_REASON !== '' && !SDQ_REASON.has(r.SDQ_REASON) }),
  oc2Rule({
    code: '197B', type: 'error', field: 'SDQ_REASON', needs: EPISODES_OC2,
    message: 'A child turning 4 or 17 in the year, looked after for 12 months, needs an SDQ score or reason.',
    fails: (r, c, ctx) => {
      if (hasSdq(r) || !la12(c, ctx)) return false
      const turns = (n: number) => birthday(c, n) >= ctx.start && birthday(c, n) <= ctx.end
      return turns(4) || turns(17)
    },
  }),
  oc2Rule({ code: '197a', type: 'error', field: 'SDQ_REASON', message: 'An SDQ score and an SDQ reason cannot both be given.', fails: (r) => r.SDQ_SCORE !== '' && r.SDQ_REASON !== '' }),
  oc2Rule({ code: '198', type: 'error', field: 'SDQ_REASON', needs: ['Episodes', 'OC2'], message: 'An SDQ reason is only for a child looked after continuously for 12 months.', fails: (r, c, ctx) => r.SDQ_REASON !== '' && !la12(c, ctx) }),
  oc2Rule({
    code: '215', type: 'error', field: 'CONVICTED', needs: ['OC2', 'OC3'],
    message: 'A care leaver (OC3) cannot also have OC2 items.',
    fails: (r, c) => anyFlag(r) && c.oc3.some((o) => o.IN_TOUCH !== '' || o.ACTIV !== '' || o.ACCOM !== ''),
  }),
  oc2Rule({ code: '542', type: 'error', field: 'CONVICTED', needs: ['OC2', 'Header'], message: 'No conviction item for a child under 10 at the end of the year.', fails: (r, c, ctx) => r.CONVICTED !== '' && ageAt(c, ctx.end) < 10 }),
  oc2Rule({ code: '543', type: 'error', field: 'CONVICTED', needs: EPISODES_OC2, message: 'The conviction item is needed for a child 10 or over looked after for 12 months.', fails: (r, c, ctx) => r.CONVICTED === '' && ageAt(c, ctx.end) >= 10 && la12(c, ctx) }),
  oc2Rule({ code: '544', type: 'error', field: 'IMMUNISATIONS', message: 'Conviction (1) needs the four health items.', blank: { when: (r) => r.CONVICTED === '1', fields: HEALTH } }),
  oc2Rule({ code: '545', type: 'error', field: 'HEALTH_CHECK', needs: EPISODES_OC2, message: 'Health surveillance is needed for a child under 5 looked after for 12 months.', fails: (r, c, ctx) => r.HEALTH_CHECK === '' && ageAt(c, ctx.end) < 5 && la12(c, ctx) }),
  oc2Rule({ code: '546', type: 'error', field: 'HEALTH_CHECK', needs: EPISODES_OC2, message: 'No health surveillance item for a child 5 or over.', fails: (r, c, ctx) => r.HEALTH_CHECK !== '' && ageAt(c, ctx.end) >= 5 }),
  oc2Rule({ code: '547', type: 'error', field: 'IMMUNISATIONS', message: 'Health surveillance (1) needs the four health items.', blank: { when: (r) => r.HEALTH_CHECK === '1', fields: HEALTH } }),
]
