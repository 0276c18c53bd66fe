ALTER TABLE "vehicles" DROP CONSTRAINT "vehicles_vin_check";--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "nickname" text;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "trim" text;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "engine" text;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "fuel" text;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "decoded" jsonb;--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "vehicle_id" uuid;--> statement-breakpoint
ALTER TABLE "sessions" ADD COLUMN "trouble_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "reports" ADD COLUMN "trouble_codes" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "vehicles_owner_vin_key" ON "vehicles" USING btree ("owner_id","vin") WHERE vin IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_vehicle_idx" ON "sessions" USING btree ("vehicle_id","requested_at") WHERE vehicle_id IS NOT NULL;--> statement-breakpoint
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_mileage_check" CHECK (mileage IS NULL OR mileage BETWEEN 0 AND 3000000);--> statement-breakpoint
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_text_length_check" CHECK (char_length(make) BETWEEN 1 AND 60 AND char_length(model) BETWEEN 1 AND 80
        AND (nickname IS NULL OR char_length(nickname) BETWEEN 1 AND 60)
        AND ("trim" IS NULL OR char_length("trim") BETWEEN 1 AND 80)
        AND (engine IS NULL OR char_length(engine) BETWEEN 1 AND 80)
        AND (fuel IS NULL OR char_length(fuel) BETWEEN 1 AND 40));--> statement-breakpoint
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_vin_check" CHECK (vin IS NULL OR vin ~ '^[A-HJ-NPR-Z0-9]{17}$');--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_trouble_codes_check" CHECK (cardinality(trouble_codes) <= 10 AND array_position(trouble_codes, NULL) IS NULL AND (cardinality(trouble_codes) = 0 OR array_to_string(trouble_codes, ',') ~ '^[PCBU][0-3][0-9A-F]{3}(,[PCBU][0-3][0-9A-F]{3})*$'));--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_trouble_codes_check" CHECK (cardinality(trouble_codes) <= 10 AND array_position(trouble_codes, NULL) IS NULL AND (cardinality(trouble_codes) = 0 OR array_to_string(trouble_codes, ',') ~ '^[PCBU][0-3][0-9A-F]{3}(,[PCBU][0-3][0-9A-F]{3})*$'));