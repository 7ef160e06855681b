<?php
/**
 * The planner (the PHP twin of src/sender/plan.ts).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

use KeyCrmSync\KeyCrm\Client;
use KeyCrmSync\Sku\SkuRules;

/**
 * A pure function from the SKUs in hand (claimed snapshots + this run's state) to the keyCRM
 * calls that bring keyCRM to the shop's state with the fewest requests:
 *
 * | step | call | rows per request |
 * | --- | --- | --- |
 * | stock of SKUs keyCRM holds | PUT /offers/stocks by sku | 10,000 |
 * | offer data (prices, weight, size, image) | PUT /offers by sku | 10,000 |
 * | existence / ids of SKUs nobody knows | GET /offers?filter[sku]=… | 50 |
 * | new simple products | POST /products/import | 100 |
 * | new variable products | POST /products | 1 (returns the id) |
 * | new variations | POST /products/{id}/offers | 100 per product |
 * | name, description, pictures, category | PUT /products/{id} | 1 |
 * | categories keyCRM lacks | GET/POST /products/categories | 1 (see CategoryPlan) |
 *
 * Nothing is sent that keyCRM already holds; a row reclaimed or retried after a failure cannot
 * vouch for what it recorded, so its values are sent again and its existence is looked up before
 * any create. Stock of a SKU created in this plan comes in the next plan (the runner re-plans
 * after every round of calls). SKUs the settings keep out of keyCRM (grouped products, statuses
 * not created, external products) are `not_sent`: acknowledged as done, with the reason.
 */
final class Planner {

	/**
	 * Plans the calls.
	 *
	 * @param array<string, array<string, mixed>> $items    Claimed items by SKU.
	 * @param array<string, mixed>                $settings Sender settings.
	 * @param RunState                            $state    This run's knowledge.
	 * @return array{calls:list<array<string, mixed>>, done:list<string>, blocked:list<array{sku:string, code:string, message:string}>, not_sent:list<array{sku:string, code:string, message:string}>}
	 */
	public static function plan( array $items, array $settings, RunState $state ): array {
		$b          = array(
			'stocks'     => array(),
			'offers'     => array(),
			'lookups'    => array(),
			'imports'    => array(),
			'variations' => array(),
			'parents'    => array(),
			'create'     => array(),
			'updates'    => array(),
			'done'       => array(),
			'blocked'    => array(),
			'not_sent'   => array(),
		);
		$parent_ids = self::known_parent_ids( $items, $state );
		foreach ( $items as $item ) {
			if ( 'variable' === $item['type'] && null !== $item['product_id'] ) {
				$b['parents'][ (int) $item['product_id'] ] = $item;
			}
		}
		foreach ( $items as $item ) {
			self::plan_item( $item, $settings, $state, $parent_ids, $b );
		}
		$categories = CategoryPlan::plan( $items, $settings, $state, $parent_ids, $b );
		return array(
			'calls'    => array_merge( null !== $categories ? array( $categories ) : array(), self::assemble( $settings, $state, $parent_ids, $b ) ),
			'done'     => $b['done'],
			'blocked'  => $b['blocked'],
			'not_sent' => $b['not_sent'],
		);
	}

	/**
	 * Whether a create of this SKU may have landed without the outbox knowing (the last lease
	 * ended without an ack, or the last attempt failed).
	 *
	 * @param array<string, mixed> $item Claimed item.
	 */
	public static function in_doubt( array $item ): bool {
		return ! empty( $item['reclaimed'] ) || (int) $item['attempts'] > 0;
	}

	/**
	 * Whether keyCRM holds an offer with the item's SKU: yes, no or unknown.
	 *
	 * @param array<string, mixed> $item  Claimed item.
	 * @param RunState             $state Run state.
	 */
	public static function existence( array $item, RunState $state ): string {
		list( $set, $exists ) = $state->get( $item['sku'], 'exists' );
		if ( $set ) {
			return (string) $exists;
		}
		if ( null !== $item['keycrm_offer_id'] || null !== $item['pushed_offer_hash'] || null !== $item['pushed_stock'] ) {
			return 'yes';
		}
		if ( null !== $state->census && isset( $state->census[ $item['sku'] ] ) ) {
			return 'yes';
		}
		if ( self::in_doubt( $item ) ) {
			return 'unknown';
		}
		return null !== $state->census ? 'no' : 'unknown';
	}

	/**
	 * A value keyCRM holds as far as we know: this run's, else the outbox's unless in doubt.
	 *
	 * @param RunState             $state  Run state.
	 * @param array<string, mixed> $item   Claimed item.
	 * @param string               $field  Run-state field.
	 * @param string               $column Outbox column.
	 * @return mixed
	 */
	private static function held( RunState $state, array $item, string $field, string $column ) {
		list( $set, $value ) = $state->get( $item['sku'], $field );
		if ( $set ) {
			return $value;
		}
		return self::in_doubt( $item ) ? null : $item[ $column ];
	}

	/**
	 * Routes one item into the buckets.
	 *
	 * @param array<string, mixed> $item       Claimed item.
	 * @param array<string, mixed> $settings   Settings.
	 * @param RunState             $state      State.
	 * @param array<int, int>      $parent_ids WP parent id => keyCRM product id.
	 * @param array<string, mixed> $b          Buckets.
	 */
	private static function plan_item( array $item, array $settings, RunState $state, array $parent_ids, array &$b ): void {
		$sku = (string) $item['sku'];
		try {
			$work = self::work( $item, $settings, $state, $parent_ids );
		} catch ( \InvalidArgumentException $e ) {
			$b['blocked'][] = array(
				'sku'     => $sku,
				'code'    => 'bad_unit',
				'message' => 'Unit conversion failed: ' . $e->getMessage(),
			);
			return;
		}
		if ( 'grouped' === $item['type'] && empty( $item['retired'] ) ) {
			$b['not_sent'][] = array(
				'sku'     => $sku,
				'code'    => 'not_sent',
				'message' => 'Not sent: a grouped product sells its products, which are sent as themselves.',
			);
			return;
		}
		$blocked = self::block_reason( $item, $work, $settings );
		if ( null !== $blocked ) {
			$b['blocked'][] = array( 'sku' => $sku ) + $blocked;
			return;
		}
		$excluded = null === $work['create'] ? null : self::not_created( $item, $settings );
		if ( null !== $excluded ) {
			$b['not_sent'][] = array(
				'sku'     => $sku,
				'code'    => 'not_sent',
				'message' => $excluded,
			);
			return;
		}
		if ( 'simple' === $work['create'] ) {
			$b['imports'][] = $item;
		} elseif ( 'variation' === $work['create'] ) {
			$b['variations'][ (int) $item['parent_id'] ][] = $item;
		} elseif ( 'parent' === $work['create'] ) {
			$b['create'][ (int) $item['product_id'] ] = true;
		} else {
			list( , $created ) = $state->get( $sku, 'created' );
			if ( null !== $work['stock'] && null !== $settings['warehouse_id'] ) {
				$b['stocks'][] = array(
					'sku'      => $sku,
					'quantity' => $work['stock'],
					'urgent'   => ! $created && empty( $item['retired'] ),
				);
			}
			if ( null !== $work['offer'] ) {
				$b['offers'][] = $work['offer'];
			}
			if ( $work['lookup'] ) {
				$b['lookups'][] = $sku;
			} elseif ( null !== $work['product'] && null !== $work['product']['product_id'] ) {
				self::add_update( $b, $item, (int) $work['product']['product_id'], $work['product']['body'] );
			}
			if ( null === $work['stock'] && null === $work['offer'] && null === $work['product'] && ! $work['lookup'] ) {
				$b['done'][] = $sku;
			}
		}
	}

	/**
	 * Plans a product update; the variations of one SKU-less parent share one.
	 *
	 * @param array<string, mixed> $b          Buckets.
	 * @param array<string, mixed> $item       The item whose product data changed.
	 * @param int                  $product_id keyCRM product id.
	 * @param array<string, mixed> $body       PUT /products/{id} body.
	 */
	private static function add_update( array &$b, array $item, int $product_id, array $body ): void {
		if ( 'variation' === $item['type'] ) {
			foreach ( $b['updates'] as $i => $call ) {
				if ( 'updateProduct' === $call['kind'] && $product_id === $call['product_id'] && isset( $call['also'] ) ) {
					$b['updates'][ $i ]['also'][] = (string) $item['sku'];
					return;
				}
			}
		}
		$call = array(
			'kind'       => 'updateProduct',
			'product_id' => $product_id,
			'sku'        => (string) $item['sku'],
			'body'       => $body,
		);
		if ( 'variation' === $item['type'] ) {
			$call['also'] = array();
		}
		$b['updates'][] = $call;
	}

	/**
	 * Why an item cannot be sent, or null.
	 *
	 * @param array<string, mixed> $item     Claimed item.
	 * @param array<string, mixed> $work     Its work.
	 * @param array<string, mixed> $settings Settings.
	 * @return array{code:string, message:string}|null
	 */
	private static function block_reason( array $item, array $work, array $settings ): ?array {
		$sku = (string) $item['sku'];
		if ( null !== SkuRules::problem( $sku ) ) {
			return array(
				'code'    => 'unusable_sku',
				'message' => 'keyCRM cannot use this SKU (empty, a comma, surrounding spaces, or longer than 255 characters).',
			);
		}
		if ( null !== $work['create'] && empty( $settings['create_products'] ) ) {
			return array(
				'code'    => 'not_in_keycrm',
				'message' => 'The SKU does not exist in keyCRM and creating products is turned off.',
			);
		}
		if ( 'variation' === $work['create'] && null === $item['parent_id'] ) {
			return array(
				'code'    => 'no_parent',
				'message' => 'A variation without a parent product cannot be created in keyCRM.',
			);
		}
		if ( null !== $work['stock'] && ! $work['lookup'] && null === $work['create'] && null === $settings['warehouse_id'] ) {
			return array(
				'code'    => 'warehouse_not_set',
				'message' => 'No keyCRM warehouse is set, so stock cannot be sent.',
			);
		}
		return null;
	}

	/**
	 * Why the settings keep a product that keyCRM does not hold out of it, or null. Products
	 * keyCRM already holds are updated whatever their status.
	 *
	 * @param array<string, mixed> $item     Claimed item (about to be created).
	 * @param array<string, mixed> $settings Settings.
	 */
	public static function not_created( array $item, array $settings ): ?string {
		$statuses = $settings['sync_statuses'] ?? null;
		if ( is_array( $statuses ) ) {
			$own = (string) ( $item['status'] ?? '' );
			if ( ! in_array( $own, $statuses, true ) ) {
				return sprintf( 'Not sent: its status is "%s" (Settings: product statuses created in keyCRM).', $own );
			}
			$parent = (string) ( $item['parent_status'] ?? '' );
			if ( 'variation' === $item['type'] && '' !== $parent && ! in_array( $parent, $statuses, true ) ) {
				return sprintf( 'Not sent: its variable product\'s status is "%s" (Settings: product statuses created in keyCRM).', $parent );
			}
		}
		if ( 'external' === $item['type'] && false === ( $settings['create_external'] ?? null ) ) {
			return 'Not sent: an external/affiliate product (Settings: create external products).';
		}
		return null;
	}

	/**
	 * The work one item needs.
	 *
	 * @param array<string, mixed> $item       Claimed item.
	 * @param array<string, mixed> $settings   Settings.
	 * @param RunState             $state      State.
	 * @param array<int, int>      $parent_ids WP parent id => keyCRM product id.
	 * @return array{stock:float|null, offer:array<string, mixed>|null, product:array<string, mixed>|null, create:string|null, lookup:bool}
	 */
	private static function work( array $item, array $settings, RunState $state, array $parent_ids ): array {
		$none = array(
			'stock'   => null,
			'offer'   => null,
			'product' => null,
			'create'  => null,
			'lookup'  => false,
		);
		if ( 'grouped' === $item['type'] ) {
			return $none;
		}
		if ( 'variable' === $item['type'] ) {
			return self::parent_work( $item, $settings, $state, $parent_ids, $none );
		}
		$exists = self::existence( $item, $state );
		if ( ! empty( $item['retired'] ) ) {
			if ( 'unknown' === $exists && self::in_doubt( $item ) ) {
				return array( 'lookup' => true ) + $none;
			}
			$target = 'yes' === $exists ? Desired::stock( $item, $settings ) : null;
			$held   = self::held( $state, $item, 'pushed_stock', 'pushed_stock' );
			return array( 'stock' => null !== $target && ( null === $held || (float) $held !== $target ) ? $target : null ) + $none;
		}
		if ( 'unknown' === $exists ) {
			return array( 'lookup' => true ) + $none;
		}
		if ( 'no' === $exists ) {
			Desired::offer_data( $item, $settings ); // A unit that cannot be converted blocks this SKU here, not the whole plan.
			return array( 'create' => 'variation' === $item['type'] ? 'variation' : 'simple' ) + $none;
		}
		$stock   = Desired::stock( $item, $settings );
		$held    = self::held( $state, $item, 'pushed_stock', 'pushed_stock' );
		$offer   = Desired::offer_hash( $item, $settings ) !== self::held( $state, $item, 'offer_hash', 'pushed_offer_hash' )
			? array( 'sku' => (string) $item['sku'] ) + Desired::offer_data( $item, $settings ) : null;
		$product = self::product_work( $item, $settings, $state, $parent_ids );
		return array(
			'stock'   => null !== $stock && ( null === $held || (float) $held !== $stock ) ? $stock : null,
			'offer'   => $offer,
			'product' => $product,
			'create'  => null,
			'lookup'  => null !== $product && null === $product['product_id'],
		);
	}

	/**
	 * Product-level work of a simple-like offer, or of a variation of a SKU-less parent (the
	 * parent's data), null when unchanged.
	 *
	 * @param array<string, mixed> $item       Claimed item.
	 * @param array<string, mixed> $settings   Settings.
	 * @param RunState             $state      State.
	 * @param array<int, int>      $parent_ids WP parent id => keyCRM product id.
	 * @return array{body:array<string, mixed>, product_id:int|null}|null
	 */
	private static function product_work( array $item, array $settings, RunState $state, array $parent_ids ): ?array {
		$skuless = Desired::of_skuless_parent( $item );
		if ( ( 'variation' === $item['type'] && ! $skuless ) || empty( $settings['sync_product_data'] ) ) {
			return null;
		}
		if ( Desired::product_hash( $item, $settings ) === self::held( $state, $item, 'product_hash', 'pushed_product_hash' ) ) {
			return null;
		}
		list( , $run_id ) = $state->get( $item['sku'], 'product_id' );
		$parent_id        = $skuless && null !== $item['parent_id'] ? ( $parent_ids[ (int) $item['parent_id'] ] ?? null ) : null;
		$id               = $parent_id ?? $run_id ?? $item['keycrm_product_id'] ?? ( $state->census[ $item['sku'] ][1] ?? null );
		return array(
			'body'       => $skuless ? Desired::skuless_parent_update( $item, $settings ) : Desired::product_data( $item, $settings ),
			'product_id' => null === $id ? null : (int) $id,
		);
	}

	/**
	 * Work of a variable parent: create it, or update its product-level data.
	 *
	 * @param array<string, mixed> $item       The variable product's item.
	 * @param array<string, mixed> $settings   Settings.
	 * @param RunState             $state      State.
	 * @param array<int, int>      $parent_ids WP parent id => keyCRM product id.
	 * @param array<string, mixed> $none       Empty work.
	 * @return array<string, mixed>
	 */
	private static function parent_work( array $item, array $settings, RunState $state, array $parent_ids, array $none ): array {
		if ( ! empty( $item['retired'] ) ) {
			return $none;
		}
		$id = null === $item['product_id'] ? null : ( $parent_ids[ (int) $item['product_id'] ] ?? null );
		if ( null === $id ) {
			return array( 'create' => 'parent' ) + $none;
		}
		if ( empty( $settings['sync_product_data'] ) || Desired::product_hash( $item, $settings ) === self::held( $state, $item, 'product_hash', 'pushed_product_hash' ) ) {
			return $none;
		}
		return array(
			'product' => array(
				'body'       => Desired::product_data( $item, $settings ),
				'product_id' => $id,
			),
		) + $none;
	}

	/**
	 * WP parent id => keyCRM product id from every source in hand.
	 *
	 * @param array<string, array<string, mixed>> $items Items.
	 * @param RunState                            $state State.
	 * @return array<int, int>
	 */
	private static function known_parent_ids( array $items, RunState $state ): array {
		$ids = $state->parents;
		foreach ( $items as $item ) {
			list( , $run_id ) = $state->get( $item['sku'], 'product_id' );
			if ( 'variable' === $item['type'] && null !== $item['product_id'] ) {
				$id = $run_id ?? $item['keycrm_product_id'];
				if ( null !== $id && ! isset( $ids[ (int) $item['product_id'] ] ) ) {
					$ids[ (int) $item['product_id'] ] = (int) $id;
				}
			} elseif ( 'variation' === $item['type'] && null !== $item['parent_id'] && ! isset( $ids[ (int) $item['parent_id'] ] ) ) {
				$id = $run_id ?? $item['keycrm_product_id'] ?? $item['parent_keycrm_product_id'] ?? ( $state->census[ $item['sku'] ][1] ?? null );
				if ( null !== $id ) {
					$ids[ (int) $item['parent_id'] ] = (int) $id;
				}
			}
		}
		return $ids;
	}

	/**
	 * Ordered calls: stock, offer data, lookups, creations, product updates.
	 *
	 * @param array<string, mixed> $settings   Settings.
	 * @param RunState             $state      State.
	 * @param array<int, int>      $parent_ids WP parent id => keyCRM product id.
	 * @param array<string, mixed> $b          Buckets.
	 * @return list<array<string, mixed>>
	 */
	private static function assemble( array $settings, RunState $state, array $parent_ids, array $b ): array {
		$calls = array();
		if ( null !== $settings['warehouse_id'] ) {
			foreach ( array_chunk( $b['stocks'], Client::UPDATE_STOCKS ) as $rows ) {
				$calls[] = array(
					'kind'      => 'stocks',
					'warehouse' => (int) $settings['warehouse_id'],
					'rows'      => $rows,
				);
			}
		}
		foreach ( array_chunk( $b['offers'], Client::UPDATE_OFFERS ) as $rows ) {
			$calls[] = array(
				'kind' => 'offers',
				'rows' => $rows,
			);
		}
		foreach ( array_chunk( $b['lookups'], Client::PAGE_SIZE ) as $skus ) {
			$calls[] = array(
				'kind' => 'lookup',
				'skus' => $skus,
			);
		}
		foreach ( array_chunk( $b['imports'], Client::IMPORT_PRODUCTS ) as $list ) {
			$calls[] = array(
				'kind'     => 'import',
				'products' => array_map( static fn( $i ) => CategoryPlan::with_id( Desired::import_item( $i, $settings ), $i, $settings, $state ), $list ),
				'skus'     => array_map( static fn( $i ) => (string) $i['sku'], $list ),
			);
		}
		$creates = array();
		$parents = array_unique( array_merge( array_keys( $b['create'] ), array_keys( $b['variations'] ) ) );
		foreach ( $parents as $parent_id ) {
			$variations = $b['variations'][ $parent_id ] ?? array();
			$parent     = $b['parents'][ $parent_id ] ?? null;
			if ( ! isset( $parent_ids[ $parent_id ] ) ) {
				$sample = $variations[0] ?? $parent;
				if ( null !== $sample ) {
					$creates[] = array(
						'kind'       => 'createParent',
						'parent_id'  => (int) $parent_id,
						'body'       => CategoryPlan::with_id( Desired::parent_create_body( $sample, $parent, $settings ), $parent ?? $sample, $settings, $state ),
						'parent_sku' => null !== $parent ? (string) $parent['sku'] : ( $sample['parent_sku'] ?? null ),
						'skus'       => array_merge( null !== $parent ? array( (string) $parent['sku'] ) : array(), array_map( static fn( $v ) => (string) $v['sku'], $variations ) ),
					);
				}
				continue;
			}
			foreach ( array_chunk( $variations, Client::CREATE_OFFERS ) as $list ) {
				$calls[] = array(
					'kind'       => 'createOffers',
					'product_id' => $parent_ids[ $parent_id ],
					'parent_id'  => (int) $parent_id,
					'offers'     => array_map( static fn( $v ) => Desired::offer_create_item( $v, $settings ), $list ),
					'skus'       => array_map( static fn( $v ) => (string) $v['sku'], $list ),
				);
			}
		}
		return array_merge( $calls, $creates, $b['updates'] );
	}

	/**
	 * SKUs whose outcome depends on a call.
	 *
	 * @param array<string, mixed> $call Call.
	 * @return list<string>
	 */
	public static function call_skus( array $call ): array {
		if ( 'stocks' === $call['kind'] || 'offers' === $call['kind'] ) {
			return array_map( static fn( $r ) => (string) $r['sku'], $call['rows'] );
		}
		if ( 'updateProduct' === $call['kind'] ) {
			return array_merge( array( (string) $call['sku'] ), $call['also'] ?? array() );
		}
		return $call['skus'];
	}
}
