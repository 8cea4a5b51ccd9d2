ALTER TABLE "csc_feed_run" ADD COLUMN "status" text DEFAULT 'sent' NOT NULL;--> statement-breakpoint
ALTER TABLE "csc_feed_run" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "csc_feed_run" ADD COLUMN "trigger" text DEFAULT 'command' NOT NULL;