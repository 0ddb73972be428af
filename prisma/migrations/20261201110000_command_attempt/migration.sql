-- What a refused command attempted, for the audit record (crm consultations show / export): when (the
-- domain's clock), who (name, role, country) and the command's own fields (country, position, reaction,
-- text version, deadline), never its free texts. NULL for applied commands and for rows written before.
-- AlterTable
ALTER TABLE "command_log" ADD COLUMN "attempt" JSONB;
