export { EDITION_YEARS, EDITIONS, editionInForce, findEdition, type Edition, type EditionYear } from './editions.ts'
export { RULE_IDS, RULES, findRule, listRules, type RuleId, type Strength, type TimescaleRule } from './rules.ts'
export { TIMESCALE_UNITS, addDuration, describeDuration, type Duration, type TimescaleUnit } from './duration.ts'
export {
  applyRule,
  dueDate,
  resolveDue,
  type AppliedRule,
  type DueDate,
  type TimescaleQuery,
} from './due-date.ts'
export {
  clockStateOn,
  clockStatus,
  type ClockProgress,
  type ClockQuery,
  type ClockState,
  type ClockStatus,
} from './clock-status.ts'
export {
  DEFAULT_LOCAL_RULES,
  LocalRulesError,
  localRuleOverridesSchema,
  mergeLocalRules,
  applyLocalRuleChanges,
  localRuleChangesSchema,
  type LocalRuleChanges,
  type LocalRuleKey,
  type LocalRuleOverrides,
  type LocalRuleSettings,
} from './local-rules.ts'
export {
  NoEditionInForceError,
  RuleNotInEditionError,
  RuleNotInForceError,
  TimescaleError,
  UnknownEditionError,
  UnknownRuleError,
} from './errors.ts'
export {
  dueFromRecord,
  dueWithClocks,
  RULES_DERIVED_FROM_RECORD,
  type CaseRecordSummary,
  type DueFromRecord,
  type DueItem,
  type DueWhat,
  type OpenPlanRecord,
} from './due-from-record.ts'
export {
  EPO_DAYS,
  EPO_EXTENSION_DAYS,
  POLICE_PROTECTION_HOURS,
  emergencyProtectionOrderEnds,
  epoExtensionEnds,
  isPublicHoliday,
  policeProtectionEnds,
  prebirthConferenceDue,
  pregnancyStart,
  RETURN_HOME_INTERVIEW_HOURS,
  returnHomeInterviewDue,
} from './protection.ts'
export {
  LEAVING_CARE_SUPPORT_NOTICE_MONTHS,
  LEAVING_CARE_SUPPORT_RULES,
  leavingCareSupportDue,
  leavingCareSupportMetOn,
  type LeavingCareSupportDue,
  type LeavingCareSupportRule,
} from './leaving-care-support.ts'
