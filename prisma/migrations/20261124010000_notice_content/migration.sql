-- AlterTable
ALTER TABLE "NoticeVersion" ADD COLUMN     "publishedAt" TIMESTAMP(3),
ADD COLUMN     "revision" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "NoticeSection" ADD COLUMN     "detectedLanguage" TEXT,
ADD COLUMN     "html" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "language" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "text" TEXT NOT NULL DEFAULT '';


-- Full-text search: one index per language configuration, chosen by the
-- language column of the section (other languages use the simple configuration).
CREATE INDEX "NoticeSection_fts_nl" ON "NoticeSection" USING gin (to_tsvector('dutch', "heading" || ' ' || "text")) WHERE "language" = 'nl';
CREATE INDEX "NoticeSection_fts_de" ON "NoticeSection" USING gin (to_tsvector('german', "heading" || ' ' || "text")) WHERE "language" = 'de';
CREATE INDEX "NoticeSection_fts_en" ON "NoticeSection" USING gin (to_tsvector('english', "heading" || ' ' || "text")) WHERE "language" = 'en';
CREATE INDEX "NoticeSection_fts_simple" ON "NoticeSection" USING gin (to_tsvector('simple', "heading" || ' ' || "text")) WHERE "language" NOT IN ('nl', 'de', 'en');
