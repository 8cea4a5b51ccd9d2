CREATE TABLE "lado_child" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"lado_case_id" uuid NOT NULL,
	"case_id" uuid,
	"description" text,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dar_review" ADD COLUMN "deceased_age" integer;--> statement-breakpoint
ALTER TABLE "dar_review" ADD COLUMN "decision_notified_on" date;--> statement-breakpoint
ALTER TABLE "dar_review" ADD COLUMN "chair" text;--> statement-breakpoint
ALTER TABLE "dar_review" ADD COLUMN "chair_appointed_on" date;--> statement-breakpoint
ALTER TABLE "dar_review" ADD COLUMN "published_on" date;--> statement-breakpoint
ALTER TABLE "dar_review" ADD COLUMN "late_reason" text;--> statement-breakpoint
ALTER TABLE "lado_case" ADD COLUMN "categories" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "lado_case" ADD COLUMN "employer_contact_name" text;--> statement-breakpoint
ALTER TABLE "lado_case" ADD COLUMN "referrer" text;--> statement-breakpoint
ALTER TABLE "lado_child" ADD CONSTRAINT "lado_child_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_child" ADD CONSTRAINT "lado_child_lado_case_id_lado_case_id_fk" FOREIGN KEY ("lado_case_id") REFERENCES "public"."lado_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_child" ADD CONSTRAINT "lado_child_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lado_child" ADD CONSTRAINT "lado_child_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "lado_child_case_idx" ON "lado_child" USING btree ("lado_case_id");