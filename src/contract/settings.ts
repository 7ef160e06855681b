/**
 * Settings: what an admin reads and writes (`GET|PUT /settings`, the webhook
 * secret) and what the sender receives with every claim.
 */
import * as z from 'zod/mini';

export const StockSource = z.enum( [ 'woocommerce', 'keycrm' ] );
export type StockSource = z.infer< typeof StockSource >;

/** Settings fields an admin can read (the API key is never returned). */
export const PublicSettings = z.object( {
	/** Whether a keyCRM API key is stored. The key itself is write-only. */
	api_key_set: z.boolean(),
	/** keyCRM warehouse that `PUT /offers/stocks` writes to; null = not configured. */
	warehouse_id: z.nullable( z.int().check( z.positive() ) ),
	/** Which side owns stock levels. */
	stock_source: StockSource,
	/** What the shop → keyCRM push covers. */
	sync_stock: z.boolean(),
	sync_prices: z.boolean(),
	sync_product_data: z.boolean(),
	create_products: z.boolean(),
	/**
	 * WordPress statuses of the products that are created in keyCRM (the API
	 * cannot delete products, so a draft created there stays). Products
	 * already in keyCRM are kept up to date whatever their status. Optional
	 * (added after v1); absent: every status.
	 */
	sync_statuses: z.optional(
		z.array(
			z.enum( [ 'publish', 'private', 'draft', 'pending', 'future' ] )
		)
	),
	/** Whether external/affiliate products are created in keyCRM (they sell elsewhere). Optional (added after v1); absent: yes. */
	create_external: z.optional( z.boolean() ),
	/** Request budget per minute for this site's sender (keyCRM allows 60 per key). */
	rate_per_minute: z.int().check( z.minimum( 1 ), z.maximum( 60 ) ),
	/** Units configured in the keyCRM account (weights/dimensions are converted to them). */
	keycrm_weight_unit: z.enum( [ 'kg', 'g' ] ),
	keycrm_dimension_unit: z.enum( [ 'cm', 'mm', 'm' ] ),
	/** What happens in keyCRM to SKUs that leave the shop: set stock 0, or leave them. */
	retire_policy: z.enum( [ 'zero_stock', 'none' ] ),
	/** keyCRM → shop mode: apply available (in_stock − in_reserve) or total (in_stock). */
	stock_apply: z.enum( [ 'available', 'total' ] ),
	/** keyCRM → shop mode: minutes between full stock pulls (0 = off). */
	pull_interval_minutes: z.int().check( z.minimum( 0 ), z.maximum( 1440 ) ),
	/** Attempts before a row becomes `dead`. */
	max_attempts: z.int().check( z.minimum( 1 ), z.maximum( 100 ) ),
	/**
	 * Stock sent for items without managed stock that are "In stock" or "On
	 * backorder"; null: none (keyCRM keeps its own number). The sender's
	 * `--untracked-stock` overrides it. Optional (added after v1).
	 */
	untracked_stock: z.nullish(
		z.int().check( z.minimum( 0 ), z.maximum( 1000000 ) )
	),
	/** Whether a webhook secret is stored (it is shown once, by `POST /settings/webhook-secret`). */
	webhook_secret_set: z.boolean(),
} );
export type PublicSettings = z.infer< typeof PublicSettings >;

/** `PUT /settings` body: any subset; `api_key: ""` clears the key. */
export const SettingsUpdate = z.partial(
	z.extend(
		z.omit( PublicSettings, {
			api_key_set: true,
			webhook_secret_set: true,
		} ),
		{
			api_key: z.string().check( z.maxLength( 512 ) ),
		}
	)
);
export type SettingsUpdate = z.infer< typeof SettingsUpdate >;

/** `POST /settings/webhook-secret` (administrators): a new secret, the only time it is shown. */
export const WebhookSecretResponse = z.object( {
	webhook_secret: z.string(),
	/** Full URL keyCRM's stock webhook must POST to (contains the secret). */
	webhook_url: z.string(),
} );
export type WebhookSecretResponse = z.infer< typeof WebhookSecretResponse >;

/** What the sender gets with every claim (application-password requests only). */
export const SenderSettings = z.extend(
	z.omit( PublicSettings, {
		api_key_set: true,
		webhook_secret_set: true,
	} ),
	{
		/** The keyCRM API key ('' when not set). Only ever sent to the sender. */
		api_key: z.string(),
		/** Currency code of the shop (keyCRM products carry a currency_code). */
		currency_code: z.string(),
	}
);
export type SenderSettings = z.infer< typeof SenderSettings >;
