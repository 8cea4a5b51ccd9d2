ALTER TABLE "dar_review" ADD COLUMN "decision_late_reason_code" text;--> statement-breakpoint
ALTER TABLE "dar_review" ADD COLUMN "decision_late_reason" text;--> statement-breakpoint
ALTER TABLE "practice_review" ADD COLUMN "decision_late_reason_code" text;--> statement-breakpoint
ALTER TABLE "practice_review" ADD COLUMN "decision_late_reason" text;