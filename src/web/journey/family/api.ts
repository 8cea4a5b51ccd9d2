import { familyMemberInput, memberRelationshipInput, relationshipUpdate } from '../../../services/journey/family-input.ts'
import { addFamilyMember, addMemberRelationship, changeRelationship, familyOfCase, getRelationship } from '../../../services/journey/family.ts'
import type { ApiBuilder } from '../../common/api/builder.ts'
import { genogramOf } from './routes.ts'

export function registerFamilyApi(api: ApiBuilder): void {
  api.get(
    '/cases/:caseId/family',
    {
      summary:
        'The child’s family network: relationships (current and ended), relationships between members of the network (memberRelationships) and the genogram layout',
      tag: 'Family',
    },
    async ({ ctx, params }) => {
      const family = await familyOfCase(ctx, params.caseId!)
      return { child: family.child, relationships: family.relationships, memberRelationships: family.memberRelationships, genogram: genogramOf(family) }
    },
  )

  api.post(
    '/cases/:caseId/family/links',
    {
      caseAction: 'case:update',
      summary:
        'Record how one member of the child’s network relates to another (relatedPersonId is kind of personId, e.g. the grandmother is parent of the mother); both current members. Changed and ended as the child’s relationships are (PUT /cases/{caseId}/family/{relationshipId})',
      tag: 'Family',
      body: memberRelationshipInput,
      status: 201,
    },
    async ({ ctx, params, body, res }) => {
      const made = await addMemberRelationship(ctx, params.caseId!, body)
      res.location(`/api/v1/cases/${params.caseId}/family/${made.id}`)
      return (await getRelationship(ctx, params.caseId!, made.id)).relationship
    },
  )

  api.post(
    '/cases/:caseId/family',
    {
      caseAction: 'case:update',
      summary: 'Add a family member: an existing person (personId) or a new one (person), and how they relate to the child',
      tag: 'Family',
      body: familyMemberInput,
      status: 201,
    },
    async ({ ctx, params, body, res }) => {
      const made = await addFamilyMember(ctx, params.caseId!, body)
      res.location(`/api/v1/cases/${params.caseId}/family/${made.id}`)
      return (await getRelationship(ctx, params.caseId!, made.id)).relationship
    },
  )

  api.get('/cases/:caseId/family/:relationshipId', { summary: 'One of the child’s relationships', tag: 'Family' }, async ({ ctx, params }) =>
    (await getRelationship(ctx, params.caseId!, params.relationshipId!)).relationship,
  )

  api.put(
    '/cases/:caseId/family/:relationshipId',
    {
      caseAction: 'case:update',
      summary: 'Change a relationship (name the version you read); endedOn ends it, null reopens it',
      tag: 'Family',
      body: relationshipUpdate,
    },
    async ({ ctx, params, body }) => {
      await changeRelationship(ctx, params.caseId!, params.relationshipId!, body)
      return (await getRelationship(ctx, params.caseId!, params.relationshipId!)).relationship
    },
  )
}
