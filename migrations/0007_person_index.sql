CREATE TABLE "match_key" (
	"partnership_id" uuid NOT NULL,
	"key" text NOT NULL,
	"source_record_id" uuid NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_review" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"source_record_id" uuid NOT NULL,
	"candidate_person_id" uuid NOT NULL,
	"score" text NOT NULL,
	"band" text NOT NULL,
	"reasons" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_weights" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"estimated_at" timestamp with time zone NOT NULL,
	"model" jsonb NOT NULL,
	"pairs_used" integer NOT NULL,
	"decisions_used" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_link_event" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"source_record_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"action" text NOT NULL,
	"method" text NOT NULL,
	"score" text,
	"band" text,
	"weights_id" uuid,
	"evidence" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_address" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"source_record_id" uuid NOT NULL,
	"postcode" text,
	"postcode_normalised" text,
	"address_line" text,
	"from_date" date,
	"to_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_name" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"source_record_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"given_name" text,
	"family_name" text,
	"from_date" date,
	"to_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "source_record" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"partnership_id" uuid NOT NULL,
	"source_system" text NOT NULL,
	"source_id" text NOT NULL,
	"given_name" text,
	"middle_names" text,
	"family_name" text,
	"date_of_birth" date,
	"dob_precision" text DEFAULT 'day' NOT NULL,
	"expected_date_of_birth" date,
	"sex" text,
	"nhs_number" text,
	"upn" text,
	"local_ids" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"postcode" text,
	"address_line" text,
	"adoption" text,
	"person_id" uuid,
	"match_data" jsonb,
	"recorded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "match_key" ADD CONSTRAINT "match_key_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_key" ADD CONSTRAINT "match_key_source_record_id_source_record_id_fk" FOREIGN KEY ("source_record_id") REFERENCES "public"."source_record"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_review" ADD CONSTRAINT "match_review_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_review" ADD CONSTRAINT "match_review_source_record_id_source_record_id_fk" FOREIGN KEY ("source_record_id") REFERENCES "public"."source_record"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_review" ADD CONSTRAINT "match_review_candidate_person_id_person_id_fk" FOREIGN KEY ("candidate_person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_review" ADD CONSTRAINT "match_review_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_weights" ADD CONSTRAINT "match_weights_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_link_event" ADD CONSTRAINT "person_link_event_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_link_event" ADD CONSTRAINT "person_link_event_source_record_id_source_record_id_fk" FOREIGN KEY ("source_record_id") REFERENCES "public"."source_record"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_link_event" ADD CONSTRAINT "person_link_event_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_link_event" ADD CONSTRAINT "person_link_event_decided_by_app_user_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."app_user"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_address" ADD CONSTRAINT "source_address_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_address" ADD CONSTRAINT "source_address_source_record_id_source_record_id_fk" FOREIGN KEY ("source_record_id") REFERENCES "public"."source_record"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_name" ADD CONSTRAINT "source_name_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_name" ADD CONSTRAINT "source_name_source_record_id_source_record_id_fk" FOREIGN KEY ("source_record_id") REFERENCES "public"."source_record"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_record" ADD CONSTRAINT "source_record_partnership_id_partnership_id_fk" FOREIGN KEY ("partnership_id") REFERENCES "public"."partnership"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "source_record" ADD CONSTRAINT "source_record_person_id_person_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."person"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "match_key_lookup_idx" ON "match_key" USING btree ("partnership_id","key","source_record_id");--> statement-breakpoint
CREATE INDEX "match_key_record_idx" ON "match_key" USING btree ("source_record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "match_review_pair_unique" ON "match_review" USING btree ("source_record_id","candidate_person_id");--> statement-breakpoint
CREATE INDEX "match_review_open_idx" ON "match_review" USING btree ("partnership_id","status","created_at");--> statement-breakpoint
CREATE INDEX "match_weights_latest_idx" ON "match_weights" USING btree ("partnership_id","estimated_at");--> statement-breakpoint
CREATE INDEX "person_link_event_record_idx" ON "person_link_event" USING btree ("source_record_id","decided_at");--> statement-breakpoint
CREATE INDEX "person_link_event_person_idx" ON "person_link_event" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "source_address_record_idx" ON "source_address" USING btree ("source_record_id");--> statement-breakpoint
CREATE INDEX "source_name_record_idx" ON "source_name" USING btree ("source_record_id");--> statement-breakpoint
CREATE UNIQUE INDEX "source_record_source_unique" ON "source_record" USING btree ("partnership_id","source_system","source_id");--> statement-breakpoint
CREATE INDEX "source_record_person_idx" ON "source_record" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "source_record_pending_idx" ON "source_record" USING btree ("partnership_id") WHERE "source_record"."match_data" is null;--> statement-breakpoint
CREATE INDEX "source_record_family_trgm_idx" ON "source_record" USING gin (lower("family_name") gin_trgm_ops);--> statement-breakpoint
-- The journey's own people are source records of source_system 'together' (source_id = person.id),
-- kept in step by a trigger so every way a person is written (forms, API, seeding, COPY) is covered.
-- match_data stays null until the person index standardises the record (lazily, before a search).
-- The index itself sets together.person_index = 'writing' while it creates a person for a cluster.
CREATE FUNCTION person_to_source_record() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('together.person_index', true), '') = 'writing' THEN
    RETURN NEW;
  END IF;
  INSERT INTO source_record (partnership_id, source_system, source_id, given_name, family_name, date_of_birth,
      expected_date_of_birth, sex, nhs_number, upn, postcode, address_line, person_id, match_data, recorded_at)
    VALUES (NEW.partnership_id, 'together', NEW.id::text, NEW.given_name, NEW.family_name, NEW.date_of_birth,
      NEW.expected_date_of_birth, NEW.sex, NEW.nhs_number, NEW.upn, NEW.postcode, NEW.address, NEW.id, NULL, NEW.updated_at)
  ON CONFLICT (partnership_id, source_system, source_id) DO UPDATE SET
    given_name = EXCLUDED.given_name, family_name = EXCLUDED.family_name, date_of_birth = EXCLUDED.date_of_birth,
    expected_date_of_birth = EXCLUDED.expected_date_of_birth, sex = EXCLUDED.sex, nhs_number = EXCLUDED.nhs_number,
    upn = EXCLUDED.upn, postcode = EXCLUDED.postcode, address_line = EXCLUDED.address_line,
    match_data = NULL, recorded_at = EXCLUDED.recorded_at, updated_at = now(), version = source_record.version + 1;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER person_source_record AFTER INSERT OR UPDATE OF given_name, family_name, date_of_birth,
    expected_date_of_birth, sex, nhs_number, upn, postcode, address ON person
  FOR EACH ROW EXECUTE FUNCTION person_to_source_record();
--> statement-breakpoint
INSERT INTO source_record (partnership_id, source_system, source_id, given_name, family_name, date_of_birth,
    expected_date_of_birth, sex, nhs_number, upn, postcode, address_line, person_id, match_data, recorded_at)
  SELECT partnership_id, 'together', id::text, given_name, family_name, date_of_birth, expected_date_of_birth, sex,
    nhs_number, upn, postcode, address, id, NULL, updated_at
  FROM person;
