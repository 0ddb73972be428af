-- CreateTable
CREATE TABLE "consultations" (
    "id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "snapshot" JSONB NOT NULL,
    "deadline" TIMESTAMPTZ(3),
    "deadline_version" INTEGER NOT NULL DEFAULT 0,
    "outcome" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consultations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consultation_events" (
    "id" BIGSERIAL NOT NULL,
    "consultation_id" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "actor_person_id" TEXT,
    "actor_platform" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consultation_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "outbox" (
    "id" TEXT NOT NULL,
    "consultation_id" TEXT,
    "dedupe_key" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "recipient" JSONB NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "receipt" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "command_log" (
    "key" TEXT NOT NULL,
    "consultation_id" TEXT,
    "type" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "result" JSONB NOT NULL,
    "actor_person_id" TEXT,
    "actor_platform" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "command_log_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "reference_counters" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "reference_counters_pkey" PRIMARY KEY ("year")
);

-- CreateTable
CREATE TABLE "directory_imports" (
    "id" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "source_path" TEXT NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "data" JSONB NOT NULL,

    CONSTRAINT "directory_imports_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "countries" (
    "code" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "name_es" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "calendar" TEXT NOT NULL,

    CONSTRAINT "countries_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "people" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "slack_id" TEXT,
    "teams_id" TEXT,

    CONSTRAINT "people_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "focal_points" (
    "person_id" TEXT NOT NULL,
    "country" TEXT NOT NULL,

    CONSTRAINT "focal_points_pkey" PRIMARY KEY ("person_id","country")
);

-- CreateTable
CREATE TABLE "staff" (
    "person_id" TEXT NOT NULL,

    CONSTRAINT "staff_pkey" PRIMARY KEY ("person_id")
);

-- CreateTable
CREATE TABLE "presidency_terms" (
    "starts_on" DATE NOT NULL,
    "ends_on" DATE,
    "country" TEXT NOT NULL,

    CONSTRAINT "presidency_terms_pkey" PRIMARY KEY ("starts_on")
);

-- CreateTable
CREATE TABLE "organizations" (
    "code" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name_es" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,

    CONSTRAINT "organizations_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "holiday_overrides" (
    "calendar" TEXT NOT NULL,
    "date" DATE NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'holiday',

    CONSTRAINT "holiday_overrides_pkey" PRIMARY KEY ("calendar","date")
);

-- CreateIndex
CREATE UNIQUE INDEX "consultations_reference_key" ON "consultations"("reference");

-- CreateIndex
CREATE INDEX "consultations_stage_idx" ON "consultations"("stage");

-- CreateIndex
CREATE INDEX "consultations_deadline_idx" ON "consultations"("deadline");

-- CreateIndex
CREATE UNIQUE INDEX "consultation_events_consultation_id_seq_key" ON "consultation_events"("consultation_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "outbox_dedupe_key_key" ON "outbox"("dedupe_key");

-- CreateIndex
CREATE INDEX "outbox_status_next_attempt_at_idx" ON "outbox"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "outbox_consultation_id_idx" ON "outbox"("consultation_id");

-- CreateIndex
CREATE INDEX "command_log_consultation_id_idx" ON "command_log"("consultation_id");

-- CreateIndex
CREATE INDEX "directory_imports_imported_at_idx" ON "directory_imports"("imported_at");

-- CreateIndex
CREATE UNIQUE INDEX "people_slack_id_key" ON "people"("slack_id");

-- CreateIndex
CREATE UNIQUE INDEX "people_teams_id_key" ON "people"("teams_id");

-- CreateIndex
CREATE INDEX "focal_points_country_idx" ON "focal_points"("country");

-- CreateIndex
CREATE INDEX "presidency_terms_country_idx" ON "presidency_terms"("country");

-- AddForeignKey
ALTER TABLE "consultation_events" ADD CONSTRAINT "consultation_events_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_consultation_id_fkey" FOREIGN KEY ("consultation_id") REFERENCES "consultations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "focal_points" ADD CONSTRAINT "focal_points_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "focal_points" ADD CONSTRAINT "focal_points_country_fkey" FOREIGN KEY ("country") REFERENCES "countries"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "staff" ADD CONSTRAINT "staff_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "people"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "presidency_terms" ADD CONSTRAINT "presidency_terms_country_fkey" FOREIGN KEY ("country") REFERENCES "countries"("code") ON DELETE CASCADE ON UPDATE CASCADE;

-- ─── Written by hand: what schema.prisma cannot express ─────────────────────────────────────────

-- outbox.status is one of three values.
ALTER TABLE "outbox" ADD CONSTRAINT "outbox_status_check" CHECK ("status" IN ('pending', 'sent', 'dead'));

-- consultation_events is the audit record of every consultation: append-only.
CREATE FUNCTION "consultation_events_append_only"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'consultation_events is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'P0001', HINT = 'Record a new event instead of changing an old one.';
END;
$$;

CREATE TRIGGER "consultation_events_no_update_or_delete"
    BEFORE UPDATE OR DELETE ON "consultation_events"
    FOR EACH ROW EXECUTE FUNCTION "consultation_events_append_only"();

CREATE TRIGGER "consultation_events_no_truncate"
    BEFORE TRUNCATE ON "consultation_events"
    FOR EACH STATEMENT EXECUTE FUNCTION "consultation_events_append_only"();
