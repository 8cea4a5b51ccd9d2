CREATE TABLE "match_review_approval" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"review_id" uuid NOT NULL,
	"decided_by" uuid NOT NULL,
	"decided_at" timestamp with time zone NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_review_approval" ADD CONSTRAINT "match_review_approval_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_review_approval" ADD CONSTRAINT "match_review_approval_review_id_match_review_id_fk" FOREIGN KEY ("review_id") REFERENCES "public"."match_review"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_review_approval" ADD CONSTRAINT "match_review_approval_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "match_review_approval_review_idx" ON "match_review_approval" USING btree ("review_id","decided_at");