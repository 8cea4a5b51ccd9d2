ALTER TABLE "document" ALTER COLUMN "case_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "document" ADD COLUMN "owner_kind" text DEFAULT 'case' NOT NULL;--> statement-breakpoint
ALTER TABLE "document" ADD COLUMN "owner_id" uuid;--> statement-breakpoint
CREATE INDEX "document_owner_idx" ON "document" USING btree ("owner_kind","owner_id","created_at");--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_one_owner" CHECK (("document"."owner_kind" = 'case' and "document"."case_id" is not null and "document"."owner_id" is null) or ("document"."owner_kind" in ('lado-case', 'practice-review') and "document"."case_id" is null and "document"."owner_id" is not null));--> statement-breakpoint
ALTER TABLE "document" ADD CONSTRAINT "document_record_on_case" CHECK ("document"."record_kind" is null or "document"."owner_kind" = 'case');