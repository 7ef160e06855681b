<?php
/**
 * JSON Schema args of the sender routes (ClaimRequest and AckRequest in the contract).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

/**
 * Schema-first args: WordPress validates the body before the handler runs.
 */
final class WorkerSchema {

	/**
	 * Args of POST /worker/claim.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function claim_args(): array {
		$nullable_str = array(
			'type'      => array( 'string', 'null' ),
			'maxLength' => 1000,
		);
		return array(
			'limit'         => array(
				'type'    => 'integer',
				'minimum' => 1,
				'maximum' => 10000,
				'default' => 500,
			),
			'lease_seconds' => array(
				'type'    => 'integer',
				'minimum' => 10,
				'maximum' => 3600,
				'default' => 300,
			),
			'live_only'     => array(
				'type'    => 'boolean',
				'default' => false,
			),
			'worker_id'     => array(
				'type'      => 'string',
				'maxLength' => 100,
			),
			'heartbeat'     => array(
				'type'       => 'object',
				'required'   => array( 'worker_id', 'version' ),
				'properties' => array(
					'worker_id'            => array(
						'type'      => 'string',
						'maxLength' => 100,
					),
					'version'              => array(
						'type'      => 'string',
						'maxLength' => 40,
					),
					'last_success_at'      => $nullable_str,
					'last_error'           => $nullable_str,
					'last_error_at'        => $nullable_str,
					'requests_last_minute' => array(
						'type'    => 'integer',
						'minimum' => 0,
					),
					'synced_last_minute'   => array(
						'type'    => 'integer',
						'minimum' => 0,
					),
					'eta_seconds'          => array(
						'type'    => array( 'number', 'null' ),
						'minimum' => 0,
					),
				),
			),
		);
	}

	/**
	 * Args of POST /worker/ack.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function ack_args(): array {
		$nullable_int = array(
			'type'    => array( 'integer', 'null' ),
			'minimum' => 1,
		);
		$nullable_str = array(
			'type'      => array( 'string', 'null' ),
			'maxLength' => 64,
		);
		return array(
			'lease_token' => array(
				'type'      => 'string',
				'required'  => true,
				'minLength' => 1,
				'maxLength' => 64,
			),
			'results'     => array(
				'type'     => 'array',
				'required' => true,
				'maxItems' => 10000,
				'items'    => array(
					'type'       => 'object',
					'required'   => array( 'sku', 'version', 'outcome' ),
					'properties' => array(
						'sku'                 => array( 'type' => 'string' ),
						'version'             => array(
							'type'    => 'integer',
							'minimum' => 0,
						),
						'outcome'             => array(
							'type' => 'string',
							'enum' => array( 'synced', 'failed', 'retry' ),
						),
						'error'               => array(
							'type'      => 'string',
							'maxLength' => 2000,
						),
						'code'                => array(
							'type'      => 'string',
							'maxLength' => 100,
						),
						'keycrm_product_id'   => $nullable_int,
						'keycrm_offer_id'     => $nullable_int,
						'pushed_stock'        => array( 'type' => array( 'number', 'null' ) ),
						'pushed_offer_hash'   => $nullable_str,
						'pushed_product_hash' => $nullable_str,
						'parent_id'           => $nullable_int,
					),
				),
			),
			'categories'  => array(
				'type'     => 'array',
				'maxItems' => 1000,
				'items'    => array(
					'type'       => 'object',
					'required'   => array( 'term_id', 'keycrm_id', 'name', 'parent_keycrm_id' ),
					'properties' => array(
						'term_id'          => array(
							'type'    => 'integer',
							'minimum' => 1,
						),
						'keycrm_id'        => array(
							'type'    => 'integer',
							'minimum' => 1,
						),
						'name'             => array( 'type' => 'string' ),
						'parent_keycrm_id' => $nullable_int,
					),
				),
			),
		);
	}
}
