CREATE TABLE "strategy_contribution" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"strategy_discussion_id" uuid,
	"agency_id" uuid NOT NULL,
	"body" text NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "plan_item" ALTER COLUMN "plan_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_action_update" ALTER COLUMN "plan_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "plan_item" ADD COLUMN "strategy_discussion_id" uuid;--> statement-breakpoint
ALTER TABLE "strategy_discussion" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meeting_invitation" ADD COLUMN "strategy_discussion_id" uuid;--> statement-breakpoint
ALTER TABLE "plan_action_update" ADD COLUMN "strategy_discussion_id" uuid;--> statement-breakpoint
ALTER TABLE "strategy_contribution" ADD CONSTRAINT "strategy_contribution_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "strategy_contribution" ADD CONSTRAINT "strategy_contribution_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "strategy_contribution" ADD CONSTRAINT "strategy_contribution_strategy_discussion_id_strategy_discussion_id_fk" FOREIGN KEY ("strategy_discussion_id") REFERENCES "public"."strategy_discussion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "strategy_contribution" ADD CONSTRAINT "strategy_contribution_agency_id_agency_id_fk" FOREIGN KEY ("agency_id") REFERENCES "public"."agency"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "strategy_contribution" ADD CONSTRAINT "strategy_contribution_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "strategy_contribution_agency_unique" ON "strategy_contribution" USING btree ("strategy_discussion_id","agency_id") WHERE "strategy_contribution"."strategy_discussion_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "strategy_contribution_pending_unique" ON "strategy_contribution" USING btree ("case_id","agency_id") WHERE "strategy_contribution"."strategy_discussion_id" is null;--> statement-breakpoint
CREATE INDEX "strategy_contribution_case_idx" ON "strategy_contribution" USING btree ("case_id");--> statement-breakpoint
ALTER TABLE "plan_item" ADD CONSTRAINT "plan_item_strategy_discussion_id_strategy_discussion_id_fk" FOREIGN KEY ("strategy_discussion_id") REFERENCES "public"."strategy_discussion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_invitation" ADD CONSTRAINT "meeting_invitation_strategy_discussion_id_strategy_discussion_id_fk" FOREIGN KEY ("strategy_discussion_id") REFERENCES "public"."strategy_discussion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "plan_action_update" ADD CONSTRAINT "plan_action_update_strategy_discussion_id_strategy_discussion_id_fk" FOREIGN KEY ("strategy_discussion_id") REFERENCES "public"."strategy_discussion"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "plan_item_strategy_discussion_idx" ON "plan_item" USING btree ("strategy_discussion_id");--> statement-breakpoint
ALTER TABLE "plan_item" ADD CONSTRAINT "plan_item_parent" CHECK (num_nonnulls("plan_item"."plan_id", "plan_item"."strategy_discussion_id") = 1);