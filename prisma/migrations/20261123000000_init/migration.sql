-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "EntityRole" AS ENUM ('CONTROLLER', 'JOINT_CONTROLLER', 'EU_ESTABLISHMENT', 'REPRESENTATIVE', 'AFFILIATE');

-- CreateEnum
CREATE TYPE "ContactKind" AS ENUM ('DPO', 'PRIVACY', 'GENERAL', 'SECURITY_OFFICER', 'DATA_SUBJECT_REQUESTS', 'DISPUTE_RESOLUTION', 'LEGAL');

-- CreateEnum
CREATE TYPE "NoticeKind" AS ENUM ('PRIVACY', 'COOKIE');

-- CreateEnum
CREATE TYPE "NoticeVersionStatus" AS ENUM ('DRAFT', 'PUBLISHED', 'ARCHIVED');

-- CreateEnum
CREATE TYPE "ProcessorRole" AS ENUM ('PROCESSOR', 'SUB_PROCESSOR', 'INDEPENDENT_CONTROLLER');

-- CreateEnum
CREATE TYPE "ProcessorStatus" AS ENUM ('PLANNED', 'ACTIVE', 'RETIRED');

-- CreateEnum
CREATE TYPE "TransferSafeguard" AS ENUM ('NOT_REQUIRED', 'ADEQUACY_DECISION', 'STANDARD_CONTRACTUAL_CLAUSES', 'BINDING_CORPORATE_RULES', 'EU_US_DATA_PRIVACY_FRAMEWORK', 'SAFE_HARBOR', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "RetentionTrigger" AS ENUM ('COLLECTION', 'LAST_ACTIVITY', 'CONTRACT_END', 'CANCELLATION', 'ACCOUNT_CREATION', 'DELETION', 'PURPOSE_FULFILLED');

-- CreateEnum
CREATE TYPE "RetentionBasis" AS ENUM ('STATUTORY', 'CONTRACTUAL', 'LEGITIMATE_INTEREST', 'CONSENT');

-- CreateEnum
CREATE TYPE "RetentionAction" AS ENUM ('DELETE', 'ANONYMISE', 'ARCHIVE');

-- CreateTable
CREATE TABLE "Organisation" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "website" TEXT,
    "defaultLocale" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SupervisoryAuthority" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "country" CHAR(2) NOT NULL,
    "website" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "street" TEXT,
    "postalCode" TEXT,
    "locality" TEXT,
    "region" TEXT,

    CONSTRAINT "SupervisoryAuthority_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ControllerEntity" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "legalName" TEXT NOT NULL,
    "role" "EntityRole" NOT NULL,
    "registry" TEXT,
    "registrationNumber" TEXT,
    "vatNumber" TEXT,
    "street" TEXT,
    "postalCode" TEXT,
    "locality" TEXT,
    "region" TEXT,
    "country" CHAR(2) NOT NULL,

    CONSTRAINT "ControllerEntity_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Contact" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "controllerEntityId" UUID,
    "key" TEXT NOT NULL,
    "kind" "ContactKind" NOT NULL,
    "name" TEXT,
    "department" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "url" TEXT,
    "street" TEXT,
    "postalCode" TEXT,
    "locality" TEXT,
    "region" TEXT,
    "country" CHAR(2),
    "note" JSONB,
    "activeFrom" DATE,
    "activeUntil" DATE,

    CONSTRAINT "Contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notice" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "kind" "NoticeKind" NOT NULL,

    CONSTRAINT "Notice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeVersion" (
    "id" UUID NOT NULL,
    "noticeId" UUID NOT NULL,
    "version" TEXT NOT NULL,
    "effectiveDate" DATE NOT NULL,
    "status" "NoticeVersionStatus" NOT NULL DEFAULT 'DRAFT',

    CONSTRAINT "NoticeVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeTranslation" (
    "id" UUID NOT NULL,
    "versionId" UUID NOT NULL,
    "locale" TEXT NOT NULL,
    "title" TEXT NOT NULL,

    CONSTRAINT "NoticeTranslation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NoticeSection" (
    "id" UUID NOT NULL,
    "translationId" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "anchor" TEXT NOT NULL,
    "heading" TEXT NOT NULL,
    "level" SMALLINT NOT NULL DEFAULT 2,
    "body" TEXT NOT NULL,

    CONSTRAINT "NoticeSection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Processor" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "legalName" TEXT,
    "website" TEXT,
    "role" "ProcessorRole" NOT NULL,
    "service" JSONB NOT NULL,
    "headquartersCountry" CHAR(2),
    "certifications" TEXT[],
    "transferSafeguard" "TransferSafeguard" NOT NULL,
    "agreementInPlace" BOOLEAN,
    "status" "ProcessorStatus" NOT NULL DEFAULT 'ACTIVE',
    "activeFrom" DATE,
    "activeUntil" DATE,

    CONSTRAINT "Processor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessorDataLocation" (
    "id" UUID NOT NULL,
    "processorId" UUID NOT NULL,
    "country" CHAR(2) NOT NULL,
    "locality" TEXT,

    CONSTRAINT "ProcessorDataLocation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RetentionRule" (
    "id" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "dataCategory" JSONB NOT NULL,
    "period" TEXT,
    "criterion" JSONB,
    "trigger" "RetentionTrigger" NOT NULL,
    "basis" "RetentionBasis" NOT NULL,
    "legalReference" TEXT,
    "action" "RetentionAction" NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "RetentionRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "_OrganisationToSupervisoryAuthority" (
    "A" UUID NOT NULL,
    "B" UUID NOT NULL,

    CONSTRAINT "_OrganisationToSupervisoryAuthority_AB_pkey" PRIMARY KEY ("A","B")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_slug_key" ON "Organisation"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "SupervisoryAuthority_slug_key" ON "SupervisoryAuthority"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "ControllerEntity_organisationId_key_key" ON "ControllerEntity"("organisationId", "key");

-- CreateIndex
CREATE INDEX "Contact_organisationId_kind_idx" ON "Contact"("organisationId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Contact_organisationId_key_key" ON "Contact"("organisationId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "Notice_organisationId_slug_key" ON "Notice"("organisationId", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeVersion_noticeId_version_key" ON "NoticeVersion"("noticeId", "version");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeVersion_noticeId_effectiveDate_key" ON "NoticeVersion"("noticeId", "effectiveDate");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeTranslation_versionId_locale_key" ON "NoticeTranslation"("versionId", "locale");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeSection_translationId_position_key" ON "NoticeSection"("translationId", "position");

-- CreateIndex
CREATE UNIQUE INDEX "NoticeSection_translationId_anchor_key" ON "NoticeSection"("translationId", "anchor");

-- CreateIndex
CREATE INDEX "Processor_name_idx" ON "Processor"("name");

-- CreateIndex
CREATE INDEX "Processor_organisationId_status_idx" ON "Processor"("organisationId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "Processor_organisationId_key_key" ON "Processor"("organisationId", "key");

-- CreateIndex
CREATE UNIQUE INDEX "ProcessorDataLocation_processorId_country_locality_key" ON "ProcessorDataLocation"("processorId", "country", "locality");

-- CreateIndex
CREATE UNIQUE INDEX "RetentionRule_organisationId_key_key" ON "RetentionRule"("organisationId", "key");

-- CreateIndex
CREATE INDEX "_OrganisationToSupervisoryAuthority_B_index" ON "_OrganisationToSupervisoryAuthority"("B");

-- AddForeignKey
ALTER TABLE "ControllerEntity" ADD CONSTRAINT "ControllerEntity_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Contact" ADD CONSTRAINT "Contact_controllerEntityId_fkey" FOREIGN KEY ("controllerEntityId") REFERENCES "ControllerEntity"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeVersion" ADD CONSTRAINT "NoticeVersion_noticeId_fkey" FOREIGN KEY ("noticeId") REFERENCES "Notice"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeTranslation" ADD CONSTRAINT "NoticeTranslation_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "NoticeVersion"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NoticeSection" ADD CONSTRAINT "NoticeSection_translationId_fkey" FOREIGN KEY ("translationId") REFERENCES "NoticeTranslation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Processor" ADD CONSTRAINT "Processor_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ProcessorDataLocation" ADD CONSTRAINT "ProcessorDataLocation_processorId_fkey" FOREIGN KEY ("processorId") REFERENCES "Processor"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "RetentionRule" ADD CONSTRAINT "RetentionRule_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_OrganisationToSupervisoryAuthority" ADD CONSTRAINT "_OrganisationToSupervisoryAuthority_A_fkey" FOREIGN KEY ("A") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "_OrganisationToSupervisoryAuthority" ADD CONSTRAINT "_OrganisationToSupervisoryAuthority_B_fkey" FOREIGN KEY ("B") REFERENCES "SupervisoryAuthority"("id") ON DELETE CASCADE ON UPDATE CASCADE;

