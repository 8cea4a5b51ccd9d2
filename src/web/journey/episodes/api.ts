import { episodeClosure } from '../../../services/journey/episodes.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'

/** What closing an episode would leave open, before closing it (POST .../closure, in the front door's API, closes it). */
export function registerEpisodeApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/episodes/:episodeId/closure',
    { summary: 'Before closing an episode: the work still open (plans, section 47 enquiries, assessments, tasks), what stops the closure, and whether a manager must close it', tag: 'Front door' },
    async ({ ctx, params }) => {
      const { c: _, ...view } = await episodeClosure(ctx, params.caseId!, params.episodeId!)
      return view
    },
  )
}
