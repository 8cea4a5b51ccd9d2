CREATE TABLE "adoption_decision" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"decided_on" date NOT NULL,
	"ceased_on" date,
	"reason_ceased" text,
	"matched_on" date,
	"adopter_count" integer,
	"adopter_sex" text,
	"adopter_legal_status" text,
	"adopters_foster_carers" boolean,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "care_plan" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"agreed_on" date NOT NULL,
	"permanence_plan" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iro_allocation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"iro_id" uuid NOT NULL,
	"from_on" date NOT NULL,
	"to_on" date,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "iro_escalation" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"raised_on" date NOT NULL,
	"stage" text NOT NULL,
	"concern" text NOT NULL,
	"resolved_on" date,
	"outcome" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "looked_after_review" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"held_on" date NOT NULL,
	"participation" text NOT NULL,
	"chair_id" uuid,
	"permanence_plan" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "previous_permanence" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"period_id" uuid NOT NULL,
	"prev_perm" text NOT NULL,
	"la_perm" text,
	"date_perm" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "adoption_decision" ADD CONSTRAINT "adoption_decision_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoption_decision" ADD CONSTRAINT "adoption_decision_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoption_decision" ADD CONSTRAINT "adoption_decision_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "adoption_decision" ADD CONSTRAINT "adoption_decision_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan" ADD CONSTRAINT "care_plan_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan" ADD CONSTRAINT "care_plan_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan" ADD CONSTRAINT "care_plan_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "care_plan" ADD CONSTRAINT "care_plan_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_allocation" ADD CONSTRAINT "iro_allocation_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_allocation" ADD CONSTRAINT "iro_allocation_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_allocation" ADD CONSTRAINT "iro_allocation_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_allocation" ADD CONSTRAINT "iro_allocation_iro_id_app_user_id_fk" FOREIGN KEY ("iro_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_allocation" ADD CONSTRAINT "iro_allocation_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_escalation" ADD CONSTRAINT "iro_escalation_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_escalation" ADD CONSTRAINT "iro_escalation_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_escalation" ADD CONSTRAINT "iro_escalation_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "iro_escalation" ADD CONSTRAINT "iro_escalation_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "looked_after_review" ADD CONSTRAINT "looked_after_review_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "looked_after_review" ADD CONSTRAINT "looked_after_review_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "looked_after_review" ADD CONSTRAINT "looked_after_review_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "looked_after_review" ADD CONSTRAINT "looked_after_review_chair_id_app_user_id_fk" FOREIGN KEY ("chair_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "looked_after_review" ADD CONSTRAINT "looked_after_review_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "previous_permanence" ADD CONSTRAINT "previous_permanence_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "previous_permanence" ADD CONSTRAINT "previous_permanence_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "previous_permanence" ADD CONSTRAINT "previous_permanence_period_id_looked_after_period_id_fk" FOREIGN KEY ("period_id") REFERENCES "public"."looked_after_period"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "previous_permanence" ADD CONSTRAINT "previous_permanence_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "adoption_decision_period_idx" ON "adoption_decision" USING btree ("period_id","decided_on");--> statement-breakpoint
CREATE INDEX "adoption_decision_case_idx" ON "adoption_decision" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "care_plan_period_idx" ON "care_plan" USING btree ("period_id","agreed_on");--> statement-breakpoint
CREATE INDEX "iro_allocation_period_idx" ON "iro_allocation" USING btree ("period_id","from_on");--> statement-breakpoint
CREATE INDEX "iro_allocation_iro_idx" ON "iro_allocation" USING btree ("iro_id");--> statement-breakpoint
CREATE INDEX "iro_escalation_period_idx" ON "iro_escalation" USING btree ("period_id","raised_on");--> statement-breakpoint
CREATE UNIQUE INDEX "looked_after_review_period_day_unique" ON "looked_after_review" USING btree ("period_id","held_on");--> statement-breakpoint
CREATE UNIQUE INDEX "previous_permanence_period_unique" ON "previous_permanence" USING btree ("period_id");