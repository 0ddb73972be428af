-- Meetings (issue 11): meetings, their invitations, duty completions, duty reminders sent, observer
-- applications and the meeting reference counter. Duties themselves are derived, never stored.

-- CreateTable
CREATE TABLE "meetings" (
    "id" TEXT NOT NULL,
    "reference" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "starts_on" DATE NOT NULL,
    "ends_on" DATE NOT NULL,
    "country" TEXT NOT NULL,
    "data" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "meetings_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meeting_invitations" (
    "meeting_id" TEXT NOT NULL,
    "segment" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" TEXT,
    "organization" TEXT,
    "basis" TEXT NOT NULL,
    "invited_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "response" TEXT,
    "responded_at" TIMESTAMPTZ(3),

    CONSTRAINT "meeting_invitations_pkey" PRIMARY KEY ("meeting_id","segment","person_id")
);

-- CreateTable
CREATE TABLE "duty_completions" (
    "duty_id" TEXT NOT NULL,
    "duty" TEXT NOT NULL,
    "meeting_reference" TEXT,
    "owner" TEXT NOT NULL,
    "due" DATE NOT NULL,
    "recorded_by" TEXT NOT NULL,
    "done_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "duty_completions_pkey" PRIMARY KEY ("duty_id")
);

-- CreateTable
CREATE TABLE "duty_reminders_sent" (
    "duty_id" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "due" DATE NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "outbox_id" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "duty_reminders_sent_pkey" PRIMARY KEY ("duty_id","recipient","slot","due")
);

-- CreateTable
CREATE TABLE "observer_applications" (
    "id" TEXT NOT NULL,
    "applicant_kind" TEXT NOT NULL,
    "applicant_code" TEXT NOT NULL,
    "stage" TEXT NOT NULL,
    "received_on" DATE NOT NULL,
    "data" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "observer_applications_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "meeting_reference_counters" (
    "year" INTEGER NOT NULL,
    "last" INTEGER NOT NULL,

    CONSTRAINT "meeting_reference_counters_pkey" PRIMARY KEY ("year")
);

-- CreateIndex
CREATE UNIQUE INDEX "meetings_reference_key" ON "meetings"("reference");

-- CreateIndex
CREATE INDEX "meetings_starts_on_idx" ON "meetings"("starts_on");

-- CreateIndex
CREATE INDEX "meeting_invitations_organization_idx" ON "meeting_invitations"("organization");

-- CreateIndex
CREATE INDEX "observer_applications_stage_idx" ON "observer_applications"("stage");

-- AddForeignKey
ALTER TABLE "meeting_invitations" ADD CONSTRAINT "meeting_invitations_meeting_id_fkey" FOREIGN KEY ("meeting_id") REFERENCES "meetings"("id") ON DELETE CASCADE ON UPDATE CASCADE;
