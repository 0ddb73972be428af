-- CreateTable
CREATE TABLE "delivery_pacing" (
    "key" TEXT NOT NULL,
    "next_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "delivery_pacing_pkey" PRIMARY KEY ("key")
);
