CREATE TYPE "public"."risk_rule_kind" AS ENUM('email', 'email_domain', 'ip', 'cidr', 'email_regex');--> statement-breakpoint
CREATE TABLE "risk_rules" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"merchant_id" uuid NOT NULL,
	"kind" "risk_rule_kind" NOT NULL,
	"pattern" text NOT NULL,
	"net" "cidr",
	"action" text DEFAULT 'block' NOT NULL,
	"expires_at" timestamp with time zone,
	"note" text DEFAULT '' NOT NULL,
	"hit_count" integer DEFAULT 0 NOT NULL,
	"last_hit_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "risk_rules" ADD CONSTRAINT "risk_rules_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "public"."merchants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "risk_rules_merchant_kind_pattern_idx" ON "risk_rules" USING btree ("merchant_id","kind","pattern");--> statement-breakpoint
CREATE INDEX "risk_rules_net_idx" ON "risk_rules" USING gist ("net" inet_ops) WHERE net IS NOT NULL;