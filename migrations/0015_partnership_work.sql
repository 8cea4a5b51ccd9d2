CREATE TABLE "agency_contribution" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"contact_user_id" uuid NOT NULL,
	"task_id" uuid,
	"question" text NOT NULL,
	"requested_on" date NOT NULL,
	"due_on" date NOT NULL,
	"involvement" text,
	"entries" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"learning" text,
	"submitted_on" date,
	"submitted_by" uuid,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dar_review" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"csp_name" text NOT NULL,
	"deceased" text NOT NULL,
	"death_on" date NOT NULL,
	"notified_on" date NOT NULL,
	"suicide" boolean NOT NULL,
	"circumstances" text NOT NULL,
	"decision_due_on" date,
	"decision" text,
	"decision_reasons" text,
	"decided_on" date,
	"completion_due_on" date,
	"scope" text,
	"timeline" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"report_completed_on" date,
	"report_summary" text,
	"home_office_sent_on" date,
	"commissioner_copy_on" date,
	"linked_incident_id" uuid,
	"linked_review_id" uuid,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lado_case" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"reference" text NOT NULL,
	"designated_team_id" uuid NOT NULL,
	"employer_name" text NOT NULL,
	"employer_agency_id" uuid,
	"employer_contact_user_id" uuid,
	"subject_name" text NOT NULL,
	"subject_role" text NOT NULL,
	"category" text NOT NULL,
	"allegation" text NOT NULL,
	"case_id" uuid,
	"known_on" date NOT NULL,
	"referred_on" date NOT NULL,
	"edition" integer NOT NULL,
	"referral_due_on" date,
	"referral_late_reason" text,
	"outcome" text,
	"outcome_on" date,
	"outcome_notes" text,
	"exceptional_reason" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lado_meeting" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"lado_case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"held_on" date NOT NULL,
	"attendees" text NOT NULL,
	"decisions" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "practice_review" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"incident_id" uuid,
	"case_id" uuid NOT NULL,
	"edition" integer NOT NULL,
	"title" text NOT NULL,
	"notified_on" date,
	"decision_due_on" date,
	"decided_on" date NOT NULL,
	"due_on" date,
	"reviewer" text,
	"terms_of_reference" text,
	"advance_notice_on" date,
	"earliest_publication_on" date,
	"completed_on" date,
	"published_on" date,
	"publication_note" text,
	"late_reason" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_action" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"review_id" uuid NOT NULL,
	"recommendation_id" uuid NOT NULL,
	"text" text NOT NULL,
	"owner_agency_id" uuid NOT NULL,
	"owner_user_id" uuid NOT NULL,
	"task_id" uuid,
	"due_on" date NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"evidence" text,
	"completed_on" date,
	"closed_on" date,
	"closed_by" uuid,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_draft" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"review_id" uuid NOT NULL,
	"received_on" date NOT NULL,
	"summary" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "review_member" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"subject_type" text NOT NULL,
	"subject_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"added_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "review_recommendation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"review_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"text" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "section11_cycle" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"template_id" uuid NOT NULL,
	"name" text NOT NULL,
	"standards" jsonb NOT NULL,
	"issued_on" date NOT NULL,
	"answers_due_on" date NOT NULL,
	"next_cycle_due_on" date NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "section11_return" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"cycle_id" uuid NOT NULL,
	"agency_id" uuid NOT NULL,
	"contact_user_id" uuid NOT NULL,
	"task_id" uuid,
	"status" text DEFAULT 'issued' NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"submitted_on" date,
	"challenges" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"agreed_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "section11_template" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"name" text NOT NULL,
	"standards" jsonb NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "serious_incident" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"incident_on" date NOT NULL,
	"aware_on" date NOT NULL,
	"summary" text NOT NULL,
	"edition" integer NOT NULL,
	"notification_due_on" date,
	"notified_on" date,
	"recipients" text[] DEFAULT '{}'::text[] NOT NULL,
	"notification_late_reason" text,
	"rapid_review_due_on" date,
	"rapid_review_decision" text,
	"rapid_review_reasons" text,
	"rapid_review_decided_on" date,
	"submitted_to_panel_on" date,
	"rapid_review_late_reason" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "agency_contribution" ADD CONSTRAINT "agency_contribution_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_contribution" ADD CONSTRAINT "agency_contribution_agency_id_agency_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agency"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_contribution" ADD CONSTRAINT "agency_contribution_contact_user_id_app_user_id_fk" FOREIGN KEY ("contact_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_contribution" ADD CONSTRAINT "agency_contribution_task_id_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."task"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_contribution" ADD CONSTRAINT "agency_contribution_submitted_by_app_user_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agency_contribution" ADD CONSTRAINT "agency_contribution_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dar_review" ADD CONSTRAINT "dar_review_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dar_review" ADD CONSTRAINT "dar_review_linked_incident_id_serious_incident_id_fk" FOREIGN KEY ("linked_incident_id") REFERENCES "public"."serious_incident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dar_review" ADD CONSTRAINT "dar_review_linked_review_id_practice_review_id_fk" FOREIGN KEY ("linked_review_id") REFERENCES "public"."practice_review"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dar_review" ADD CONSTRAINT "dar_review_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_case" ADD CONSTRAINT "lado_case_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_case" ADD CONSTRAINT "lado_case_designated_team_id_team_id_fk" FOREIGN KEY ("designated_team_id") REFERENCES "public"."team"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_case" ADD CONSTRAINT "lado_case_employer_agency_id_agency_id_fk" FOREIGN KEY ("employer_agency_id") REFERENCES "public"."agency"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_case" ADD CONSTRAINT "lado_case_employer_contact_user_id_app_user_id_fk" FOREIGN KEY ("employer_contact_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_case" ADD CONSTRAINT "lado_case_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_case" ADD CONSTRAINT "lado_case_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_meeting" ADD CONSTRAINT "lado_meeting_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_meeting" ADD CONSTRAINT "lado_meeting_lado_case_id_lado_case_id_fk" FOREIGN KEY ("lado_case_id") REFERENCES "public"."lado_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_meeting" ADD CONSTRAINT "lado_meeting_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_review" ADD CONSTRAINT "practice_review_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_review" ADD CONSTRAINT "practice_review_incident_id_serious_incident_id_fk" FOREIGN KEY ("incident_id") REFERENCES "public"."serious_incident"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_review" ADD CONSTRAINT "practice_review_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "practice_review" ADD CONSTRAINT "practice_review_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_action" ADD CONSTRAINT "review_action_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_action" ADD CONSTRAINT "review_action_recommendation_id_review_recommendation_id_fk" FOREIGN KEY ("recommendation_id") REFERENCES "public"."review_recommendation"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_action" ADD CONSTRAINT "review_action_owner_agency_id_agency_id_fk" FOREIGN KEY ("owner_agency_id") REFERENCES "public"."agency"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_action" ADD CONSTRAINT "review_action_owner_user_id_app_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_action" ADD CONSTRAINT "review_action_task_id_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."task"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_action" ADD CONSTRAINT "review_action_closed_by_app_user_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_action" ADD CONSTRAINT "review_action_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_draft" ADD CONSTRAINT "review_draft_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_draft" ADD CONSTRAINT "review_draft_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_member" ADD CONSTRAINT "review_member_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_member" ADD CONSTRAINT "review_member_user_id_app_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_member" ADD CONSTRAINT "review_member_added_by_app_user_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_recommendation" ADD CONSTRAINT "review_recommendation_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "review_recommendation" ADD CONSTRAINT "review_recommendation_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_cycle" ADD CONSTRAINT "section11_cycle_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_cycle" ADD CONSTRAINT "section11_cycle_template_id_section11_template_id_fk" FOREIGN KEY ("template_id") REFERENCES "public"."section11_template"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_cycle" ADD CONSTRAINT "section11_cycle_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_return" ADD CONSTRAINT "section11_return_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_return" ADD CONSTRAINT "section11_return_cycle_id_section11_cycle_id_fk" FOREIGN KEY ("cycle_id") REFERENCES "public"."section11_cycle"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_return" ADD CONSTRAINT "section11_return_agency_id_agency_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agency"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_return" ADD CONSTRAINT "section11_return_contact_user_id_app_user_id_fk" FOREIGN KEY ("contact_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_return" ADD CONSTRAINT "section11_return_task_id_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."task"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_template" ADD CONSTRAINT "section11_template_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_template" ADD CONSTRAINT "section11_template_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serious_incident" ADD CONSTRAINT "serious_incident_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serious_incident" ADD CONSTRAINT "serious_incident_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "serious_incident" ADD CONSTRAINT "serious_incident_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "agency_contribution_subject_idx" ON "agency_contribution" USING btree ("subject_id");--> statement-breakpoint
CREATE INDEX "agency_contribution_contact_idx" ON "agency_contribution" USING btree ("contact_user_id");--> statement-breakpoint
CREATE INDEX "dar_review_partnership_idx" ON "dar_review" USING btree ("partnership_id","notified_on");--> statement-breakpoint
CREATE INDEX "lado_case_team_idx" ON "lado_case" USING btree ("designated_team_id","referred_on");--> statement-breakpoint
CREATE INDEX "lado_case_contact_idx" ON "lado_case" USING btree ("employer_contact_user_id");--> statement-breakpoint
CREATE INDEX "lado_meeting_case_idx" ON "lado_meeting" USING btree ("lado_case_id");--> statement-breakpoint
CREATE INDEX "practice_review_partnership_idx" ON "practice_review" USING btree ("partnership_id","decided_on");--> statement-breakpoint
CREATE INDEX "review_action_review_idx" ON "review_action" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "review_action_open_idx" ON "review_action" USING btree ("partnership_id","due_on") WHERE "review_action"."status" <> 'closed';--> statement-breakpoint
CREATE INDEX "review_draft_review_idx" ON "review_draft" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "review_member_subject_idx" ON "review_member" USING btree ("subject_id","user_id");--> statement-breakpoint
CREATE INDEX "review_member_user_idx" ON "review_member" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "review_recommendation_review_idx" ON "review_recommendation" USING btree ("review_id");--> statement-breakpoint
CREATE INDEX "section11_cycle_partnership_idx" ON "section11_cycle" USING btree ("partnership_id","issued_on");--> statement-breakpoint
CREATE UNIQUE INDEX "section11_return_unique" ON "section11_return" USING btree ("cycle_id","agency_id");--> statement-breakpoint
CREATE INDEX "section11_return_contact_idx" ON "section11_return" USING btree ("contact_user_id");--> statement-breakpoint
CREATE INDEX "serious_incident_partnership_idx" ON "serious_incident" USING btree ("partnership_id","aware_on");--> statement-breakpoint
CREATE INDEX "serious_incident_case_idx" ON "serious_incident" USING btree ("case_id");