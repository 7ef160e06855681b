<?php
/**
 * JSON Schema of PUT /settings (SettingsUpdate in the contract).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Settings;

/**
 * The writable settings fields as REST args; WordPress validates and sanitises them.
 */
final class SettingsSchema {

	/** Product statuses that can be chosen for creation in keyCRM. */
	public const STATUSES = array( 'publish', 'private', 'draft', 'pending', 'future' );


	/**
	 * REST args for PUT /settings.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function args(): array {
		$bool = array( 'type' => 'boolean' );
		return array(
			'api_key'               => array(
				'type'      => 'string',
				'maxLength' => 512,
			),
			'warehouse_id'          => array(
				'type'    => array( 'integer', 'null' ),
				'minimum' => 1,
				// keyCRM's ids are 32-bit; a larger number (1e30 passes as an integer) would be stored cut.
				'maximum' => 2147483647,
			),
			'stock_source'          => array(
				'type' => 'string',
				'enum' => array( 'woocommerce', 'keycrm' ),
			),
			'sync_stock'            => $bool,
			'sync_prices'           => $bool,
			'sync_product_data'     => $bool,
			'create_products'       => $bool,
			'rate_per_minute'       => array(
				'type'    => 'integer',
				'minimum' => 1,
				'maximum' => 60,
			),
			'keycrm_weight_unit'    => array(
				'type' => 'string',
				'enum' => array( 'kg', 'g' ),
			),
			'keycrm_dimension_unit' => array(
				'type' => 'string',
				'enum' => array( 'cm', 'mm', 'm' ),
			),
			'retire_policy'         => array(
				'type' => 'string',
				'enum' => array( 'zero_stock', 'none' ),
			),
			'stock_apply'           => array(
				'type' => 'string',
				'enum' => array( 'available', 'total' ),
			),
			'pull_interval_minutes' => array(
				'type'    => 'integer',
				'minimum' => 0,
				'maximum' => 1440,
			),
			'max_attempts'          => array(
				'type'    => 'integer',
				'minimum' => 1,
				'maximum' => 100,
			),
			'untracked_stock'       => array(
				'type'    => array( 'integer', 'null' ),
				'minimum' => 0,
				'maximum' => 1000000,
			),
			'sync_statuses'         => array(
				'type'        => 'array',
				'items'       => array(
					'type' => 'string',
					'enum' => self::STATUSES,
				),
				'uniqueItems' => true,
			),
			'create_external'       => $bool,
		);
	}
}
