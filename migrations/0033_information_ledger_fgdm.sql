ALTER TABLE "information_share" ALTER COLUMN "recorded_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "pre_proceedings" ADD COLUMN "fgdm_offered_on" date;--> statement-breakpoint
ALTER TABLE "pre_proceedings" ADD COLUMN "fgdm_response" text;--> statement-breakpoint
ALTER TABLE "pre_proceedings" ADD COLUMN "fgdm_not_offered_reason" text;--> statement-breakpoint
ALTER TABLE "information_share" ADD COLUMN "automatic" text;--> statement-breakpoint
ALTER TABLE "information_share" ADD COLUMN "source_id" uuid;--> statement-breakpoint
CREATE INDEX "information_share_outstanding_idx" ON "information_share" USING btree ("partnership_id") WHERE "information_share"."decision" = 'shared' and "information_share"."article6_basis" is null;