ALTER TABLE "document_version" ADD COLUMN "scan_signature" text;--> statement-breakpoint
ALTER TABLE "document_version" ADD COLUMN "scanned_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "document_version_pending_idx" ON "document_version" USING btree ("partnership_id") WHERE "document_version"."scan_status" = 'pending';