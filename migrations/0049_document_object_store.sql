ALTER TABLE "document_version" ADD COLUMN "storage" text DEFAULT 'database' NOT NULL;--> statement-breakpoint
ALTER TABLE "document_version" ADD COLUMN "object_key" text;