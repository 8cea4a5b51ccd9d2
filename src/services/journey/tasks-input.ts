/** Input schemas for tasks: shared by the task pages and the JSON API. */
import { z } from 'zod'
import { optionalDate, requiredText, version } from '../common/fields-input.ts'

export const taskInput = z.object({
  title: requiredText('what needs to be done', 200),
  dueOn: optionalDate('the due date').default(null),
  /** A person in the case's team; null (or '' from the form) gives the task to the team. */
  assigneeUserId: z
    .preprocess((v) => (v === '' ? null : v), z.uuid({ error: 'Select who the task is for' }).nullable())
    .default(null),
})

export const taskCompletion = z.object({
  version,
  /** The day the work was done; today when left out. */
  doneOn: optionalDate('the date it was done').default(null),
})

export type TaskInput = z.infer<typeof taskInput>
export type TaskCompletion = z.infer<typeof taskCompletion>
