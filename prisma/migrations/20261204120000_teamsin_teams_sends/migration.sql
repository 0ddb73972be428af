-- CreateTable
CREATE TABLE "teams_sends" (
    "dedupe_key" TEXT NOT NULL,
    "conversation_id" TEXT,
    "service_url" TEXT,
    "activity_id" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_sends_pkey" PRIMARY KEY ("dedupe_key")
);
