-- CreateEnum
CREATE TYPE "FactSource" AS ENUM ('NOTICE', 'PROJECT', 'ORGANISATION');

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('MONTH', 'DAY');

-- CreateEnum
CREATE TYPE "DataPlace" AS ENUM ('COUNTRY', 'USER_DEVICE');

-- CreateEnum
CREATE TYPE "Platform" AS ENUM ('ANDROID', 'IOS', 'WEB', 'DESKTOP');

-- CreateEnum
CREATE TYPE "OtherControllerRole" AS ENUM ('INDEPENDENT', 'JOINT', 'UNKNOWN');

-- CreateEnum
CREATE TYPE "RetentionCountFrom" AS ENUM ('EARLIEST', 'LATEST');

-- AlterEnum
ALTER TYPE "ProcessorRole" ADD VALUE 'UNKNOWN';

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "RetentionTrigger" ADD VALUE 'ISSUE';
ALTER TYPE "RetentionTrigger" ADD VALUE 'STATUS_CHANGE';
ALTER TYPE "RetentionTrigger" ADD VALUE 'UNKNOWN';

-- AlterTable
ALTER TABLE "Contact" ADD COLUMN     "fieldSources" JSONB,
ADD COLUMN     "inApp" JSONB,
ADD COLUMN     "source" "FactSource" NOT NULL DEFAULT 'NOTICE',
ADD COLUMN     "validFrom" TEXT,
ADD COLUMN     "validUntil" TEXT;

-- AlterTable
ALTER TABLE "ControllerEntity" ADD COLUMN     "activeFrom" DATE,
ADD COLUMN     "activeUntil" DATE,
ADD COLUMN     "fieldSources" JSONB,
ADD COLUMN     "source" "FactSource" NOT NULL DEFAULT 'NOTICE',
ADD COLUMN     "validFrom" TEXT,
ADD COLUMN     "validUntil" TEXT;

-- AlterTable
ALTER TABLE "NoticeSection" ADD COLUMN     "otherLanguagePassages" JSONB;

-- AlterTable
ALTER TABLE "NoticeTranslation" ADD COLUMN     "effectiveDatePrecision" "DatePrecision" NOT NULL DEFAULT 'DAY';

-- AlterTable
ALTER TABLE "NoticeVersion" ADD COLUMN     "effectiveDatePrecision" "DatePrecision" NOT NULL DEFAULT 'DAY';

-- AlterTable
ALTER TABLE "Processor" ADD COLUMN     "country" CHAR(2),
ADD COLUMN     "fieldSources" JSONB,
ADD COLUMN     "locality" TEXT,
ADD COLUMN     "platforms" "Platform"[],
ADD COLUMN     "postalCode" TEXT,
ADD COLUMN     "region" TEXT,
ADD COLUMN     "source" "FactSource" NOT NULL DEFAULT 'NOTICE',
ADD COLUMN     "street" TEXT,
ADD COLUMN     "validFrom" TEXT,
ADD COLUMN     "validUntil" TEXT;

-- AlterTable
ALTER TABLE "ProcessorDataLocation" ADD COLUMN     "place" "DataPlace" NOT NULL DEFAULT 'COUNTRY',
ALTER COLUMN "country" DROP NOT NULL;

-- AlterTable
ALTER TABLE "RetentionRule" ADD COLUMN     "activeFrom" DATE,
ADD COLUMN     "activeUntil" DATE,
ADD COLUMN     "countFrom" "RetentionCountFrom",
ADD COLUMN     "fieldSources" JSONB,
ADD COLUMN     "keptByKey" TEXT,
ADD COLUMN     "keptByKind" TEXT,
ADD COLUMN     "source" "FactSource" NOT NULL DEFAULT 'NOTICE',
ADD COLUMN     "triggers" "RetentionTrigger"[],
ADD COLUMN     "userControlled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "validFrom" TEXT,
ADD COLUMN     "validUntil" TEXT;

-- Data: a rule's one trigger becomes its list of triggers.
UPDATE "RetentionRule" SET "triggers" = ARRAY["trigger"];
ALTER TABLE "RetentionRule" DROP COLUMN "trigger";

-- AlterTable
ALTER TABLE "SupervisoryAuthority" ADD COLUMN     "fieldSources" JSONB,
ADD COLUMN     "source" "FactSource" NOT NULL DEFAULT 'NOTICE';

-- CreateTable
CREATE TABLE "OtherController" (
    "id" UUID NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "organisationId" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "legalName" TEXT,
    "role" "OtherControllerRole" NOT NULL,
    "service" JSONB NOT NULL,
    "legalReference" TEXT,
    "website" TEXT,
    "privacyPolicyUrl" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "street" TEXT,
    "postalCode" TEXT,
    "locality" TEXT,
    "region" TEXT,
    "country" CHAR(2),
    "platforms" "Platform"[],
    "validFrom" TEXT,
    "validUntil" TEXT,
    "activeFrom" DATE,
    "activeUntil" DATE,
    "source" "FactSource" NOT NULL DEFAULT 'NOTICE',
    "fieldSources" JSONB,

    CONSTRAINT "OtherController_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "OtherController_organisationId_key_key" ON "OtherController"("organisationId", "key");

-- AddForeignKey
ALTER TABLE "OtherController" ADD CONSTRAINT "OtherController_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Data: the dates contacts and processors had become their bounds (the same days).
UPDATE "Contact" SET "validFrom" = to_char("activeFrom", 'YYYY-MM-DD') WHERE "activeFrom" IS NOT NULL;
UPDATE "Contact" SET "validUntil" = to_char("activeUntil", 'YYYY-MM-DD') WHERE "activeUntil" IS NOT NULL;
UPDATE "Processor" SET "validFrom" = to_char("activeFrom", 'YYYY-MM-DD') WHERE "activeFrom" IS NOT NULL;
UPDATE "Processor" SET "validUntil" = to_char("activeUntil", 'YYYY-MM-DD') WHERE "activeUntil" IS NOT NULL;

-- Data: privacy facts in the new shape. A purpose's one legal basis becomes its list
-- of bases; a transfer's one country its list of countries, and its end date its bound.
UPDATE "PrivacyProfile" SET "facts" = jsonb_set("facts", '{purposes}', (
  SELECT COALESCE(jsonb_agg(CASE WHEN p ? 'legalBasis'
    THEN (p - 'legalBasis') || jsonb_build_object('legalBases', jsonb_build_array(p -> 'legalBasis'))
    ELSE p END), '[]'::jsonb)
  FROM jsonb_array_elements("facts" -> 'purposes') AS p))
WHERE jsonb_typeof("facts" -> 'purposes') = 'array';
UPDATE "PrivacyProfile" SET "facts" = jsonb_set("facts", '{transfers}', (
  SELECT COALESCE(jsonb_agg(
    (t - 'country' - 'activeUntil')
    || CASE WHEN t ? 'country' THEN jsonb_build_object('countries', jsonb_build_array(t -> 'country')) ELSE '{}'::jsonb END
    || CASE WHEN t ? 'activeUntil' THEN jsonb_build_object('validUntil', t -> 'activeUntil') ELSE '{}'::jsonb END), '[]'::jsonb)
  FROM jsonb_array_elements("facts" -> 'transfers') AS t))
WHERE jsonb_typeof("facts" -> 'transfers') = 'array';
