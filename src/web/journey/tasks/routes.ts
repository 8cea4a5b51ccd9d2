/**
 * Task pages: the signed-in user's tasks (theirs and their team's unassigned ones), a case's
 * tasks with the form to add one, and completing a task made by hand.
 */
import { Router, type Request, type Response } from 'express'
import { featureRouter, idParam } from '../../common/router.ts'
import { EditConflict, ValidationFailed } from '../../../services/common/context.ts'
import { taskCompletion, taskInput } from '../../../services/journey/tasks-input.ts'
import { caseTasks, completeTask, createTask, myTaskPages, MY_TASK_LISTS, MY_TASKS_PAGE_SIZE, type TaskView, type TaskWork } from '../../../services/journey/tasks.ts'
import type { AppDeps } from '../../deps.ts'
import { formErrors, parseForm, type FormErrors } from '../../common/forms.ts'
import { requireSignIn, serviceContext } from '../../common/middleware/auth.ts'
import { caseForm } from '../../common/case-forms.ts'
import { combineDates, linkDateErrors } from '../../common/form-helpers.ts'
import { listsPagingOf, pagingOf } from '../../common/pagination.ts'

const DATES = ['dueOn'] as const

/** Where the work a partnership task asks for is done, and what completes it. */
const WORK: Record<TaskWork['kind'], { path: string; done: string }> = {
  contribution: { path: '/partnership/contributions/', done: 'Done when you send the contribution' },
  'review-action': { path: '/partnership/actions/', done: 'Done when you send the evidence' },
  'section11-action': { path: '/partnership/section-11/actions/', done: 'Done when you send the evidence' },
  'section11-return': { path: '/partnership/section-11/returns/', done: 'Done when the self-assessment is submitted' },
}

/** A task with the link to its work and what completes it, for tasks that ask for partnership work. */
const withWork = (t: TaskView) => (t.work ? { ...t, workHref: WORK[t.work.kind].path + t.work.id, workDone: WORK[t.work.kind].done } : t)

/** Where a completion returns to: the user's task list or a case's tasks, nowhere else. */
function returnPath(value: unknown): string {
  return typeof value === 'string' && /^\/cases\/[0-9a-f-]{36}\/tasks$/.test(value) ? value : '/tasks'
}

export function taskRoutes(deps: AppDeps): Router {
  const router = featureRouter()

  const renderMyTasks = async (req: Request, res: Response, extra: { errors?: FormErrors } = {}, status = 200) => {
    // Each list pages by its own parameter (?teamPage=2), keeping the other's page.
    const paging = listsPagingOf(req, MY_TASK_LISTS, MY_TASKS_PAGE_SIZE, (list) => `#${list}-tasks`)
    const listed = await myTaskPages(serviceContext(deps, req, res), paging.requests)
    const { pagination, status: pageStatus } = paging.view(listed)
    const tasks = { ...listed, mine: listed.mine.items.map(withWork), team: listed.team.items.map(withWork) }
    res.status(status === 200 ? pageStatus : status).render('tasks/mine.njk', { tasks, total: listed.mine.total, overdue: listed.overdue, pagination, done: req.query.done, ...extra })
  }

  const renderCaseTasks = async (
    req: Request,
    res: Response,
    caseId: string,
    extra: { errors?: FormErrors; values?: Record<string, unknown> } = {},
    status = 200,
  ) => {
    const paging = pagingOf(req)
    const view = await caseTasks(serviceContext(deps, req, res), caseId, paging.request)
    const pagination = paging.view(view.page)
    res.status(status === 200 ? pagination.status : status).render('tasks/case.njk', { ...view, pagination, values: {}, saved: req.query.saved, ...extra })
  }

  router.get('/tasks', requireSignIn, (req, res) => renderMyTasks(req, res))

  router.get('/cases/:id/tasks', requireSignIn, async (req, res, next) => {
    const caseId = idParam(req)
    await renderCaseTasks(req, res, caseId)
  })

  router.post('/cases/:id/tasks', requireSignIn, caseForm(deps, 'tasks'), async (req, res, next) => {
    const caseId = idParam(req)
    const parsed = parseForm(taskInput, combineDates(req.body, DATES))
    if (!parsed.ok) return renderCaseTasks(req, res, caseId, { errors: linkDateErrors(parsed.errors, DATES), values: req.body }, 400)
    try {
      await createTask(serviceContext(deps, req, res), caseId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) {
        return renderCaseTasks(req, res, caseId, { errors: formErrors(err.fieldErrors), values: req.body }, 400)
      }
      throw err
    }
    res.redirect(`/cases/${caseId}/tasks?saved=added`)
  })

  router.post('/tasks/:taskId/completion', requireSignIn, async (req, res, next) => {
    const taskId = idParam(req, 'taskId')
    const back = returnPath(req.body?.returnTo)
    const caseId = back.split('/')[2]
    const failed = (errors: FormErrors, status: number) =>
      caseId ? renderCaseTasks(req, res, caseId, { errors }, status) : renderMyTasks(req, res, { errors }, status)
    const parsed = parseForm(taskCompletion, req.body)
    if (!parsed.ok) return failed(parsed.errors, 400)
    try {
      await completeTask(serviceContext(deps, req, res), taskId, parsed.value)
    } catch (err) {
      if (err instanceof ValidationFailed) return failed(formErrors({ [`task-${taskId}`]: Object.values(err.fieldErrors).join(' ') }), 400)
      if (err instanceof EditConflict) {
        return failed(formErrors({ [`task-${taskId}`]: `${err.message} The list below shows the task as it is now.` }), 409)
      }
      throw err
    }
    res.redirect(`${back}?${caseId ? 'saved' : 'done'}=completed`)
  })

  return router
}
