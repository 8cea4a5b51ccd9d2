/**
 * The features of the child's journey: their page routers (mounted by app.ts) and their JSON API
 * operations (declared on the /api/v1 builder, so they appear in the OpenAPI document).
 */
import type { Router } from 'express'
import type { AppDeps } from '../deps.ts'
import type { ApiBuilder } from './api/builder.ts'
import { frontDoorRoutes } from './front-door/routes.ts'
import { registerFrontDoorApi } from './front-door/api.ts'
import { assessmentRoutes } from './assessments/routes.ts'
import { registerAssessmentApi } from './assessments/api.ts'
import { planRoutes } from './plans/routes.ts'
import { registerPlanApi } from './plans/api.ts'
import { childProtectionRoutes } from './child-protection/routes.ts'
import { registerChildProtectionApi } from './child-protection/api.ts'
import { caseNoteRoutes } from './case-notes/routes.ts'
import { registerCaseNoteApi } from './case-notes/api.ts'
import { taskRoutes } from './tasks/routes.ts'
import { registerTaskApi } from './tasks/api.ts'
import { familyRoutes } from './family/routes.ts'
import { registerFamilyApi } from './family/api.ts'
import { lookedAfterRoutes } from './looked-after/routes.ts'
import { registerLookedAfterApi } from './looked-after/api.ts'
import { chronologyRoutes } from './chronology/routes.ts'
import { registerChronologyApi } from './chronology/api.ts'
import { oversightRoutes } from './oversight/routes.ts'
import { registerOversightApi } from './oversight/api.ts'
import { personReviewRoutes } from './person-review/routes.ts'
import { registerPersonReviewApi } from './person-review/api.ts'
import { returnsRoutes } from './returns/routes.ts'
import { registerReturnsApi } from './returns/api.ts'
import { notificationRoutes, registerNotificationApi } from './notifications/routes.ts'
import { referralRoutes, registerReferralApi } from './referrals/routes.ts'
import { cpStatusRoutes, registerCpStatusApi } from './cp-status/routes.ts'
import { informationRequestRoutes, registerInformationRequestApi } from './information-requests/routes.ts'
import { informationSharingRoutes, registerInformationSharingApi } from './information-sharing/routes.ts'
import { partnershipRoutes } from './partnership/routes.ts'
import { participationRoutes, registerParticipationApi } from './participation/routes.ts'
import { registerScorecardApi, scorecardRoutes } from './scorecard/routes.ts'
import { ladoRoutes } from './lado/routes.ts'
import { domesticAbuseReviewRoutes } from './domestic-abuse-reviews/routes.ts'

export const FEATURE_ROUTES: readonly ((deps: AppDeps) => Router)[] = [
  frontDoorRoutes,
  assessmentRoutes,
  planRoutes,
  childProtectionRoutes,
  caseNoteRoutes,
  taskRoutes,
  familyRoutes,
  lookedAfterRoutes,
  chronologyRoutes,
  oversightRoutes,
  returnsRoutes,
  personReviewRoutes,
  notificationRoutes,
  referralRoutes,
  cpStatusRoutes,
  informationRequestRoutes,
  informationSharingRoutes,
  partnershipRoutes,
  participationRoutes,
  scorecardRoutes,
  ladoRoutes,
  domesticAbuseReviewRoutes,
]

export const FEATURE_APIS: readonly ((api: ApiBuilder) => void)[] = [
  registerFrontDoorApi,
  registerAssessmentApi,
  registerPlanApi,
  registerChildProtectionApi,
  registerCaseNoteApi,
  registerTaskApi,
  registerFamilyApi,
  registerLookedAfterApi,
  registerChronologyApi,
  registerOversightApi,
  registerPersonReviewApi,
  registerReturnsApi,
  registerNotificationApi,
  registerReferralApi,
  registerCpStatusApi,
  registerInformationRequestApi,
  registerInformationSharingApi,
  registerParticipationApi,
  registerScorecardApi,
]
