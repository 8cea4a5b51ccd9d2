ALTER TABLE "audit_chain_head" ADD COLUMN "mac" text;--> statement-breakpoint
ALTER TABLE "audit_chain_head" ADD COLUMN "key_id" text;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "mac" text;--> statement-breakpoint
ALTER TABLE "audit_event" ADD COLUMN "key_id" text;