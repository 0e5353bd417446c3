-- AlterTable
ALTER TABLE "NoticeTranslation" ADD COLUMN     "effectiveDate" DATE;
