ALTER TABLE "clock" ADD COLUMN "delay_reason_code" text;--> statement-breakpoint
ALTER TABLE "lado_case" ADD COLUMN "referral_late_reason_code" text;--> statement-breakpoint
ALTER TABLE "serious_incident" ADD COLUMN "notification_late_reason_code" text;--> statement-breakpoint
ALTER TABLE "serious_incident" ADD COLUMN "rapid_review_late_reason_code" text;