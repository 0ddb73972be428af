-- Messages that replace an earlier one in place (the ST channel's live status, a person's member card) are
-- looked up by their replace key when delivered: the previous receipt (to update instead of posting anew)
-- and whether a newer version was sent already. Those lookups read the JSON payload of every sent row
-- before (5,685 rows read to keep 65, growing with every message ever sent: issue 12); the key now has a
-- column of its own, copied from `payload.replaceKey` when the row is written, and two indexes that end
-- each lookup after a handful of rows whatever the size of the outbox.
-- AlterTable
ALTER TABLE "outbox" ADD COLUMN "replace_key" TEXT;

-- Rows written before: the key from their payload.
UPDATE "outbox" SET "replace_key" = "payload"->>'replaceKey' WHERE jsonb_typeof("payload"->'replaceKey') = 'string';

-- CreateIndex
CREATE INDEX "outbox_replace_key_platform_sent_at_created_at_idx" ON "outbox"("replace_key", "platform", "sent_at", "created_at");

-- CreateIndex
CREATE INDEX "outbox_replace_key_platform_created_at_idx" ON "outbox"("replace_key", "platform", "created_at");
