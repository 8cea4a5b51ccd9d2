CREATE TABLE "document_kind" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"code" text NOT NULL,
	"label" text NOT NULL,
	"max_bytes" integer NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"position" integer NOT NULL,
	"updated_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "document" ADD COLUMN "record_kind" text;--> statement-breakpoint
ALTER TABLE "document" ADD COLUMN "record_id" uuid;--> statement-breakpoint
ALTER TABLE "document_kind" ADD CONSTRAINT "document_kind_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "document_kind" ADD CONSTRAINT "document_kind_updated_by_app_user_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "document_kind_code_idx" ON "document_kind" USING btree ("partnership_id","code");