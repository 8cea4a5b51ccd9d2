ALTER TABLE "agency_contact_details" ADD COLUMN "out_of_hours_phone" text;--> statement-breakpoint
ALTER TABLE "agency_contact_details" ADD COLUMN "out_of_hours_email" text;--> statement-breakpoint
ALTER TABLE "agency_contact_details" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;