-- The children an allegation concerns are in lado_child (one or more, linked or described), made by 0018.
ALTER TABLE "lado_case" DROP CONSTRAINT "lado_case_case_id_child_case_id_fk";
--> statement-breakpoint
ALTER TABLE "lado_case" DROP COLUMN "case_id";