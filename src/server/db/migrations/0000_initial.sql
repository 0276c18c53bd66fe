CREATE TABLE "admin_actions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"admin_id" uuid,
	"action" text NOT NULL,
	"target_type" text NOT NULL,
	"target_id" text NOT NULL,
	"reason" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "admin_actions_reason_check" CHECK (char_length(reason) BETWEEN 1 AND 2000)
);
--> statement-breakpoint
CREATE TABLE "attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"uploader_id" uuid NOT NULL,
	"filename" text NOT NULL,
	"content_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"sha256" text NOT NULL,
	"storage_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "attachments_content_type_check" CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp', 'application/pdf')),
	CONSTRAINT "attachments_size_check" CHECK (size_bytes BETWEEN 1 AND 10485760)
);
--> statement-breakpoint
CREATE TABLE "auth_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" text NOT NULL,
	"provider_id" text NOT NULL,
	"user_id" uuid NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"id_token" text,
	"access_token_expires_at" timestamp with time zone,
	"refresh_token_expires_at" timestamp with time zone,
	"scope" text,
	"password" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"token" text NOT NULL,
	"user_id" uuid NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip_address" text,
	"user_agent" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "auth_sessions_token_unique" UNIQUE("token")
);
--> statement-breakpoint
CREATE TABLE "auth_verifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"identifier" text NOT NULL,
	"value" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "mechanics" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"service_tier" text NOT NULL,
	"workshop_id" uuid,
	"approval_status" text DEFAULT 'pending' NOT NULL,
	"can_accept_sessions" boolean DEFAULT true NOT NULL,
	"on_shift" boolean DEFAULT false NOT NULL,
	"shift_changed_at" timestamp with time zone,
	"brands" text[] DEFAULT '{}'::text[] NOT NULL,
	"years_experience" integer DEFAULT 0 NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"rating_avg" double precision DEFAULT 0 NOT NULL,
	"rating_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mechanics_service_tier_check" CHECK (service_tier IN ('virtual_only', 'workshop_partner')),
	CONSTRAINT "mechanics_approval_status_check" CHECK (approval_status IN ('pending', 'approved', 'suspended')),
	CONSTRAINT "mechanics_workshop_matches_tier_check" CHECK ((service_tier = 'workshop_partner') = (workshop_id IS NOT NULL)),
	CONSTRAINT "mechanics_years_experience_check" CHECK (years_experience BETWEEN 0 AND 80),
	CONSTRAINT "mechanics_rating_check" CHECK (rating_count >= 0 AND rating_avg BETWEEN 0 AND 5)
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"session_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"sender_id" uuid NOT NULL,
	"body" text NOT NULL,
	"attachment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"client_id" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "messages_body_length_check" CHECK (char_length(body) BETWEEN 1 AND 4000),
	CONSTRAINT "messages_seq_check" CHECK (seq >= 1)
);
--> statement-breakpoint
CREATE TABLE "plans" (
	"slug" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"price_cents" integer NOT NULL,
	"currency" text DEFAULT 'USD' NOT NULL,
	"minutes" integer NOT NULL,
	"required_tier" text,
	"active" boolean DEFAULT true NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "plans_kind_check" CHECK (kind IN ('chat', 'video', 'diagnostic')),
	CONSTRAINT "plans_required_tier_check" CHECK (required_tier IS NULL OR required_tier = 'workshop_partner'),
	CONSTRAINT "plans_price_check" CHECK (price_cents >= 0),
	CONSTRAINT "plans_minutes_check" CHECK (minutes > 0)
);
--> statement-breakpoint
CREATE TABLE "reports" (
	"session_id" uuid PRIMARY KEY NOT NULL,
	"mechanic_id" uuid NOT NULL,
	"summary" text NOT NULL,
	"findings" text NOT NULL,
	"severity" text NOT NULL,
	"recommendations" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"follow_up" text NOT NULL,
	"status" text NOT NULL,
	"submitted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reports_severity_check" CHECK (severity IN ('info', 'soon', 'urgent', 'unsafe_to_drive')),
	CONSTRAINT "reports_follow_up_check" CHECK (follow_up IN ('none', 'in_person_diagnostic', 'repair_quote')),
	CONSTRAINT "reports_status_check" CHECK (status IN ('draft', 'submitted')),
	CONSTRAINT "reports_submitted_at_check" CHECK ((status = 'submitted') = (submitted_at IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"session_id" uuid PRIMARY KEY NOT NULL,
	"customer_id" uuid NOT NULL,
	"mechanic_id" uuid NOT NULL,
	"rating" integer NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "reviews_rating_check" CHECK (rating BETWEEN 1 AND 5)
);
--> statement-breakpoint
CREATE TABLE "session_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"session_id" uuid NOT NULL,
	"type" text NOT NULL,
	"actor_id" uuid,
	"actor_role" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "session_events_actor_role_check" CHECK (actor_role IN ('customer', 'mechanic', 'system', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "session_participants" (
	"session_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"role" text NOT NULL,
	"joined_at" timestamp with time zone,
	"last_seen_at" timestamp with time zone,
	"connected" boolean DEFAULT false NOT NULL,
	CONSTRAINT "session_participants_session_id_user_id_pk" PRIMARY KEY("session_id","user_id"),
	CONSTRAINT "session_participants_role_check" CHECK (role IN ('customer', 'mechanic'))
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"customer_id" uuid NOT NULL,
	"mechanic_id" uuid,
	"plan" text NOT NULL,
	"kind" text NOT NULL,
	"vehicle" jsonb NOT NULL,
	"concern" text NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"preferred_mechanic_id" uuid,
	"workshop_id" uuid,
	"status" text DEFAULT 'pending' NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"deadline_at" timestamp with time zone,
	"requested_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"planned_minutes" integer NOT NULL,
	"extended_minutes" integer DEFAULT 0 NOT NULL,
	"duration_minutes" integer,
	"end_reason" text,
	"ended_by" text,
	"no_show_party" text,
	"message_seq" integer DEFAULT 0 NOT NULL,
	"idempotency_key" text,
	"idempotency_hash" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sessions_status_check" CHECK (status IN ('pending', 'accepted', 'live', 'completed', 'cancelled', 'no_show', 'expired')),
	CONSTRAINT "sessions_kind_check" CHECK (kind IN ('chat', 'video', 'diagnostic')),
	CONSTRAINT "sessions_ended_by_check" CHECK (ended_by IS NULL OR ended_by IN ('customer', 'mechanic', 'system', 'admin')),
	CONSTRAINT "sessions_no_show_party_check" CHECK (no_show_party IS NULL OR no_show_party IN ('customer', 'mechanic', 'both')),
	CONSTRAINT "sessions_concern_length_check" CHECK (char_length(concern) BETWEEN 10 AND 4000),
	CONSTRAINT "sessions_version_check" CHECK (version >= 1),
	CONSTRAINT "sessions_mechanic_when_assigned_check" CHECK (status NOT IN ('accepted', 'live') OR mechanic_id IS NOT NULL),
	CONSTRAINT "sessions_started_when_live_check" CHECK (status NOT IN ('live', 'completed') OR started_at IS NOT NULL),
	CONSTRAINT "sessions_ended_when_terminal_check" CHECK (status NOT IN ('completed', 'cancelled', 'no_show', 'expired') OR ended_at IS NOT NULL),
	CONSTRAINT "sessions_no_show_party_only_in_no_show_check" CHECK ((status = 'no_show') = (no_show_party IS NOT NULL)),
	CONSTRAINT "sessions_deadline_when_open_check" CHECK (status NOT IN ('pending', 'accepted', 'live') OR deadline_at IS NOT NULL),
	CONSTRAINT "sessions_minutes_check" CHECK (planned_minutes > 0 AND extended_minutes >= 0)
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"email" text NOT NULL,
	"email_verified" boolean DEFAULT false NOT NULL,
	"image" text,
	"role" text DEFAULT 'customer' NOT NULL,
	"banned" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_role_check" CHECK (role IN ('customer', 'mechanic', 'admin'))
);
--> statement-breakpoint
CREATE TABLE "vehicles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"vin" text,
	"year" integer NOT NULL,
	"make" text NOT NULL,
	"model" text NOT NULL,
	"mileage" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "vehicles_vin_check" CHECK (vin IS NULL OR length(vin) = 17),
	CONSTRAINT "vehicles_year_check" CHECK (year BETWEEN 1886 AND 2100)
);
--> statement-breakpoint
CREATE TABLE "workshops" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"city" text NOT NULL,
	"country" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workshops_status_check" CHECK (status IN ('active', 'suspended'))
);
--> statement-breakpoint
ALTER TABLE "admin_actions" ADD CONSTRAINT "admin_actions_admin_id_users_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "attachments" ADD CONSTRAINT "attachments_uploader_id_users_id_fk" FOREIGN KEY ("uploader_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_accounts" ADD CONSTRAINT "auth_accounts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mechanics" ADD CONSTRAINT "mechanics_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mechanics" ADD CONSTRAINT "mechanics_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "messages" ADD CONSTRAINT "messages_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reports" ADD CONSTRAINT "reports_mechanic_id_mechanics_user_id_fk" FOREIGN KEY ("mechanic_id") REFERENCES "public"."mechanics"("user_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "reviews" ADD CONSTRAINT "reviews_mechanic_id_mechanics_user_id_fk" FOREIGN KEY ("mechanic_id") REFERENCES "public"."mechanics"("user_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_events" ADD CONSTRAINT "session_events_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_participants" ADD CONSTRAINT "session_participants_session_id_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "session_participants" ADD CONSTRAINT "session_participants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_customer_id_users_id_fk" FOREIGN KEY ("customer_id") REFERENCES "public"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_mechanic_id_mechanics_user_id_fk" FOREIGN KEY ("mechanic_id") REFERENCES "public"."mechanics"("user_id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_plan_plans_slug_fk" FOREIGN KEY ("plan") REFERENCES "public"."plans"("slug") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_preferred_mechanic_id_mechanics_user_id_fk" FOREIGN KEY ("preferred_mechanic_id") REFERENCES "public"."mechanics"("user_id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_workshop_id_workshops_id_fk" FOREIGN KEY ("workshop_id") REFERENCES "public"."workshops"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vehicles" ADD CONSTRAINT "vehicles_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "admin_actions_created_idx" ON "admin_actions" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "attachments_session_idx" ON "attachments" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "auth_accounts_user_id_idx" ON "auth_accounts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "auth_sessions_user_id_idx" ON "auth_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "mechanics_workshop_id_idx" ON "mechanics" USING btree ("workshop_id");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_session_seq_key" ON "messages" USING btree ("session_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_client_id_key" ON "messages" USING btree ("session_id","sender_id","client_id");--> statement-breakpoint
CREATE INDEX "reviews_mechanic_idx" ON "reviews" USING btree ("mechanic_id");--> statement-breakpoint
CREATE INDEX "session_events_session_idx" ON "session_events" USING btree ("session_id","id");--> statement-breakpoint
CREATE INDEX "session_participants_user_idx" ON "session_participants" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_one_open_per_customer_key" ON "sessions" USING btree ("customer_id") WHERE status IN ('pending', 'accepted', 'live');--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_one_active_per_mechanic_key" ON "sessions" USING btree ("mechanic_id") WHERE status IN ('accepted', 'live');--> statement-breakpoint
CREATE UNIQUE INDEX "sessions_idempotency_key" ON "sessions" USING btree ("customer_id","idempotency_key") WHERE idempotency_key IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sessions_open_deadline_idx" ON "sessions" USING btree ("deadline_at") WHERE status IN ('pending', 'accepted', 'live');--> statement-breakpoint
CREATE INDEX "sessions_pending_queue_idx" ON "sessions" USING btree ("urgent","requested_at") WHERE status = 'pending';--> statement-breakpoint
CREATE INDEX "sessions_customer_idx" ON "sessions" USING btree ("customer_id","requested_at");--> statement-breakpoint
CREATE INDEX "sessions_mechanic_idx" ON "sessions" USING btree ("mechanic_id","requested_at");--> statement-breakpoint
CREATE INDEX "sessions_status_idx" ON "sessions" USING btree ("status","requested_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_lower_key" ON "users" USING btree (lower("email"));--> statement-breakpoint
CREATE INDEX "vehicles_owner_id_idx" ON "vehicles" USING btree ("owner_id");--> statement-breakpoint
CREATE UNIQUE INDEX "workshops_name_city_key" ON "workshops" USING btree ("name","city");