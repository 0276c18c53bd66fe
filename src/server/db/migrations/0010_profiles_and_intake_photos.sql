ALTER TABLE "mechanics" ADD COLUMN "photo_storage_key" text;--> statement-breakpoint
ALTER TABLE "mechanics" ADD COLUMN "photo_sha256" text;--> statement-breakpoint
ALTER TABLE "mechanics" ADD COLUMN "photo_content_type" text;--> statement-breakpoint
ALTER TABLE "mechanics" ADD COLUMN "photo_size_bytes" integer;--> statement-breakpoint
ALTER TABLE "attachments" ADD COLUMN "purpose" text DEFAULT 'chat' NOT NULL;--> statement-breakpoint
ALTER TABLE "mechanics" ADD CONSTRAINT "mechanics_photo_type_check" CHECK (photo_content_type IN ('image/jpeg', 'image/png', 'image/webp'));--> statement-breakpoint
ALTER TABLE "mechanics" ADD CONSTRAINT "mechanics_photo_check" CHECK ((photo_storage_key IS NULL) = (photo_sha256 IS NULL) AND (photo_storage_key IS NULL) = (photo_content_type IS NULL) AND (photo_storage_key IS NULL) = (photo_size_bytes IS NULL) AND (photo_size_bytes IS NULL OR photo_size_bytes > 0));--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_purpose_check" CHECK (purpose IN ('intake', 'chat'));--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_intake_is_photo_check" CHECK (purpose <> 'intake' OR content_type <> 'application/pdf');