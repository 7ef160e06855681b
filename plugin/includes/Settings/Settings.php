<?php
/**
 * The plugin's settings: one small autoloaded option.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Settings;

/**
 * Typed access to the settings option. The API key is write-only towards admins: public() never
 * contains it; sender() (application-password requests only) does.
 */
final class Settings {

	/** Option name (autoloaded; well under 1 KB; never holds the secrets). */
	public const OPTION = 'keycrm_sync_settings';

	/** Option holding the SECRETS (not autoloaded: read only by the requests that need them). */
	public const SECRETS_OPTION = 'keycrm_sync_secrets';

	/** Fields kept in SECRETS_OPTION. */
	public const SECRETS = array( 'api_key', 'webhook_secret' );

	/** Defaults of every stored field. */
	public const DEFAULTS = array(
		'api_key'               => '',
		'warehouse_id'          => null,
		'stock_source'          => 'woocommerce',
		'sync_stock'            => true,
		'sync_prices'           => true,
		'sync_product_data'     => true,
		'create_products'       => true,
		'rate_per_minute'       => 50,
		'keycrm_weight_unit'    => 'kg',
		'keycrm_dimension_unit' => 'cm',
		'retire_policy'         => 'zero_stock',
		'stock_apply'           => 'available',
		'pull_interval_minutes' => 15,
		'max_attempts'          => 8,
		'untracked_stock'       => null,
		'sync_statuses'         => array( 'publish' ),
		'create_external'       => false,
		'webhook_secret'        => '',
	);

	/**
	 * All stored values merged over the defaults.
	 *
	 * @return array<string, mixed>
	 */
	public function all(): array {
		$stored  = get_option( self::OPTION, array() );
		$secrets = get_option( self::SECRETS_OPTION, array() );
		// Installs from before the split hold the secrets in OPTION until the next write.
		return array_merge(
			self::DEFAULTS,
			is_array( $stored ) ? array_intersect_key( $stored, self::DEFAULTS ) : array(),
			is_array( $secrets ) ? array_intersect_key( $secrets, array_flip( self::SECRETS ) ) : array()
		);
	}

	/**
	 * One value.
	 *
	 * @param string $key Field name.
	 * @return mixed
	 */
	public function get( string $key ) {
		return $this->all()[ $key ] ?? null;
	}

	/**
	 * Stores already validated values (merged over the current ones).
	 *
	 * @param array<string, mixed> $values Field => value.
	 */
	public function update( array $values ): void {
		$this->store( array_merge( $this->all(), array_intersect_key( $values, self::DEFAULTS ) ) );
	}

	/**
	 * Writes all values: the secrets to SECRETS_OPTION (not autoloaded), the rest to OPTION.
	 *
	 * @param array<string, mixed> $all Every field.
	 */
	private function store( array $all ): void {
		$secrets = array_intersect_key( $all, array_flip( self::SECRETS ) );
		update_option( self::SECRETS_OPTION, $secrets, false );
		update_option( self::OPTION, array_diff_key( $all, $secrets ), true );
	}

	/**
	 * Creates the option with defaults and a webhook secret when missing (activation).
	 */
	public function ensure(): void {
		$all = $this->all();
		if ( '' === $all['webhook_secret'] ) {
			$all['webhook_secret'] = self::new_secret();
		}
		$this->store( $all );
	}

	/**
	 * A fresh random webhook secret (hex, 32 bytes of entropy).
	 */
	public static function new_secret(): string {
		return bin2hex( random_bytes( 32 ) );
	}

	/**
	 * The secret keyCRM's stock webhook must present.
	 */
	public function webhook_secret(): string {
		return (string) $this->get( 'webhook_secret' );
	}

	/**
	 * URL keyCRM's stock webhook posts to (includes the secret).
	 */
	public function webhook_url(): string {
		return add_query_arg( 'secret', rawurlencode( $this->webhook_secret() ), rest_url( 'keycrm-sync/v1/webhook/stock' ) );
	}

	/**
	 * Replaces the webhook secret with a new random one (the old URL stops working at once).
	 *
	 * @return string The new secret.
	 */
	public function rotate_webhook_secret(): string {
		$secret = self::new_secret();
		$this->update( array( 'webhook_secret' => $secret ) );
		return $secret;
	}

	/**
	 * Settings an admin may read (PublicSettings in the contract): neither the API key nor the
	 * webhook secret (nor the URL that carries it), only whether each is set.
	 *
	 * @return array<string, mixed>
	 */
	public function public(): array {
		$all = $this->all();
		$out = array(
			'api_key_set'        => '' !== $all['api_key'],
			'webhook_secret_set' => '' !== $all['webhook_secret'],
		);
		unset( $all['api_key'], $all['webhook_secret'] );
		return $out + $this->typed( $all );
	}

	/**
	 * Settings the sender gets with every claim (SenderSettings in the contract).
	 *
	 * @return array<string, mixed>
	 */
	public function sender(): array {
		$all = $this->all();
		unset( $all['webhook_secret'] );
		$out                  = $this->typed( $all );
		$out['api_key']       = (string) $all['api_key'];
		$out['currency_code'] = function_exists( 'get_woocommerce_currency' ) ? (string) get_woocommerce_currency() : '';
		return $out;
	}

	/**
	 * Whether the sender has what it needs to push (API key and warehouse).
	 */
	public function complete(): bool {
		$all = $this->all();
		return '' !== $all['api_key'] && null !== $all['warehouse_id'];
	}

	/**
	 * Casts stored values to their JSON types.
	 *
	 * @param array<string, mixed> $values Values.
	 * @return array<string, mixed>
	 */
	private function typed( array $values ): array {
		foreach ( $values as $key => $value ) {
			$default = self::DEFAULTS[ $key ] ?? null;
			if ( 'warehouse_id' === $key || 'untracked_stock' === $key ) {
				$values[ $key ] = null === $value ? null : (int) $value;
			} elseif ( is_array( $default ) ) {
				$values[ $key ] = array_values( array_map( 'strval', (array) $value ) );
			} elseif ( is_bool( $default ) ) {
				$values[ $key ] = (bool) $value;
			} elseif ( is_int( $default ) ) {
				$values[ $key ] = (int) $value;
			} elseif ( is_string( $default ) ) {
				$values[ $key ] = (string) $value;
			}
		}
		return $values;
	}
}
