ALTER TABLE "dar_review" ADD COLUMN "late_reason_code" text;--> statement-breakpoint
ALTER TABLE "practice_review" ADD COLUMN "late_reason_code" text;