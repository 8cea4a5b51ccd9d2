ALTER TABLE "conference" ADD COLUMN "scheduled_time" text;--> statement-breakpoint
ALTER TABLE "conference" ADD COLUMN "venue" text;--> statement-breakpoint
ALTER TABLE "conference" ADD COLUMN "reschedule_reason" text;--> statement-breakpoint
ALTER TABLE "section47_enquiry" ADD COLUMN "findings" text;--> statement-breakpoint
ALTER TABLE "section47_enquiry" ADD COLUMN "childs_account" text;--> statement-breakpoint
ALTER TABLE "section47_enquiry" ADD COLUMN "outcome_reasons" text;