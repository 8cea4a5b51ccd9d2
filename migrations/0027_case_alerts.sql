ALTER TABLE "child_case" ADD COLUMN "worker_safety" text;--> statement-breakpoint
ALTER TABLE "child_case" ADD COLUMN "communication_needs" text;