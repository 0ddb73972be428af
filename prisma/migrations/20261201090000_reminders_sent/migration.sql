-- CreateTable
CREATE TABLE "reminders_sent" (
    "consultation_id" TEXT NOT NULL,
    "country" TEXT NOT NULL,
    "person_id" TEXT NOT NULL,
    "slot" TEXT NOT NULL,
    "deadline_version" INTEGER NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "outbox_id" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "reminders_sent_pkey" PRIMARY KEY ("consultation_id","country","person_id","slot","deadline_version")
);
