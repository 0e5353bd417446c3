-- CreateTable
CREATE TABLE "PrivacyProfile" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "facts" JSONB NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PrivacyProfile_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "PrivacyProfile_organisationId_key" ON "PrivacyProfile"("organisationId");

-- AddForeignKey
ALTER TABLE "PrivacyProfile" ADD CONSTRAINT "PrivacyProfile_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

