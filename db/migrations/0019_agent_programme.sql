CREATE TYPE "public"."agent_parent_share" AS ENUM('price_diff', 'percent', 'none');--> statement-breakpoint
CREATE TYPE "public"."ledger_account" AS ENUM('pending', 'available', 'held', 'owed', 'commission_expense', 'payout', 'fee_income');--> statement-breakpoint
CREATE TYPE "public"."ledger_txn_kind" AS ENUM('accrue', 'release', 'reverse', 'offset', 'hold', 'pay', 'unhold', 'adjust');--> statement-breakpoint
CREATE TYPE "public"."refund_status" AS ENUM('requested', 'done', 'failed');--> statement-breakpoint
CREATE TYPE "public"."withdrawal_method" AS ENUM('alipay', 'wechat', 'usdt_trc20', 'bank');--> statement-breakpoint
CREATE TYPE "public"."withdrawal_status" AS ENUM('pending', 'approved', 'paid', 'rejected', 'cancelled');--> statement-breakpoint
ALTER TYPE "public"."agent_status" ADD VALUE 'pending';--> statement-breakpoint
ALTER TYPE "public"."agent_status" ADD VALUE 'rejected';--> statement-breakpoint
CREATE TABLE "agent_invites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"issuer_agent_id" uuid,
	"rank" smallint NOT NULL,
	"token_hash" text NOT NULL,
	"max_uses" integer,
	"used_count" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone,
	"auto_approve" boolean DEFAULT false NOT NULL,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_invites_uses_check" CHECK ("agent_invites"."max_uses" IS NULL OR ("agent_invites"."max_uses" > 0 AND "agent_invites"."used_count" <= "agent_invites"."max_uses"))
);
--> statement-breakpoint
CREATE TABLE "agent_levels" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"rank" smallint NOT NULL,
	"name" text NOT NULL,
	"discount_bp" integer DEFAULT 0 NOT NULL,
	"min_markup_bp" integer DEFAULT 0 NOT NULL,
	"max_markup_bp" integer DEFAULT 10000 NOT NULL,
	"allow_below_retail" boolean DEFAULT false NOT NULL,
	"hold_hours" integer DEFAULT 72 NOT NULL,
	"withdraw_min" bigint DEFAULT 1000 NOT NULL,
	"withdraw_fee_bp" integer DEFAULT 0 NOT NULL,
	"parent_share" "agent_parent_share" DEFAULT 'price_diff' NOT NULL,
	"parent_share_bp" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_levels_merchant_rank_key" UNIQUE("merchant_id","rank"),
	CONSTRAINT "agent_levels_rank_check" CHECK ("agent_levels"."rank" BETWEEN 1 AND 7),
	CONSTRAINT "agent_levels_discount_check" CHECK ("agent_levels"."discount_bp" BETWEEN 0 AND 9500),
	CONSTRAINT "agent_levels_markup_check" CHECK ("agent_levels"."min_markup_bp" >= 0 AND "agent_levels"."max_markup_bp" >= "agent_levels"."min_markup_bp" AND "agent_levels"."max_markup_bp" <= 100000),
	CONSTRAINT "agent_levels_hold_check" CHECK ("agent_levels"."hold_hours" BETWEEN 0 AND 720),
	CONSTRAINT "agent_levels_withdraw_check" CHECK ("agent_levels"."withdraw_min" >= 0 AND "agent_levels"."withdraw_fee_bp" BETWEEN 0 AND 5000),
	CONSTRAINT "agent_levels_parent_share_check" CHECK ("agent_levels"."parent_share_bp" BETWEEN 0 AND 10000)
);
--> statement-breakpoint
CREATE TABLE "agent_products" (
	"merchant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"product_id" uuid NOT NULL,
	"listed" boolean DEFAULT true NOT NULL,
	"markup_bp" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_products_agent_id_product_id_pk" PRIMARY KEY("agent_id","product_id"),
	CONSTRAINT "agent_products_markup_check" CHECK ("agent_products"."markup_bp" IS NULL OR "agent_products"."markup_bp" >= 0)
);
--> statement-breakpoint
CREATE TABLE "agent_balances" (
	"agent_id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"pending" bigint DEFAULT 0 NOT NULL,
	"available" bigint DEFAULT 0 NOT NULL,
	"held" bigint DEFAULT 0 NOT NULL,
	"owed" bigint DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "agent_balances_sign_check" CHECK ("agent_balances"."pending" >= 0 AND "agent_balances"."available" >= 0 AND "agent_balances"."held" >= 0 AND "agent_balances"."owed" <= 0)
);
--> statement-breakpoint
CREATE TABLE "agent_withdrawals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"fee" bigint DEFAULT 0 NOT NULL,
	"method" "withdrawal_method" NOT NULL,
	"account" text NOT NULL,
	"account_name" text DEFAULT '' NOT NULL,
	"status" "withdrawal_status" DEFAULT 'pending' NOT NULL,
	"reference" text,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	"paid_at" timestamp with time zone,
	CONSTRAINT "agent_withdrawals_amount_check" CHECK ("agent_withdrawals"."amount" > 0 AND "agent_withdrawals"."fee" >= 0 AND "agent_withdrawals"."fee" < "agent_withdrawals"."amount")
);
--> statement-breakpoint
CREATE TABLE "ledger_entries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"txn_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"account" "ledger_account" NOT NULL,
	"amount" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_txns" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"kind" "ledger_txn_kind" NOT NULL,
	"idempotency_key" text NOT NULL,
	"amount" bigint NOT NULL,
	"order_id" uuid,
	"refund_id" uuid,
	"withdrawal_id" uuid,
	"actor" text,
	"memo" text,
	"created_at" timestamp with time zone DEFAULT clock_timestamp() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "order_agent_snapshots" (
	"order_id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"agent_id" uuid NOT NULL,
	"rank" smallint NOT NULL,
	"parent_id" uuid,
	"quantity" integer NOT NULL,
	"unit_cost" bigint NOT NULL,
	"unit_sale" bigint NOT NULL,
	"parent_unit_cost" bigint,
	"commission" bigint NOT NULL,
	"parent_share" bigint DEFAULT 0 NOT NULL,
	"eligible" boolean NOT NULL,
	"block_reason" text,
	"release_at" timestamp with time zone,
	"released_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_agent_snapshots_money_check" CHECK ("order_agent_snapshots"."commission" >= 0 AND "order_agent_snapshots"."parent_share" >= 0)
);
--> statement-breakpoint
CREATE TABLE "order_refunds" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"order_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"amount" bigint NOT NULL,
	"status" "refund_status" DEFAULT 'done' NOT NULL,
	"reason" text DEFAULT '' NOT NULL,
	"keys" text DEFAULT 'keep' NOT NULL,
	"via_provider" text,
	"idempotency_key" text,
	"provider_message" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "order_refunds_amount_check" CHECK ("order_refunds"."amount" > 0)
);
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "agent_id" uuid;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "agent_min_rank" smallint;--> statement-breakpoint
ALTER TABLE "products" ADD COLUMN "agent_visible" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "orders" ADD COLUMN "refunded_amount" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "parent_id" uuid;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "notice" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "contact" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "logo_url" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "invite_id" uuid;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "application_note" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "review_reason" text;--> statement-breakpoint
ALTER TABLE "agents" ADD COLUMN "approved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "agent_invites" ADD CONSTRAINT "agent_invites_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_invites" ADD CONSTRAINT "agent_invites_issuer_agent_id_agents_id_fk" FOREIGN KEY ("issuer_agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_invites" ADD CONSTRAINT "agent_invites_level_fk" FOREIGN KEY ("merchant_id","rank") REFERENCES "public"."agent_levels"("merchant_id","rank") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "agent_levels" ADD CONSTRAINT "agent_levels_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_products" ADD CONSTRAINT "agent_products_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_products" ADD CONSTRAINT "agent_products_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_products" ADD CONSTRAINT "agent_products_product_id_products_id_fk" FOREIGN KEY ("product_id") REFERENCES "public"."products"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_balances" ADD CONSTRAINT "agent_balances_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_balances" ADD CONSTRAINT "agent_balances_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_withdrawals" ADD CONSTRAINT "agent_withdrawals_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "agent_withdrawals" ADD CONSTRAINT "agent_withdrawals_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_txn_id_ledger_txns_id_fk" FOREIGN KEY ("txn_id") REFERENCES "public"."ledger_txns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_entries" ADD CONSTRAINT "ledger_entries_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_txns" ADD CONSTRAINT "ledger_txns_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_txns" ADD CONSTRAINT "ledger_txns_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger_txns" ADD CONSTRAINT "ledger_txns_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_agent_snapshots" ADD CONSTRAINT "order_agent_snapshots_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_agent_snapshots" ADD CONSTRAINT "order_agent_snapshots_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_agent_snapshots" ADD CONSTRAINT "order_agent_snapshots_agent_id_agents_id_fk" FOREIGN KEY ("agent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_agent_snapshots" ADD CONSTRAINT "order_agent_snapshots_parent_id_agents_id_fk" FOREIGN KEY ("parent_id") REFERENCES "public"."agents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_refunds" ADD CONSTRAINT "order_refunds_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "order_refunds" ADD CONSTRAINT "order_refunds_order_id_orders_id_fk" FOREIGN KEY ("order_id") REFERENCES "public"."orders"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agent_invites_token_key" ON "agent_invites" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "agent_invites_merchant_idx" ON "agent_invites" USING btree ("merchant_id","created_at");--> statement-breakpoint
CREATE INDEX "agent_balances_merchant_idx" ON "agent_balances" USING btree ("merchant_id");--> statement-breakpoint
CREATE UNIQUE INDEX "agent_withdrawals_open_key" ON "agent_withdrawals" USING btree ("agent_id") WHERE "agent_withdrawals"."status" IN ('pending', 'approved');--> statement-breakpoint
CREATE INDEX "agent_withdrawals_merchant_idx" ON "agent_withdrawals" USING btree ("merchant_id","status","created_at");--> statement-breakpoint
CREATE INDEX "ledger_entries_txn_idx" ON "ledger_entries" USING btree ("txn_id");--> statement-breakpoint
CREATE INDEX "ledger_entries_agent_account_idx" ON "ledger_entries" USING btree ("agent_id","account");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_txns_key" ON "ledger_txns" USING btree ("merchant_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "ledger_txns_agent_idx" ON "ledger_txns" USING btree ("agent_id","created_at");--> statement-breakpoint
CREATE INDEX "ledger_txns_order_idx" ON "ledger_txns" USING btree ("order_id","agent_id") WHERE "ledger_txns"."order_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "order_agent_snapshots_agent_idx" ON "order_agent_snapshots" USING btree ("agent_id","created_at");--> statement-breakpoint
CREATE INDEX "order_agent_snapshots_release_idx" ON "order_agent_snapshots" USING btree ("release_at") WHERE "order_agent_snapshots"."release_at" IS NOT NULL AND "order_agent_snapshots"."released_at" IS NULL;--> statement-breakpoint
CREATE INDEX "order_agent_snapshots_parent_idx" ON "order_agent_snapshots" USING btree ("parent_id") WHERE "order_agent_snapshots"."parent_id" IS NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "order_refunds_order_seq_key" ON "order_refunds" USING btree ("order_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "order_refunds_idempotency_key" ON "order_refunds" USING btree ("order_id","idempotency_key") WHERE "order_refunds"."idempotency_key" IS NOT NULL AND "order_refunds"."status" <> 'failed';--> statement-breakpoint
CREATE INDEX "order_refunds_requested_idx" ON "order_refunds" USING btree ("created_at") WHERE "order_refunds"."status" = 'requested';--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_merchant_id_key" UNIQUE("merchant_id","id");--> statement-breakpoint
-- Agents created before levels existed keep their rank: each rank in use becomes a level of
-- its merchant (no discount, the defaults), so the foreign key below holds.
INSERT INTO "agent_levels" ("merchant_id", "rank", "name") SELECT DISTINCT "merchant_id", "level", 'L' || "level" FROM "agents";--> statement-breakpoint
INSERT INTO "agent_balances" ("agent_id", "merchant_id") SELECT "id", "merchant_id" FROM "agents";--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_level_fk" FOREIGN KEY ("merchant_id","level") REFERENCES "public"."agent_levels"("merchant_id","rank") ON DELETE no action ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_parent_fk" FOREIGN KEY ("merchant_id","parent_id") REFERENCES "public"."agents"("merchant_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "agents_user_key" ON "agents" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "agents_parent_idx" ON "agents" USING btree ("parent_id");--> statement-breakpoint
ALTER TABLE "agents" ADD CONSTRAINT "agents_parent_not_self" CHECK ("agents"."parent_id" IS DISTINCT FROM "agents"."id");--> statement-breakpoint
-- The ledger is append-only: entries and transactions are never updated or deleted.
CREATE FUNCTION "ledger_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger rows are append-only (% on %)', TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER "ledger_entries_append_only" BEFORE UPDATE OR DELETE ON "ledger_entries" FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();--> statement-breakpoint
CREATE TRIGGER "ledger_entries_no_truncate" BEFORE TRUNCATE ON "ledger_entries" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_append_only"();--> statement-breakpoint
CREATE TRIGGER "ledger_txns_append_only" BEFORE UPDATE OR DELETE ON "ledger_txns" FOR EACH ROW EXECUTE FUNCTION "ledger_append_only"();--> statement-breakpoint
CREATE TRIGGER "ledger_txns_no_truncate" BEFORE TRUNCATE ON "ledger_txns" FOR EACH STATEMENT EXECUTE FUNCTION "ledger_append_only"();--> statement-breakpoint
-- Double entry: at COMMIT, the legs of every transaction that got a new leg sum to zero.
CREATE FUNCTION "ledger_txn_balanced"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE total numeric;
BEGIN
  SELECT coalesce(sum("amount"), 0) INTO total FROM "ledger_entries" WHERE "txn_id" = NEW."txn_id";
  IF total <> 0 THEN
    RAISE EXCEPTION 'ledger transaction % does not balance (legs sum to %)', NEW."txn_id", total USING ERRCODE = 'check_violation';
  END IF;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE CONSTRAINT TRIGGER "ledger_entries_balanced" AFTER INSERT ON "ledger_entries" DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION "ledger_txn_balanced"();--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_agent_fk" FOREIGN KEY ("merchant_id","agent_id") REFERENCES "public"."agents"("merchant_id","id");
