/**
 * A case at a glance (issue 16, item 13), for the top of the case overview and the API's case read:
 * where the child lives and with whom, the parents and carers living elsewhere, the allocated
 * worker and the team's managers, the agencies involved with whom to contact there, the case's
 * alerts (restricted, risks to workers, language or communication needs), the open plans with their
 * category, the last visit, the newest notes and the next open tasks, with how many there are.
 *
 * One statement whatever the size of the record (the overview is a quarter of the load mix): each
 * part a scalar subquery, the lists as JSON. The caller has opened the case through the policy and
 * audited the read (caseOverview through viewCase); this reads more of the same case, nothing else.
 */
import { sql } from 'drizzle-orm'
import { queryRows, type Db } from '../../db/connection.ts'
import { dueStateOf, type DueState } from './tasks.ts'
import { VISIT_KINDS } from './due-from-record.ts'

/** How many of the newest notes, and of the soonest open tasks, the summary shows. */
export const SUMMARY_NOTES = 3
export const SUMMARY_TASKS = 3

/** Someone in the child's family network (a current relationship). */
export interface FamilyMemberAtGlance {
  givenName: string
  familyName: string
  dateOfBirth: string | null
  /** RELATIONSHIP_KIND code. */
  kind: string
  sameHousehold: boolean
  parentalResponsibility: boolean
}

export interface Practitioner {
  name: string
  email: string
}

/** Someone to contact at an involved agency about this child. */
export interface AgencyContact {
  name: string
  /** Their role as recorded (a referrer's), or null. */
  role: string | null
  /** A phone number or e-mail address. */
  contact: string | null
  /** Why they are named: they own actions of an open plan, or they referred the child (the latest referral). */
  basis: 'plan-action' | 'referrer'
  /** For a referrer: the day of their latest referral. */
  on: string | null
}

export interface InvolvedAgency {
  agencyId: string
  agencyName: string
  /** The recorded involvement (its role and start), or null for an agency involved through the plan's actions only. */
  involvement: string | null
  since: string | null
  /** The agency's day-time duty line, where the partnership recorded it. */
  phone: string | null
  email: string | null
  contacts: AgencyContact[]
}

export interface CaseAlerts {
  /** The case or the child is a restricted record. */
  restricted: boolean
  workerSafety: string | null
  communicationNeeds: string | null
  /** The case's version, which a change of the alerts names. */
  version: number
}

export interface PlanAtGlance {
  id: string
  /** PLAN_KIND code. */
  kind: string
  startedOn: string
  /** The latest category of abuse (CATEGORY_OF_ABUSE code) of a child protection plan. */
  category: string | null
  nextReviewOn: string | null
}

export interface VisitAtGlance {
  id: string
  occurredOn: string
  kind: string
  title: string
  childSeen: boolean | null
  childSeenAlone: boolean | null
}

export interface NoteAtGlance {
  id: string
  occurredOn: string
  kind: string
  title: string
  recordedByName: string
}

export interface TaskAtGlance {
  id: string
  title: string
  dueOn: string | null
  dueState: DueState
  /** The person, or else the team, it is assigned to. */
  assignee: string | null
}

export interface CaseAtGlance {
  address: string | null
  postcode: string | null
  /** The people living in the child's household (current relationships), parents and carers first. */
  household: FamilyMemberAtGlance[]
  /** Parents and carers (current) who do not live in the child's household. */
  parentsAndCarersElsewhere: FamilyMemberAtGlance[]
  allocatedWorker: Practitioner | null
  /** The active team managers of the case's team. */
  teamManagers: Practitioner[]
  /** Other agencies involved now: a current involvement, or actions of an open plan. */
  agencies: InvolvedAgency[]
  alerts: CaseAlerts
  /** Open plans, newest first. */
  plans: PlanAtGlance[]
  /** The latest visit (any visit, the child seen or not) up to today. */
  lastVisit: VisitAtGlance | null
  /** The newest notes and visits, and how many the case has. */
  latestNotes: { items: NoteAtGlance[]; total: number }
  /** The open tasks due soonest, and how many are open. */
  openTasks: { items: TaskAtGlance[]; total: number }
}

interface Row {
  version: number
  restricted: boolean
  workerSafety: string | null
  communicationNeeds: string | null
  address: string | null
  postcode: string | null
  family: unknown
  people: unknown
  agencies: unknown
  plans: unknown
  lastVisit: unknown
  notesTotal: number
  latestNotes: unknown
  openTasksTotal: number
  nextTasks: unknown
}

/** A json column as the driver gives it: parsed already (node-postgres, PGlite) or as text. */
function json<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

const FAMILY_ORDER = sql.raw(`array['parent','carer','partner-of-parent','grandparent','sibling','other']::text[]`)

/** The summary of one case (already opened and audited by the caller) on `today`. */
export async function caseAtGlance(db: Db, caseId: string, today: string): Promise<CaseAtGlance> {
  const visitKinds = sql.join(VISIT_KINDS.map((k) => sql`${k}`), sql`, `)
  const [row] = await queryRows<Row>(
    db,
    sql`
    select
      cc.version, (cc.restricted or p.restricted) as restricted,
      cc.worker_safety as "workerSafety", cc.communication_needs as "communicationNeeds",
      p.address, p.postcode,
      (select coalesce(json_agg(json_build_object(
                'givenName', rp.given_name, 'familyName', rp.family_name, 'dateOfBirth', rp.date_of_birth, 'kind', pr.kind,
                'sameHousehold', pr.same_household, 'parentalResponsibility', pr.parental_responsibility)
              order by array_position(${FAMILY_ORDER}, pr.kind), rp.family_name, rp.given_name), '[]'::json)
         from person_relationship pr join person rp on rp.id = pr.related_person_id
        where pr.person_id = cc.person_id and (pr.ended_on is null or pr.ended_on > ${today})
          and (pr.same_household or pr.kind in ('parent', 'carer'))) as family,
      (select coalesce(json_agg(json_build_object(
                'name', u.display_name, 'email', u.email,
                'allocated', u.id is not distinct from cc.allocated_worker_id,
                'manager', u.active and u.team_id is not distinct from cc.team_id and 'team-manager' = any(u.roles))
              order by u.display_name), '[]'::json)
         from app_user u
        where u.id = cc.allocated_worker_id or (u.active and u.team_id = cc.team_id and 'team-manager' = any(u.roles))) as people,
      (select coalesce(json_agg(json_build_object(
                'agencyId', a.id, 'agencyName', a.name, 'involvement', inv.role, 'since', inv.started_on,
                'phone', d.phone, 'email', d.email, 'contacts', coalesce(ct.contacts, '[]'::json))
              order by a.name), '[]'::json)
         from agency a
         left join lateral (
           select ci.role, ci.started_on from case_involvement ci
            where ci.case_id = cc.id and ci.agency_id = a.id and ci.started_on <= ${today} and (ci.ended_on is null or ci.ended_on >= ${today}) and ci.ended_at is null
            order by ci.started_on limit 1) inv on true
         left join agency_contact_details d on d.agency_id = a.id
         left join lateral (
           select json_agg(json_build_object('name', x.name, 'role', x.role, 'contact', x.contact, 'basis', x.basis, 'on', x.referred_on)
                    order by x.basis, x.name) as contacts
             from (
               select distinct u.display_name as name, null::text as role, u.email as contact, 'plan-action' as basis, null::date as referred_on
                 from plan_item pi join plan pl on pl.id = pi.plan_id join app_user u on u.id = pi.owner_user_id
                where pi.case_id = cc.id and pi.owner_agency_id = a.id and pi.kind = 'action' and pi.status <> 'dropped' and pl.ended_on is null
               union all
               (select distinct on (c.referrer_name) c.referrer_name, c.referrer_role, c.referrer_contact, 'referrer', (c.received_at at time zone 'Europe/London')::date
                  from contact_child cch join contact c on c.id = cch.contact_id
                 where cch.case_id = cc.id and c.referrer_agency_id = a.id
                 order by c.referrer_name, c.received_at desc)
             ) x) ct on true
        where a.id in (
                select ci.agency_id from case_involvement ci
                 where ci.case_id = cc.id and ci.started_on <= ${today} and (ci.ended_on is null or ci.ended_on >= ${today}) and ci.ended_at is null)
           or a.id in (
                select pi.owner_agency_id from plan_item pi join plan pl on pl.id = pi.plan_id
                 where pi.case_id = cc.id and pi.kind = 'action' and pi.status <> 'dropped' and pl.ended_on is null
                   and pi.owner_agency_id is distinct from (select t.agency_id from team t where t.id = cc.team_id))) as agencies,
      (select coalesce(json_agg(json_build_object(
                'id', pl.id, 'kind', pl.kind, 'startedOn', pl.started_on, 'category', pl.latest_category, 'nextReviewOn', pl.next_review_on)
              order by pl.started_on desc, pl.id), '[]'::json)
         from plan pl where pl.case_id = cc.id and pl.ended_on is null) as plans,
      (select json_build_object('id', n.id, 'occurredOn', n.occurred_on, 'kind', n.kind, 'title', n.title,
                'childSeen', n.child_seen, 'childSeenAlone', n.child_seen_alone)
         from case_note n
        where n.case_id = cc.id and n.kind in (${visitKinds}) and n.occurred_on <= ${today}
        order by n.occurred_on desc, n.created_at desc, n.id desc limit 1) as "lastVisit",
      (select count(*)::int from case_note n where n.case_id = cc.id) as "notesTotal",
      (select coalesce(json_agg(json_build_object('id', x.id, 'occurredOn', x.occurred_on, 'kind', x.kind, 'title', x.title, 'recordedByName', x.name)
              order by x.occurred_on desc, x.created_at desc, x.id desc), '[]'::json)
         from (select n.id, n.occurred_on, n.kind, n.title, n.created_at, u.display_name as name
                 from case_note n join app_user u on u.id = n.recorded_by
                where n.case_id = cc.id
                order by n.occurred_on desc, n.created_at desc, n.id desc limit ${SUMMARY_NOTES}) x) as "latestNotes",
      (select count(*)::int from task t where t.case_id = cc.id and t.status = 'open') as "openTasksTotal",
      (select coalesce(json_agg(json_build_object('id', x.id, 'title', x.title, 'dueOn', x.due_on, 'assignee', x.assignee)
              order by x.due_on asc nulls last, x.created_at, x.id), '[]'::json)
         from (select t.id, t.title, t.due_on, t.created_at, coalesce(u.display_name, tm.name) as assignee
                 from task t left join app_user u on u.id = t.assignee_user_id left join team tm on tm.id = t.assignee_team_id
                where t.case_id = cc.id and t.status = 'open'
                order by t.due_on asc nulls last, t.created_at, t.id limit ${SUMMARY_TASKS}) x) as "nextTasks"
    from child_case cc join person p on p.id = cc.person_id
    where cc.id = ${caseId}`,
  )
  if (!row) throw new Error(`caseAtGlance: no case ${caseId}`)
  const family = json<FamilyMemberAtGlance[]>(row.family)
  const people = json<(Practitioner & { allocated: boolean; manager: boolean })[]>(row.people)
  const worker = people.find((p) => p.allocated)
  const tasks = json<Omit<TaskAtGlance, 'dueState'>[]>(row.nextTasks)
  return {
    address: row.address,
    postcode: row.postcode,
    household: family.filter((f) => f.sameHousehold),
    parentsAndCarersElsewhere: family.filter((f) => !f.sameHousehold),
    allocatedWorker: worker ? { name: worker.name, email: worker.email } : null,
    teamManagers: people.filter((p) => p.manager).map((p) => ({ name: p.name, email: p.email })),
    agencies: json<InvolvedAgency[]>(row.agencies),
    alerts: { restricted: row.restricted, workerSafety: row.workerSafety, communicationNeeds: row.communicationNeeds, version: row.version },
    plans: json<PlanAtGlance[]>(row.plans),
    lastVisit: row.lastVisit === null ? null : json<VisitAtGlance>(row.lastVisit),
    latestNotes: { items: json<NoteAtGlance[]>(row.latestNotes), total: row.notesTotal },
    openTasks: { items: tasks.map((t) => ({ ...t, dueState: dueStateOf({ status: 'open', dueOn: t.dueOn }, today) })), total: row.openTasksTotal },
  }
}
