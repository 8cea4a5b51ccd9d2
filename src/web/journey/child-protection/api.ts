/**
 * The child protection process over the JSON API: the same services and schemas as the pages.
 * Validation failures are 422 problems keyed by field, stale versions 409.
 */
import { childProtectionOf, recordCoreGroup } from '../../../services/journey/child-protection.ts'
import {
  conferenceArrangementsInput,
  conferenceInput,
  conferenceOutcomeInput,
  coreGroupInput,
  section47Input,
  section47Update,
  strategyDiscussionCorrection,
  strategyDiscussionInput,
} from '../../../services/journey/child-protection-input.ts'
import { changeConferenceArrangements, recordConferenceOutcome, scheduleConference } from '../../../services/journey/conferences.ts'
import { startSection47, updateSection47 } from '../../../services/journey/section47.ts'
import { correctStrategyDiscussion, recordStrategyDiscussion } from '../../../services/journey/strategy-discussions.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const tag = 'Child protection'

export function registerChildProtectionApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/child-protection',
    { summary: "A case's strategy discussions, section 47 enquiries, conferences, plans, core groups, visits and their timescales", tag },
    ({ ctx, params }) => childProtectionOf(ctx, params.caseId!),
  )

  api.post(
    '/cases/:caseId/strategy-discussions',
    {
      caseAction: 'case:update',
      summary: 'Record a strategy discussion (a section 47 decision starts the enquiry and its initial conference timescale)',
      tag,
      body: strategyDiscussionInput,
      status: 201,
    },
    ({ ctx, params, body }) => recordStrategyDiscussion(ctx, params.caseId!, body),
  )

  api.put(
    '/cases/:caseId/strategy-discussions/:discussionId',
    {
      caseAction: 'case:update',
      summary:
        "Correct a strategy discussion's date, time, attendees and details, not its decision (name the version you read); a new date moves the timescales measured from it",
      tag,
      body: strategyDiscussionCorrection,
    },
    ({ ctx, params, body }) => correctStrategyDiscussion(ctx, params.caseId!, params.discussionId!, body),
  )

  api.post(
    '/cases/:caseId/section47',
    { caseAction: 'case:update', summary: 'Start a section 47 enquiry from a strategy discussion that has none', tag, body: section47Input, status: 201 },
    ({ ctx, params, body }) => startSection47(ctx, params.caseId!, body),
  )

  api.patch(
    '/cases/:caseId/section47/:s47Id',
    {
      caseAction: 'case:update',
      summary: 'Record the child seen, outcome and completion of a section 47 enquiry (name the version you read)',
      tag,
      body: section47Update,
    },
    ({ ctx, params, body }) => updateSection47(ctx, params.caseId!, params.s47Id!, body),
  )

  api.post(
    '/cases/:caseId/conferences',
    { caseAction: 'case:update', summary: 'Schedule a child protection conference; the chair is invited to the case', tag, body: conferenceInput, status: 201 },
    ({ ctx, params, body }) => scheduleConference(ctx, params.caseId!, body),
  )

  api.put(
    '/cases/:caseId/conferences/:conferenceId/arrangements',
    {
      caseAction: 'case:update',
      summary:
        "Change a conference's date, chair and invitees before it is held (name the version you read); a new chair is invited and the old chair's invitation ends",
      tag,
      body: conferenceArrangementsInput,
    },
    ({ ctx, params, body }) => changeConferenceArrangements(ctx, params.caseId!, params.conferenceId!, body),
  )

  api.post(
    '/cases/:caseId/conferences/:conferenceId/outcome',
    {
      caseAction: 'case:update',
      summary: 'Record what a conference decided: starts, continues or ends the child protection plan (name the version you read)',
      tag,
      body: conferenceOutcomeInput,
    },
    ({ ctx, params, body }) => recordConferenceOutcome(ctx, params.caseId!, params.conferenceId!, body),
  )

  api.post(
    '/cases/:caseId/plans/:planId/core-groups',
    { caseAction: 'case:update', summary: 'Record a core group meeting on a child protection plan', tag, body: coreGroupInput, status: 201 },
    ({ ctx, params, body }) => recordCoreGroup(ctx, params.caseId!, params.planId!, body),
  )
}
