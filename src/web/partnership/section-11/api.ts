/**
 * Section 11 audits in the JSON API: the same operations as the pages (section-11/routes.ts),
 * through the same services and policy. The business unit keeps templates, issues cycles,
 * challenges and agrees each agency's self-assessment and agrees actions; the agency's own
 * practitioners and managers answer, answer challenges and give evidence on their actions. A
 * return is compared with the agency's previous cycle in its read. Another partnership's id is 404.
 */
import type { z } from 'zod'
import type { ServiceContext } from '../../../services/common/context.ts'
import { actionCloseInput, actionEvidenceInput } from '../../../services/partnership/review-input.ts'
import { addSection11Action, closeSection11Action, getSection11Action, giveSection11Evidence, mySection11Actions } from '../../../services/partnership/section11/actions.ts'
import { getCycle, issueCycle, listCycles } from '../../../services/partnership/section11/cycles.ts'
import { agreementInput, answersInput, challengeInput, challengeResponseInput, cycleInput, section11ActionInput, templateInput, templateUpdate } from '../../../services/partnership/section11/input.ts'
import { agreeReturn, getReturn, myReturns, raiseChallenge, respondToChallenge, saveAnswers } from '../../../services/partnership/section11/returns.ts'
import { createTemplate, getTemplate, listTemplates, updateTemplate } from '../../../services/partnership/section11/templates.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

const tag = 'Section 11'
const BASE = '/section-11'
const url = (path: string) => `/api/v1${BASE}${path}`

export function registerSection11Api(api: ApiBuilder): void {
  // Templates (the business unit).
  api.get(`${BASE}/templates`, { summary: 'The section 11 templates: standards with their criteria (business unit)', tag }, ({ ctx }) => listTemplates(ctx))
  api.post(
    `${BASE}/templates`,
    {
      summary: 'Make a template (business unit): a name and the standards as text, each standard a title line followed by its criteria as "- criterion" lines, standards separated by a blank line',
      tag,
      body: templateInput,
      status: 201,
    },
    async ({ ctx, body, res }) => {
      const template = await createTemplate(ctx, body)
      res.location(url(`/templates/${template.id}`))
      return getTemplate(ctx, template.id)
    },
  )
  api.get(`${BASE}/templates/:id`, { summary: 'One template, its standards parsed and as text (version for a change)', tag }, ({ ctx, params }) => getTemplate(ctx, params.id!))
  api.put(
    `${BASE}/templates/:id`,
    { summary: "Change a template (business unit); cycles already issued keep their standards; name the version read (409 when stale)", tag, body: templateUpdate },
    async ({ ctx, params, body }) => {
      await updateTemplate(ctx, params.id!, body)
      return getTemplate(ctx, params.id!)
    },
  )

  // Cycles (the business unit).
  api.get(
    `${BASE}/cycles`,
    { summary: 'The cycles, newest first, with counts of returns submitted and agreed, and when the next cycle is due (business unit)', tag },
    ({ ctx }) => listCycles(ctx),
  )
  api.post(
    `${BASE}/cycles`,
    {
      summary:
        'Issue a cycle (business unit): a template, a name, the dates issued and answers due, and one user per agency (a partner practitioner or manager) who answers for it; each gets a self-assessment and a task',
      tag,
      body: cycleInput,
      status: 201,
    },
    async ({ ctx, body, res }) => {
      const cycle = await issueCycle(ctx, body)
      res.location(url(`/cycles/${cycle.id}`))
      return getCycle(ctx, cycle.id)
    },
  )
  api.get(`${BASE}/cycles/:id`, { summary: "One cycle: its standards and each agency's return with its status and rating counts (business unit)", tag }, ({ ctx, params }) =>
    getCycle(ctx, params.id!),
  )

  // One agency's self-assessment.
  api.get(`${BASE}/returns`, { summary: "The self-assessments addressed to your agency, newest cycle first (its practitioners and managers)", tag }, ({ ctx }) => myReturns(ctx))
  api.get(
    `${BASE}/returns/:id`,
    {
      summary:
        "One agency's self-assessment (its own agency and the business unit): answers, challenges and agreed ratings, actions, the comparison with the agency's previous cycle, ratings carried forward while answering, what you may do, and its version",
      tag,
    },
    ({ ctx, params }) => getReturn(ctx, params.id!),
  )
  /** A change to a return, answered with the return as read after it (a POST adds to it: 201, the return as Location). */
  const returnChange = <S extends z.ZodType>(method: 'put' | 'post', path: string, summary: string, body: S, run: (ctx: ServiceContext, id: string, input: z.infer<S>) => Promise<unknown>) =>
    api[method](`${BASE}/returns/:id/${path}`, { summary, tag, body, status: method === 'post' ? 201 : 200 }, async ({ ctx, params, body: input, res }) => {
      await run(ctx, params.id!, input as z.infer<S>)
      if (method === 'post') res.location(url(`/returns/${params.id!}`))
      return getReturn(ctx, params.id!)
    })
  returnChange(
    'put',
    'answers',
    "The agency saves its answers ({ [standard code]: { rating, evidence } }); with submit: true it sends them to the partnership (every standard rated with evidence, 422 otherwise); name the version read (409 when stale)",
    answersInput,
    saveAnswers,
  )
  returnChange('post', 'challenges', "Challenge the agency's answer to one standard (business unit): standardCode, comment, the return's version read", challengeInput, raiseChallenge)
  returnChange(
    'post',
    'challenge-responses',
    "The agency answers the open challenge on a standard, and may revise that standard's rating: standardCode, response, rating, the return's version read",
    challengeResponseInput,
    respondToChallenge,
  )
  returnChange(
    'put',
    'agreement',
    'Agree a rating for every standard (business unit), once submitted and every challenge answered: ratings ({ [standard code]: rating }), the version read',
    agreementInput,
    agreeReturn,
  )
  api.post(
    `${BASE}/returns/:id/actions`,
    { summary: 'Agree an action with the agency (business unit): the standard, the action, its owner (an active user of the agency, who gets a task) and due date', tag, body: section11ActionInput, status: 201 },
    async ({ ctx, params, body, res }) => {
      const action = await addSection11Action(ctx, params.id!, body)
      res.location(url(`/actions/${action.id}`))
      return getSection11Action(ctx, action.id)
    },
  )

  // Actions: the owner gives evidence, the business unit closes.
  api.get(`${BASE}/actions`, { summary: 'The section 11 actions you own, open ones first, each with whether it is overdue', tag }, ({ ctx }) => mySection11Actions(ctx))
  api.get(`${BASE}/actions/:id`, { summary: 'One action (its agency and the business unit): text, owner, due date, evidence, status, version', tag }, ({ ctx, params }) =>
    getSection11Action(ctx, params.id!),
  )
  /** A change to an action, answered with the action as read after it. */
  const actionChange = <S extends z.ZodType>(path: string, summary: string, body: S, run: (ctx: ServiceContext, id: string, input: z.infer<S>) => Promise<unknown>) =>
    api.put(`${BASE}/actions/:id/${path}`, { summary, tag, body }, async ({ ctx, params, body: input }) => {
      await run(ctx, params.id!, input as z.infer<S>)
      return getSection11Action(ctx, params.id!)
    })
  actionChange('evidence', "The action's owner gives evidence that it is complete and the date; name the version read", actionEvidenceInput, giveSection11Evidence)
  actionChange('close', 'Close an action once its owner has given evidence (business unit); name the version read', actionCloseInput, closeSection11Action)
}
