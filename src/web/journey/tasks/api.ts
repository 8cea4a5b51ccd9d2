import { taskCompletion, taskInput } from '../../../services/journey/tasks-input.ts'
import { caseTask, caseTasks, completeTask, createTask, myTaskPages, MY_TASK_LISTS } from '../../../services/journey/tasks.ts'
import { listsPageQuery, pageQuery, pagesOf } from '../../../services/common/paging.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

export function registerTaskApi(api: ApiBuilder): void {
  api.get(
    '/tasks',
    {
      summary:
        'Your open tasks (mine) and your team’s unassigned ones (team), soonest due first: a page of each (offset, limit; `list` names the one list offset pages) with its total, how many of yours are overdue and how many are on records you cannot open',
      tag: 'Tasks',
      query: listsPageQuery(MY_TASK_LISTS),
    },
    ({ ctx, query }) => myTaskPages(ctx, pagesOf(MY_TASK_LISTS, query)),
  )

  api.get(
    '/cases/:caseId/tasks',
    { summary: 'The tasks of a case, those made by its timescales included, open first: a page of them (offset, limit) with their total', tag: 'Tasks', query: pageQuery },
    async ({ ctx, params, query }) => (await caseTasks(ctx, params.caseId!, query)).page,
  )

  api.post(
    '/cases/:caseId/tasks',
    { caseAction: 'case:update', summary: 'Add a task on a case for someone in its team (assigneeUserId) or for the team (null)', tag: 'Tasks', body: taskInput, status: 201 },
    async ({ ctx, params, body }) => {
      const made = await createTask(ctx, params.caseId!, body)
      return caseTask(ctx, params.caseId!, made.id)
    },
  )

  api.post(
    '/tasks/:taskId/completion',
    {
      summary: 'Complete a task made by hand (name the version you read); tasks from timescales complete with their timescale',
      tag: 'Tasks',
      body: taskCompletion,
    },
    async ({ ctx, params, body }) => {
      const done = await completeTask(ctx, params.taskId!, body)
      return caseTask(ctx, done.caseId!, done.id)
    },
  )
}
