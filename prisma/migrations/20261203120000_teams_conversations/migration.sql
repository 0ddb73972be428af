-- CreateTable
CREATE TABLE "teams_conversations" (
    "id" TEXT NOT NULL,
    "conversation_type" TEXT NOT NULL,
    "tenant_id" TEXT,
    "service_url" TEXT NOT NULL,
    "team_id" TEXT,
    "user_id" TEXT,
    "aad_object_id" TEXT,
    "reference" JSONB NOT NULL,
    "installed" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_conversations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "teams_users" (
    "aad_object_id" TEXT NOT NULL,
    "user_id" TEXT NOT NULL,
    "tenant_id" TEXT,
    "service_url" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "teams_users_pkey" PRIMARY KEY ("aad_object_id")
);

-- CreateIndex
CREATE INDEX "teams_conversations_aad_object_id_idx" ON "teams_conversations"("aad_object_id");
