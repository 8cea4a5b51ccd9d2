CREATE TABLE "rectification_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"case_id" uuid NOT NULL,
	"entity" text NOT NULL,
	"entity_id" uuid NOT NULL,
	"record_title" text NOT NULL,
	"field" text,
	"requester_name" text NOT NULL,
	"received_on" date NOT NULL,
	"what_is_wrong" text NOT NULL,
	"what_they_want" text NOT NULL,
	"decision" text,
	"decision_reason" text,
	"statement" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subject_access_bundle" (
	"request_id" uuid PRIMARY KEY NOT NULL,
	"partnership_id" uuid NOT NULL,
	"pdf" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"produced_by" uuid NOT NULL,
	"produced_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subject_access_item" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"source" text NOT NULL,
	"source_ref" text,
	"person_id" uuid,
	"case_id" uuid,
	"dated_on" date,
	"title" text NOT NULL,
	"text" text NOT NULL,
	"decision" text,
	"exemption" text,
	"exemption_detail" text,
	"redacted_text" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subject_access_request" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"requester_name" text NOT NULL,
	"requester_kind" text NOT NULL,
	"requester_relationship" text,
	"received_on" date NOT NULL,
	"identity_method" text,
	"identity_verified_by" uuid,
	"identity_verified_on" date,
	"identity_notes" text,
	"extension_months" integer DEFAULT 0 NOT NULL,
	"extension_reason" text,
	"status" text DEFAULT 'received' NOT NULL,
	"compiled_at" timestamp with time zone,
	"compiled_by" uuid,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone,
	"approved_by" uuid,
	"completed_on" date,
	"recorded_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "subject_access_subject" (
	"partnership_id" uuid NOT NULL,
	"request_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	CONSTRAINT "subject_access_subject_request_id_person_id_pk" PRIMARY KEY("request_id","person_id")
);
--> statement-breakpoint
ALTER TABLE "rectification_request" ADD CONSTRAINT "rectification_request_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_request" ADD CONSTRAINT "rectification_request_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_request" ADD CONSTRAINT "rectification_request_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rectification_request" ADD CONSTRAINT "rectification_request_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_bundle" ADD CONSTRAINT "subject_access_bundle_request_id_subject_access_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."subject_access_request"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_bundle" ADD CONSTRAINT "subject_access_bundle_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_bundle" ADD CONSTRAINT "subject_access_bundle_produced_by_app_user_id_fk" FOREIGN KEY ("produced_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_item" ADD CONSTRAINT "subject_access_item_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_item" ADD CONSTRAINT "subject_access_item_request_id_subject_access_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."subject_access_request"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_item" ADD CONSTRAINT "subject_access_item_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_item" ADD CONSTRAINT "subject_access_item_case_id_child_case_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."child_case"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_item" ADD CONSTRAINT "subject_access_item_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_request" ADD CONSTRAINT "subject_access_request_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_request" ADD CONSTRAINT "subject_access_request_identity_verified_by_app_user_id_fk" FOREIGN KEY ("identity_verified_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_request" ADD CONSTRAINT "subject_access_request_compiled_by_app_user_id_fk" FOREIGN KEY ("compiled_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_request" ADD CONSTRAINT "subject_access_request_submitted_by_app_user_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_request" ADD CONSTRAINT "subject_access_request_approved_by_app_user_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_request" ADD CONSTRAINT "subject_access_request_recorded_by_app_user_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_subject" ADD CONSTRAINT "subject_access_subject_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_subject" ADD CONSTRAINT "subject_access_subject_request_id_subject_access_request_id_fk" FOREIGN KEY ("request_id") REFERENCES "public"."subject_access_request"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subject_access_subject" ADD CONSTRAINT "subject_access_subject_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rectification_request_case_idx" ON "rectification_request" USING btree ("case_id","entity_id");--> statement-breakpoint
CREATE INDEX "subject_access_item_request_idx" ON "subject_access_item" USING btree ("request_id","seq");--> statement-breakpoint
CREATE INDEX "subject_access_request_open_idx" ON "subject_access_request" USING btree ("partnership_id","completed_on","received_on");