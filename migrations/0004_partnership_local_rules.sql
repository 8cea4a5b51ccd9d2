ALTER TABLE "partnership" ADD COLUMN "local_rules" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "partnership" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "partnership" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;