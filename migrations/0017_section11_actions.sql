CREATE TABLE "section11_action" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"return_id" uuid NOT NULL,
	"standard_code" text NOT NULL,
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
ALTER TABLE "section11_action" ADD CONSTRAINT "section11_action_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_action" ADD CONSTRAINT "section11_action_return_id_section11_return_id_fk" FOREIGN KEY ("return_id") REFERENCES "public"."section11_return"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_action" ADD CONSTRAINT "section11_action_owner_agency_id_agency_id_fk" FOREIGN KEY ("owner_agency_id") REFERENCES "public"."agency"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_action" ADD CONSTRAINT "section11_action_owner_user_id_app_user_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_action" ADD CONSTRAINT "section11_action_task_id_task_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."task"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_action" ADD CONSTRAINT "section11_action_closed_by_app_user_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "section11_action" ADD CONSTRAINT "section11_action_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "section11_action_return_idx" ON "section11_action" USING btree ("return_id");--> statement-breakpoint
CREATE INDEX "section11_action_open_idx" ON "section11_action" USING btree ("partnership_id","due_on") WHERE "section11_action"."status" <> 'closed';