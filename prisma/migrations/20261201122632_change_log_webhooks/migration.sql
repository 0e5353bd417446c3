-- CreateEnum
CREATE TYPE "WebhookDeliveryStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- CreateTable
CREATE TABLE "ChangeLogEntry" (
    "position" BIGSERIAL NOT NULL,
    "writeId" UUID NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" TEXT NOT NULL,
    "entityType" TEXT NOT NULL,
    "entityId" UUID NOT NULL,
    "organisationId" UUID,
    "organisationSlug" TEXT,
    "revision" INTEGER,
    "key" TEXT NOT NULL,
    "changedFields" TEXT[],
    "before" JSONB,
    "after" JSONB,
    "audience" TEXT NOT NULL,
    "requestId" TEXT,

    CONSTRAINT "ChangeLogEntry_pkey" PRIMARY KEY ("position")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" UUID NOT NULL,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "organisationId" UUID,
    "url" TEXT NOT NULL,
    "description" TEXT,
    "types" TEXT[],
    "actions" TEXT[],
    "includeNonPublic" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "disabledReason" TEXT,
    "disabledAt" TIMESTAMP(3),
    "secretCiphertext" TEXT NOT NULL,
    "secretCreatedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cursor" BIGINT NOT NULL DEFAULT 0,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" UUID NOT NULL,
    "webhookId" UUID NOT NULL,
    "position" BIGINT NOT NULL,
    "status" "WebhookDeliveryStatus" NOT NULL DEFAULT 'PENDING',
    "attempt" INTEGER NOT NULL DEFAULT 0,
    "responseCode" INTEGER,
    "error" TEXT,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAttemptAt" TIMESTAMP(3),
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ChangeLogEntry_organisationSlug_position_idx" ON "ChangeLogEntry"("organisationSlug", "position");

-- CreateIndex
CREATE INDEX "ChangeLogEntry_entityType_entityId_position_idx" ON "ChangeLogEntry"("entityType", "entityId", "position");

-- CreateIndex
CREATE INDEX "Webhook_enabled_leaseUntil_idx" ON "Webhook"("enabled", "leaseUntil");

-- CreateIndex
CREATE INDEX "WebhookDelivery_webhookId_status_position_idx" ON "WebhookDelivery"("webhookId", "status", "position");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_webhookId_position_key" ON "WebhookDelivery"("webhookId", "position");

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_webhookId_fkey" FOREIGN KEY ("webhookId") REFERENCES "Webhook"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebhookDelivery" ADD CONSTRAINT "WebhookDelivery_position_fkey" FOREIGN KEY ("position") REFERENCES "ChangeLogEntry"("position") ON DELETE CASCADE ON UPDATE CASCADE;
