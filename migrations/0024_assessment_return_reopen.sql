ALTER TABLE "assessment" ADD COLUMN "authorisation_comment" text;--> statement-breakpoint
ALTER TABLE "assessment" ADD COLUMN "returned_on" date;--> statement-breakpoint
ALTER TABLE "assessment" ADD COLUMN "returned_by" uuid;--> statement-breakpoint
ALTER TABLE "assessment" ADD COLUMN "return_reasons" text;--> statement-breakpoint
ALTER TABLE "assessment" ADD COLUMN "reopened_on" date;--> statement-breakpoint
ALTER TABLE "assessment" ADD COLUMN "reopened_by" uuid;--> statement-breakpoint
ALTER TABLE "assessment" ADD COLUMN "reopen_reason" text;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_returned_by_app_user_id_fk" FOREIGN KEY ("returned_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment" ADD CONSTRAINT "assessment_reopened_by_app_user_id_fk" FOREIGN KEY ("reopened_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;