/**
 * The features of the child's journey: their page routers (mounted by app.ts) and their JSON API
 * operations (declared on the /api/v1 builder, so they appear in the OpenAPI document).
 */
import type { Router } from 'express'
import type { AppDeps } from './deps.ts'
import type { ApiBuilder } from './common/api/builder.ts'
import { frontDoorRoutes } from './journey/front-door/routes.ts'
import { registerFrontDoorApi } from './journey/front-door/api.ts'
import { assessmentRoutes } from './journey/assessments/routes.ts'
import { registerAssessmentApi } from './journey/assessments/api.ts'
import { episodeRoutes } from './journey/episodes/routes.ts'
import { registerEpisodeApi } from './journey/episodes/api.ts'
import { planRoutes } from './journey/plans/routes.ts'
import { registerPlanApi } from './journey/plans/api.ts'
import { childProtectionRoutes } from './journey/child-protection/routes.ts'
import { registerChildProtectionApi } from './journey/child-protection/api.ts'
import { caseNoteRoutes } from './journey/case-notes/routes.ts'
import { registerCaseNoteApi } from './journey/case-notes/api.ts'
import { taskRoutes } from './journey/tasks/routes.ts'
import { chairRoutes, registerChairApi } from './journey/chair/routes.ts'
import { iroRoutes, registerIroApi } from './care/iro/routes.ts'
import { authorityAreaRoutes, registerAuthorityAreaApi } from './care/authority-area/routes.ts'
import { carerRoutes, registerCarerApi } from './care/carers/routes.ts'
import { registerTaskApi } from './journey/tasks/api.ts'
import { familyRoutes } from './journey/family/routes.ts'
import { childDetailsRoutes } from './journey/child-details/routes.ts'
import { registerChildDetailsApi } from './journey/child-details/api.ts'
import { clockDelayRoutes } from './journey/clock-delays/routes.ts'
import { registerClockDelayApi, registerRecordDelayApi } from './journey/clock-delays/api.ts'
import { registerFamilyApi } from './journey/family/api.ts'
import { lookedAfterRoutes } from './journey/looked-after/routes.ts'
import { registerLookedAfterApi } from './journey/looked-after/api.ts'
import { emergencyProtectionRoutes } from './journey/emergency-protection/routes.ts'
import { registerEmergencyProtectionApi } from './journey/emergency-protection/api.ts'
import { missingEpisodeRoutes } from './journey/missing-episodes/routes.ts'
import { registerMissingEpisodesApi } from './journey/missing-episodes/api.ts'
import { healthEducationRoutes } from './journey/health-education/routes.ts'
import { registerHealthEducationApi } from './journey/health-education/api.ts'
import { careLeaverRoutes } from './journey/care-leavers/routes.ts'
import { registerCareLeaverApi } from './journey/care-leavers/api.ts'
import { earlyHelpAssessmentRoutes } from './journey/early-help-assessments/routes.ts'
import { registerEarlyHelpAssessmentApi } from './journey/early-help-assessments/api.ts'
import { childDeathRoutes, registerChildDeathApi } from './journey/child-death/routes.ts'
import { chronologyRoutes } from './journey/chronology/routes.ts'
import { registerChronologyApi } from './journey/chronology/api.ts'
import { oversightRoutes } from './journey/oversight/routes.ts'
import { registerOversightApi } from './journey/oversight/api.ts'
import { personReviewRoutes } from './person-index/person-review/routes.ts'
import { registerPersonReviewApi } from './person-index/person-review/api.ts'
import { childSearchRoutes } from './person-index/child-search/routes.ts'
import { registerChildSearchApi } from './person-index/child-search/api.ts'
import { returnsRoutes } from './returns/returns/routes.ts'
import { ssda903Routes } from './returns/returns/ssda903-routes.ts'
import { registerSsda903Api } from './returns/returns/ssda903-api.ts'
import { registerReturnsApi } from './returns/returns/api.ts'
import { notificationRoutes, registerNotificationApi } from './multi-agency/notifications/routes.ts'
import { referralRoutes, registerReferralApi } from './multi-agency/referrals/routes.ts'
import { cpStatusRoutes, registerCpStatusApi } from './multi-agency/cp-status/routes.ts'
import { registerLocalRulesApi } from './timescales/local-rules/routes.ts'
import { informationRequestRoutes, registerInformationRequestApi } from './multi-agency/information-requests/routes.ts'
import { informationSharingRoutes, registerInformationSharingApi } from './multi-agency/information-sharing/routes.ts'
import { partnershipRoutes } from './partnership/partnership/routes.ts'
import { participationRoutes, registerParticipationApi } from './multi-agency/participation/routes.ts'
import { registerStrategyParticipationApi, strategyParticipationRoutes } from './multi-agency/participation/strategy-routes.ts'
import { registerScorecardApi, scorecardRoutes } from './partnership/scorecard/routes.ts'
import { ladoRoutes } from './partnership/lado/routes.ts'
import { registerLadoApi } from './partnership/lado/api.ts'
import { registerSection11Api } from './partnership/section-11/api.ts'
import { registerAuditApi } from './access/audit/api.ts'
import { registerHomeApi } from './journey/home/api.ts'
import { registerCaseApi } from './journey/cases/api.ts'
import { domesticAbuseReviewRoutes } from './partnership/domestic-abuse-reviews/routes.ts'
import { registerDarReviewApi } from './partnership/domestic-abuse-reviews/api.ts'
import { registerPartnershipReviewApi } from './partnership/partnership/api.ts'
import { documentRoutes } from './records/documents/routes.ts'
import { registerDocumentApi } from './records/documents/api.ts'
import { subjectAccessRoutes } from './records/subject-access/routes.ts'
import { registerSubjectAccessApi } from './records/subject-access/api.ts'
import { rectificationRoutes } from './records/rectifications/routes.ts'
import { bodyMapRoutes } from './records/body-maps/routes.ts'
import { registerBodyMapApi } from './records/body-maps/api.ts'
import { retentionRoutes } from './records/retention/routes.ts'
import { registerRetentionApi } from './records/retention/api.ts'
import { letterRoutes, registerLetterApi } from './records/letters/routes.ts'
import { letterTemplateRoutes, registerLetterTemplateApi } from './records/letter-templates/routes.ts'
import { documentKindRoutes, registerDocumentKindApi } from './records/document-kinds/routes.ts'
import { recordDocumentRoutes } from './partnership/record-documents/routes.ts'
import { registerRecordDocumentApi } from './partnership/record-documents/api.ts'

export const FEATURE_ROUTES: readonly ((deps: AppDeps) => Router)[] = [
  frontDoorRoutes,
  assessmentRoutes,
  planRoutes,
  childProtectionRoutes,
  caseNoteRoutes,
  episodeRoutes,
  taskRoutes,
  chairRoutes,
  iroRoutes,
  authorityAreaRoutes,
  carerRoutes,
  familyRoutes,
  childDetailsRoutes,
  clockDelayRoutes,
  lookedAfterRoutes,
  emergencyProtectionRoutes,
  missingEpisodeRoutes,
  healthEducationRoutes,
  careLeaverRoutes,
  documentRoutes,
  subjectAccessRoutes,
  rectificationRoutes,
  bodyMapRoutes,
  retentionRoutes,
  letterRoutes,
  letterTemplateRoutes,
  documentKindRoutes,
  earlyHelpAssessmentRoutes,
  childDeathRoutes,
  chronologyRoutes,
  oversightRoutes,
  returnsRoutes,
  ssda903Routes,
  personReviewRoutes,
  childSearchRoutes,
  notificationRoutes,
  referralRoutes,
  cpStatusRoutes,
  informationRequestRoutes,
  informationSharingRoutes,
  partnershipRoutes,
  participationRoutes,
  strategyParticipationRoutes,
  scorecardRoutes,
  ladoRoutes,
  recordDocumentRoutes,
  domesticAbuseReviewRoutes,
]

export const FEATURE_APIS: readonly ((api: ApiBuilder) => void)[] = [
  registerCaseApi,
  registerFrontDoorApi,
  registerAssessmentApi,
  registerPlanApi,
  registerChildProtectionApi,
  registerCaseNoteApi,
  registerTaskApi,
  registerChairApi,
  registerIroApi,
  registerAuthorityAreaApi,
  registerCarerApi,
  registerEpisodeApi,
  registerFamilyApi,
  registerChildDetailsApi,
  registerClockDelayApi,
  registerRecordDelayApi,
  registerLookedAfterApi,
  registerEmergencyProtectionApi,
  registerMissingEpisodesApi,
  registerHealthEducationApi,
  registerCareLeaverApi,
  registerDocumentApi,
  registerSubjectAccessApi,
  registerBodyMapApi,
  registerRetentionApi,
  registerLetterApi,
  registerLetterTemplateApi,
  registerDocumentKindApi,
  registerEarlyHelpAssessmentApi,
  registerChildDeathApi,
  registerChronologyApi,
  registerOversightApi,
  registerPersonReviewApi,
  registerChildSearchApi,
  registerReturnsApi,
  registerSsda903Api,
  registerNotificationApi,
  registerReferralApi,
  registerCpStatusApi,
  registerLocalRulesApi,
  registerInformationRequestApi,
  registerInformationSharingApi,
  registerParticipationApi,
  registerStrategyParticipationApi,
  registerScorecardApi,
  registerPartnershipReviewApi,
  registerDarReviewApi,
  registerLadoApi,
  registerRecordDocumentApi,
  registerSection11Api,
  registerAuditApi,
  registerHomeApi,
]
