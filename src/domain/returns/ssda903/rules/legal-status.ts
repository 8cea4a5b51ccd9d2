/** Legal status and age limits, durations (17). */
import { addYears, ageOn } from '../dates.ts'
import type { ChildRecord, Episode } from '../model.ts'
import type { ChildRule } from '../rule.ts'
import { episodeRule } from './episodes.ts'
import { birthday, dobOf } from './helpers.ts'

const ageAtStart = (e: Episode, child: ChildRecord) => ageOn(dobOf(child), e.decom)
const ageAtEnd = (e: Episode, child: ChildRecord) => ageOn(dobOf(child), e.dec)
const WITH_HEADER = ['Episodes', 'Header'] as const

/**
 * A legal status that may last only so long: consecutive episodes of that status (each starting
 * the day the one before ceased) are one run, open runs measured to 31 March. Episodes are taken
 * in date order (defect 11: the public validator's 363/364 sort and discard the result).
 */
function longRun(code: string, status: string, maxDays: number, message: string): ChildRule {
  return {
    code, type: 'error', table: 'Episodes', field: 'LS', needs: ['Episodes'], message,
    check(child, ctx, report) {
      let run: Episode[] = []
      const flush = () => {
        if (run.length === 0) return
        const last = run[run.length - 1]!
        const end = last.DEC === '' ? ctx.end : last.dec
        if (end - run[0]!.decom > maxDays) for (let k = 0; k < run.length; k++) report()
        run = []
      }
      for (const e of child.episodes) {
        if (Number.isNaN(e.decom) || e.LS !== status) {
          flush()
          continue
        }
        const previous = run[run.length - 1]
        if (previous !== undefined && previous.dec !== e.decom) flush()
        run.push(e)
      }
      flush()
    },
  }
}

export const LEGAL_STATUS_RULES: ChildRule[] = [
  episodeRule({
    code: '352', type: 'error', field: 'RNE', needs: WITH_HEADER,
    message: 'A child cannot start to be looked after (RNE S) aged 18 or over.',
    fails: (e, _ctx, child) => e.RNE === 'S' && ageAtStart(e, child) >= 18,
  }),
  episodeRule({
    code: '358', type: 'error', field: 'LS', needs: WITH_HEADER,
    message: 'Youth justice legal statuses J1-J3 need the child to be 10 or over when the episode starts.',
    fails: (e, _ctx, child) => ['J1', 'J2', 'J3'].includes(e.LS) && ageAtStart(e, child) < 10,
  }),
  episodeRule({
    code: '359', type: 'error', field: 'LS', needs: WITH_HEADER,
    message: 'A young person 19 or over at the end of the year still looked after must be under section 20(5) (V2) in a children\'s home (K2).',
    // Defect 17: dead in the public validator's order (365 has filled every blank DEC before it runs).
    fails: (e, ctx, child) => e.DEC === '' && addYears(dobOf(child), 19) <= ctx.end && !(e.LS === 'V2' && e.PLACE === 'K2'),
  }),
  longRun('361', 'L1', 3, 'Police protection (L1) cannot last more than 72 hours.'),
  longRun('362', 'L2', 21, 'An emergency protection order (L2) cannot last more than 21 days.'),
  longRun('363', 'L3', 7, 'A child assessment order (L3) cannot last more than 7 days.'),
  longRun('364', 'J2', 21, 'PACE accommodation (J2) cannot last more than 21 days.'),
  ...([
    ['371', 'K3', 16, 'Supported accommodation (K3) is only for young people 16 or over.'],
    ['372', 'R5', 10, 'Youth custody or prison (R5) is only for children 10 or over.'],
    ['373', 'S1', 4, 'A residential school (S1) is only for children 4 or over.'],
    ['374', 'P3', 14, 'Residential employment (P3) is only for young people 14 or over.'],
  ] as const).map(([code, place, age, message]) =>
    episodeRule({ code, type: 'error', field: 'PLACE', needs: WITH_HEADER, message, fails: (e, _ctx, child) => e.PLACE === place && ageAtStart(e, child) < age }),
  ),
  episodeRule({ code: '378', type: 'error', field: 'PLACE', message: 'A child cannot be placed with parents (P1) under single section 20 accommodation (V2).', fails: (e) => e.PLACE === 'P1' && e.LS === 'V2' }),
  episodeRule({
    code: '386', type: 'error', field: 'REC', needs: WITH_HEADER,
    message: 'Adoption (E11/E12) must happen before the 18th birthday.',
    fails: (e, _ctx, child) => (e.REC === 'E11' || e.REC === 'E12') && e.dec >= birthday(child, 18),
  }),
  episodeRule({
    code: '387', type: 'error', field: 'REC', needs: WITH_HEADER,
    message: 'Leaving care for independent living (E5/E6) needs the child to be 14 or over.',
    fails: (e, _ctx, child) => (e.REC === 'E5' || e.REC === 'E6') && ageAtEnd(e, child) < 14,
  }),
  episodeRule({
    code: '389', type: 'error', field: 'REC', needs: WITH_HEADER,
    message: 'Transfer to adult social care (E7) needs the young person to be 16 or over.',
    fails: (e, _ctx, child) => e.REC === 'E7' && ageAtEnd(e, child) < 16,
  }),
  episodeRule({
    code: '407', type: 'error', field: 'REC', needs: WITH_HEADER,
    message: 'A special guardianship order (E45-E48) must be made before the 18th birthday.',
    fails: (e, _ctx, child) => ['E45', 'E46', 'E47', 'E48'].includes(e.REC) && e.dec >= birthday(child, 18),
  }),
  episodeRule({
    code: '460', type: 'error', field: 'REC', needs: WITH_HEADER,
    message: 'E17 (stayed with carers at 18) needs the episode to cease on or after the 18th birthday.',
    fails: (e, _ctx, child) => e.REC === 'E17' && e.dec < birthday(child, 18),
  }),
]
