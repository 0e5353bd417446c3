-- CreateEnum
CREATE TYPE "OrganisationSource" AS ENUM ('CURATED', 'TCF');

-- CreateEnum
CREATE TYPE "TcfDefinitionKind" AS ENUM ('PURPOSE', 'SPECIAL_PURPOSE', 'FEATURE', 'SPECIAL_FEATURE', 'DATA_CATEGORY');

-- CreateEnum
CREATE TYPE "TcfLegalBasis" AS ENUM ('CONSENT', 'LEGITIMATE_INTEREST');

-- AlterTable
ALTER TABLE "Organisation" ADD COLUMN     "deletedAt" TIMESTAMP(3),
ADD COLUMN     "gvlId" INTEGER,
ADD COLUMN     "source" "OrganisationSource" NOT NULL DEFAULT 'CURATED';

-- CreateTable
CREATE TABLE "TcfVendorList" (
    "id" UUID NOT NULL,
    "specVersion" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "policyVersion" INTEGER NOT NULL,
    "lastUpdated" TIMESTAMP(3) NOT NULL,
    "ordinal" INTEGER NOT NULL,
    "vendorCount" INTEGER NOT NULL,
    "standardTexts" JSONB,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TcfVendorList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TcfDefinition" (
    "id" UUID NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "kind" "TcfDefinitionKind" NOT NULL,
    "tcfId" INTEGER NOT NULL,
    "name" JSONB NOT NULL,
    "description" JSONB NOT NULL,
    "illustrations" JSONB,
    "descriptionLegal" JSONB,
    "specVersion" INTEGER NOT NULL,

    CONSTRAINT "TcfDefinition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TcfVendor" (
    "id" UUID NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "organisationId" UUID NOT NULL,
    "gvlId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "sinceListId" UUID NOT NULL,
    "features" INTEGER[],
    "specialFeatures" INTEGER[],
    "dataCategories" INTEGER[],
    "standardRetentionDays" INTEGER,
    "usesCookies" BOOLEAN,
    "cookieMaxAgeSeconds" BIGINT,
    "cookieRefresh" BOOLEAN,
    "usesNonCookieAccess" BOOLEAN,
    "deviceStorageDisclosureUrl" TEXT,
    "urls" JSONB NOT NULL,
    "overflowHttpGetLimit" INTEGER,
    "deletedDate" TIMESTAMP(3),

    CONSTRAINT "TcfVendor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TcfVendorPurpose" (
    "id" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "tcfId" INTEGER NOT NULL,
    "legalBasis" "TcfLegalBasis" NOT NULL,
    "flexible" BOOLEAN NOT NULL DEFAULT false,
    "retentionDays" INTEGER,

    CONSTRAINT "TcfVendorPurpose_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TcfVendorSpecialPurpose" (
    "id" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "tcfId" INTEGER NOT NULL,
    "retentionDays" INTEGER,

    CONSTRAINT "TcfVendorSpecialPurpose_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TcfVendorRevision" (
    "id" UUID NOT NULL,
    "vendorId" UUID NOT NULL,
    "listId" UUID NOT NULL,
    "facts" JSONB NOT NULL,
    "changedFields" TEXT[],

    CONSTRAINT "TcfVendorRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TcfVendorList_ordinal_key" ON "TcfVendorList"("ordinal");

-- CreateIndex
CREATE UNIQUE INDEX "TcfVendorList_specVersion_version_key" ON "TcfVendorList"("specVersion", "version");

-- CreateIndex
CREATE UNIQUE INDEX "TcfDefinition_kind_tcfId_key" ON "TcfDefinition"("kind", "tcfId");

-- CreateIndex
CREATE UNIQUE INDEX "TcfVendor_organisationId_key" ON "TcfVendor"("organisationId");

-- CreateIndex
CREATE UNIQUE INDEX "TcfVendor_gvlId_key" ON "TcfVendor"("gvlId");

-- CreateIndex
CREATE INDEX "TcfVendorPurpose_tcfId_legalBasis_idx" ON "TcfVendorPurpose"("tcfId", "legalBasis");

-- CreateIndex
CREATE UNIQUE INDEX "TcfVendorPurpose_vendorId_tcfId_key" ON "TcfVendorPurpose"("vendorId", "tcfId");

-- CreateIndex
CREATE INDEX "TcfVendorSpecialPurpose_tcfId_idx" ON "TcfVendorSpecialPurpose"("tcfId");

-- CreateIndex
CREATE UNIQUE INDEX "TcfVendorSpecialPurpose_vendorId_tcfId_key" ON "TcfVendorSpecialPurpose"("vendorId", "tcfId");

-- CreateIndex
CREATE INDEX "TcfVendorRevision_listId_idx" ON "TcfVendorRevision"("listId");

-- CreateIndex
CREATE UNIQUE INDEX "TcfVendorRevision_vendorId_listId_key" ON "TcfVendorRevision"("vendorId", "listId");

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_gvlId_key" ON "Organisation"("gvlId");

-- CreateIndex
CREATE INDEX "Organisation_source_gvlId_idx" ON "Organisation"("source", "gvlId");

-- AddForeignKey
ALTER TABLE "TcfVendor" ADD CONSTRAINT "TcfVendor_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TcfVendor" ADD CONSTRAINT "TcfVendor_sinceListId_fkey" FOREIGN KEY ("sinceListId") REFERENCES "TcfVendorList"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TcfVendorPurpose" ADD CONSTRAINT "TcfVendorPurpose_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "TcfVendor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TcfVendorSpecialPurpose" ADD CONSTRAINT "TcfVendorSpecialPurpose_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "TcfVendor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TcfVendorRevision" ADD CONSTRAINT "TcfVendorRevision_vendorId_fkey" FOREIGN KEY ("vendorId") REFERENCES "TcfVendor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TcfVendorRevision" ADD CONSTRAINT "TcfVendorRevision_listId_fkey" FOREIGN KEY ("listId") REFERENCES "TcfVendorList"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
