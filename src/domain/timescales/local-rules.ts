import { z } from 'zod'
import { TIMESCALE_UNITS, type Duration } from './duration.ts'
import { DEFAULT_LA_CHILD_ID_FORMAT, laChildIdFormatProblem } from '../journey/la-child-id.ts'

/**
 * Time limits that are not national rules, so each local safeguarding partnership sets its own
 * (working-together.md §1.1, strength "Local"). Every field has a default used until the
 * partnership overrides it.
 */
export interface LocalTimescales {
  /**
   * ICPC that made the plan → first core group. Default 10 working days: universal in local
   * procedures (Tees, Sefton, Newcastle); its place in national guidance is unverified (T12, Q3).
   */
  firstCoreGroup: Duration
  /**
   * Core group → next core group. Default 4 weeks: Sefton, Newcastle and Blackpool meet 4-weekly;
   * Tees and Wales allow up to 6 weeks (T13).
   */
  coreGroupCadence: Duration
  /**
   * Statutory visit → next visit to a child on a child protection plan. Default 10 working days
   * (Darlington's measure; Wirral uses 3 weeks) (T14).
   */
  childProtectionVisits: Duration
  /**
   * Decision to hold a strategy discussion → discussion held. Default 24 hours (Tees); national
   * guidance sets no figure (T07).
   */
  strategyDiscussion: Duration
  /**
   * Receiving authority notified of a child on a plan moving in → transfer-in conference.
   * Default 15 working days (Tees, Norfolk) (T19).
   */
  transferInConference: Duration
  /**
   * Advance copy of a practice review's report to the Panel and DfE → earliest publication.
   * Default 7 working days; the requirement is confirmed but the figure is not (T44, Q5).
   */
  advanceNotice: Duration
  /** Section 11 audit → next audit. Default 24 months (biennial: Bucks, London template) (T54). */
  section11Cycle: Duration
  /**
   * Start of the pregnancy (expected date of delivery less 40 weeks) → pre-birth child protection
   * conference. Default 28 weeks' gestation; local procedures differ (Sussex about 3 months before
   * the due date, Sefton by week 34) (T17).
   */
  prebirthConference: Duration
}

/** The local timescales, and the partnership's local choices that are not time limits. */
export interface LocalRuleSettings extends LocalTimescales {
  /**
   * Whether closing a child-in-need episode needs a team manager (the policy's 'case:authorise' on
   * the case): the manager closes it, which is the authorisation. Default false: the case's worker
   * closes it (issue 16, item 7).
   */
  episodeClosureAuthorisation: boolean
  /**
   * The format of the LA child IDs Together gives a child at their first episode (issue 17):
   * letters and digits around one run of `#`, the number. Default C#######.
   */
  laChildIdFormat: string
}

/** The settings that are not time limits. */
const CHOICES = ['episodeClosureAuthorisation', 'laChildIdFormat'] as const

export type LocalRuleKey = keyof LocalTimescales

export const DEFAULT_LOCAL_RULES: Readonly<LocalRuleSettings> = Object.freeze({
  firstCoreGroup: Object.freeze({ limit: 10, unit: 'working-days' }),
  coreGroupCadence: Object.freeze({ limit: 4, unit: 'weeks' }),
  childProtectionVisits: Object.freeze({ limit: 10, unit: 'working-days' }),
  strategyDiscussion: Object.freeze({ limit: 24, unit: 'hours' }),
  transferInConference: Object.freeze({ limit: 15, unit: 'working-days' }),
  advanceNotice: Object.freeze({ limit: 7, unit: 'working-days' }),
  section11Cycle: Object.freeze({ limit: 24, unit: 'months' }),
  prebirthConference: Object.freeze({ limit: 28, unit: 'weeks' }),
  episodeClosureAuthorisation: false,
  laChildIdFormat: DEFAULT_LA_CHILD_ID_FORMAT,
})

/** One override: a new limit, and optionally a new unit (otherwise the default's unit is kept). */
const durationOverride = z
  .object({
    limit: z.number().int().min(1).max(999),
    unit: z.enum(TIMESCALE_UNITS).optional(),
  })
  .strict()

/** A partnership's overrides, as stored in configuration: any subset of the settings. */
export const localRuleOverridesSchema = z
  .object({
    firstCoreGroup: durationOverride.optional(),
    coreGroupCadence: durationOverride.optional(),
    childProtectionVisits: durationOverride.optional(),
    strategyDiscussion: durationOverride.optional(),
    transferInConference: durationOverride.optional(),
    advanceNotice: durationOverride.optional(),
    section11Cycle: durationOverride.optional(),
    prebirthConference: durationOverride.optional(),
    episodeClosureAuthorisation: z.boolean().optional(),
    laChildIdFormat: z
      .string()
      .superRefine((format, issues) => {
        const problem = laChildIdFormatProblem(format)
        if (problem) issues.addIssue({ code: 'custom', message: problem })
      })
      .optional(),
  })
  .strict()

export type LocalRuleOverrides = z.infer<typeof localRuleOverridesSchema>

/**
 * A change to some of the overrides: a setting given is set, `null` returns it to its default, a
 * setting left out keeps what is stored (a page or client that does not show a setting never
 * drops it).
 */
export type LocalRuleChanges = { [K in keyof LocalRuleOverrides]?: LocalRuleOverrides[K] | null }

export const localRuleChangesSchema: z.ZodType<LocalRuleChanges> = z
  .object(Object.fromEntries(Object.entries(localRuleOverridesSchema.shape).map(([key, field]) => [key, field.unwrap().nullable().optional()])))
  .strict()

/** The stored overrides with `changes` laid over them (null: back to the default). */
export function applyLocalRuleChanges(overrides: LocalRuleOverrides, changes: LocalRuleChanges): LocalRuleOverrides {
  const next: Record<string, unknown> = { ...overrides }
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete next[key]
    else if (value !== undefined) next[key] = value
  }
  return next as LocalRuleOverrides
}

/** Overrides that fail validation; `issues` lists every problem, `message` the first. */
export class LocalRulesError extends Error {
  override name = 'LocalRulesError'
  constructor(readonly issues: readonly string[]) {
    super(`invalid local rules: ${issues.join('; ')}`)
  }
}

/** Validates a partnership's overrides and lays them over the defaults. */
export function mergeLocalRules(
  overrides: unknown,
  defaults: Readonly<LocalRuleSettings> = DEFAULT_LOCAL_RULES,
): LocalRuleSettings {
  const parsed = localRuleOverridesSchema.safeParse(overrides ?? {})
  if (!parsed.success) {
    throw new LocalRulesError(
      parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(settings)'}: ${issue.message}`),
    )
  }
  const merged = {
    ...defaults,
    episodeClosureAuthorisation: parsed.data.episodeClosureAuthorisation ?? defaults.episodeClosureAuthorisation,
    laChildIdFormat: parsed.data.laChildIdFormat ?? defaults.laChildIdFormat,
  }
  for (const key of Object.keys(defaults).filter((k) => !(CHOICES as readonly string[]).includes(k)) as LocalRuleKey[]) {
    const override = parsed.data[key]
    if (override) merged[key] = { limit: override.limit, unit: override.unit ?? defaults[key].unit }
  }
  return merged
}
