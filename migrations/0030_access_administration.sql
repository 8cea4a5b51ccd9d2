CREATE TABLE "case_restriction" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"restricted" boolean NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_grant" ADD COLUMN "withdrawn_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "access_grant" ADD COLUMN "withdrawn_by" uuid;--> statement-breakpoint
ALTER TABLE "access_grant" ADD COLUMN "withdraw_reason" text;--> statement-breakpoint
ALTER TABLE "access_grant" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD COLUMN "reason" text;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD COLUMN "ended_by" uuid;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD COLUMN "end_reason" text;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD COLUMN "recorded_by" uuid;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "case_restriction" ADD CONSTRAINT "case_restriction_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_restriction" ADD CONSTRAINT "case_restriction_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_restriction" ADD CONSTRAINT "case_restriction_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_restriction_case_idx" ON "case_restriction" USING btree ("case_id","recorded_at");--> statement-breakpoint
ALTER TABLE "access_grant" ADD CONSTRAINT "access_grant_withdrawn_by_app_user_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD CONSTRAINT "case_involvement_ended_by_app_user_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_involvement" ADD CONSTRAINT "case_involvement_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_grant_case_idx" ON "access_grant" USING btree ("case_id","kind");