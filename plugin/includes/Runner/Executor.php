<?php
/**
 * Performs planned calls (the PHP twin of src/sender/executor.ts and bulk.ts).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

use KeyCrmSync\KeyCrm\Client;
use KeyCrmSync\KeyCrm\KeyCrmError;

/**
 * Sends one planned call and records what it achieved in the RunState. Rows keyCRM rejects are
 * set aside (by the row indexes of a 422, else by bisection) so one bad SKU never blocks the
 * others. A create whose outcome is unknown is resolved by looking its SKUs up at once: nothing is
 * created twice. Errors that concern the whole run (auth, rate, budget) are thrown.
 */
final class Executor {

	/**
	 * Constructor.
	 *
	 * @param Client                              $client      keyCRM client.
	 * @param RunState                            $state       Run state.
	 * @param array<string, array<string, mixed>> $items       Claimed items by SKU.
	 * @param array<string, mixed>                $settings    Sender settings.
	 * @param callable                            $record_parent Records a new variable product's keyCRM id (WP parent id, id) before its variations are added.
	 * @param callable|null                       $remember_category Remembers a product category's keyCRM category (term id, id, name, keyCRM parent id).
	 */
	public function __construct( private Client $client, private RunState $state, private array $items, private array $settings, private $record_parent, private $remember_category = null ) {
		$this->remember_category ??= static function (): void {};
	}

	/**
	 * Performs one call.
	 *
	 * @param array<string, mixed> $call Planned call.
	 * @return array{failed:list<array{sku:string, code:string, message:string}>, retry:list<array{sku:string, code:string, message:string}>}
	 * @throws KeyCrmError Auth, rate and budget errors (they end the run).
	 */
	public function execute( array $call ): array {
		$out = array(
			'failed' => array(),
			'retry'  => array(),
		);
		try {
			$this->perform( $call, $out );
		} catch ( KeyCrmError $e ) {
			if ( in_array( $e->kind, array( 'auth', 'rate', 'budget' ), true ) ) {
				throw $e;
			}
			foreach ( Planner::call_skus( $call ) as $sku ) {
				$out[ $e->retryable() ? 'retry' : 'failed' ][] = self::failure( $sku, $e );
			}
		}
		return $out;
	}

	/**
	 * Error code and message of a SKU's failure.
	 *
	 * @param string      $sku SKU.
	 * @param KeyCrmError $e   Error.
	 * @return array{sku:string, code:string, message:string}
	 */
	public static function failure( string $sku, KeyCrmError $e ): array {
		$codes = array(
			'rate'      => 'keycrm_rate_limited',
			'budget'    => 'keycrm_rate_limited',
			'transient' => 'keycrm_unavailable',
			'unknown'   => 'keycrm_unavailable',
		);
		return array(
			'sku'     => $sku,
			'code'    => $codes[ $e->kind ] ?? 'keycrm_' . ( $e->status > 0 ? $e->status : 'error' ),
			'message' => $e->getMessage(),
		);
	}

	/**
	 * Dispatch by kind.
	 *
	 * @param array<string, mixed> $call Call.
	 * @param array<string, mixed> $out  Outcome.
	 */
	private function perform( array $call, array &$out ): void {
		switch ( $call['kind'] ) {
			case 'stocks':
				$r = $this->bulk(
					$call['rows'],
					'stocks',
					fn( $rows ) => $this->client->update_stocks(
						(int) $call['warehouse'],
						array_map(
							static fn( $row ) => array(
								'sku'      => $row['sku'],
								'quantity' => $row['quantity'],
							),
							$rows
						)
					)
				);
				foreach ( $r['ok'] as $row ) {
					$this->state->patch(
						$row['sku'],
						array(
							'pushed_stock' => $row['quantity'],
							'exists'       => 'yes',
						)
					);
				}
				$this->collect( $r, static fn( $row ) => $row['sku'], $out );
				return;
			case 'offers':
				$r = $this->bulk( $call['rows'], 'offers', fn( $rows ) => $this->client->update_offers( $rows ) );
				foreach ( $r['ok'] as $row ) {
					$this->state->patch(
						$row['sku'],
						array(
							'offer_hash' => $this->hash_of( $row['sku'], 'offer' ),
							'exists'     => 'yes',
						)
					);
				}
				$this->collect( $r, static fn( $row ) => $row['sku'], $out );
				return;
			case 'lookup':
				$this->lookup( $call['skus'] );
				return;
			case 'import':
				$this->create_rows( $out, $call['skus'], 'products', fn( $idx ) => $this->client->import_products( array_map( static fn( $i ) => $call['products'][ $i ], $idx ) ), null, fn( $i, $message ) => $this->stale_category( $call['products'][ $i ]['category_id'] ?? null, $message ) );
				return;
			case 'createOffers':
				$this->create_rows( $out, $call['skus'], 'offers', fn( $idx ) => $this->client->create_offers( (int) $call['product_id'], array_map( static fn( $i ) => $call['offers'][ $i ], $idx ) ), (int) $call['product_id'] );
				return;
			case 'createParent':
				try {
					$id = $this->client->create_product( $call['body'] );
				} catch ( KeyCrmError $e ) {
					if ( $this->stale_category( $call['body']['category_id'] ?? null, $e->getMessage() ) ) {
						return; // Its SKUs stay in hand: planned again once the category is found again.
					}
					throw $e;
				}
				$this->state->parents[ (int) $call['parent_id'] ] = $id;
				( $this->record_parent )( (int) $call['parent_id'], $id );
				foreach ( $call['skus'] as $sku ) {
					if ( 'variable' === ( $this->items[ $sku ]['type'] ?? null ) ) {
						$this->state->patch(
							$sku,
							array(
								'product_id'   => $id,
								'product_hash' => $this->hash_of( $sku, 'product' ),
								'exists'       => 'yes',
							)
						);
					}
				}
				return;
			case 'updateProduct':
				try {
					$this->client->update_product( (int) $call['product_id'], $call['body'] );
				} catch ( KeyCrmError $e ) {
					if ( $this->stale_category( $call['body']['category_id'] ?? null, $e->getMessage() ) ) {
						return; // Its SKUs stay in hand: planned again once the category is found again.
					}
					throw $e;
				}
				foreach ( Planner::call_skus( $call ) as $sku ) {
					$this->state->patch(
						$sku,
						array(
							'product_hash' => $this->hash_of( $sku, 'product' ),
							'product_id'   => (int) $call['product_id'],
						)
					);
				}
				return;
			case 'categories':
				$this->categories( $call['paths'] );
		}
	}

	/**
	 * Whether keyCRM rejected a category id this run did not see in keyCRM's category list (one
	 * remembered from an earlier run, since deleted in keyCRM): it is marked stale so its paths
	 * are found (or created) again, and the rows that carried it stay in hand instead of failing.
	 *
	 * @param mixed  $id      The category id sent (null: none).
	 * @param string $message keyCRM's rejection.
	 */
	private function stale_category( $id, string $message ): bool {
		if ( null === $id || 1 !== preg_match( '/category[_ ]id/i', $message ) ) {
			return false;
		}
		if ( null !== $this->state->category_tree && in_array( (int) $id, $this->state->category_tree, true ) ) {
			return false;
		}
		$this->state->stale_categories[ (int) $id ] = true;
		$this->state->categories                    = array_filter( $this->state->categories, static fn( $known ) => (int) $id !== $known );
		return true;
	}

	/**
	 * Finds or creates category paths (keyCRM's tree is read once per run, parents are created
	 * first), records their ids in the run state and remembers them on the WooCommerce categories.
	 *
	 * @param list<list<array{term_id:int, name:string}>> $paths Paths, root first.
	 */
	private function categories( array $paths ): void {
		$this->state->category_tree ??= $this->client->category_tree();
		foreach ( $paths as $path ) {
			$parent = null;
			$names  = array();
			foreach ( $path as $level ) {
				$name = trim( (string) $level['name'] );
				$key  = Client::category_key( $parent, $name );
				$id   = $this->state->category_tree[ $key ] ?? null;
				if ( null === $id ) {
					$id                                 = $this->client->create_category( $name, $parent );
					$this->state->category_tree[ $key ] = $id;
				}
				$names[] = (string) $level['name'];
				$this->state->categories[ CategoryPlan::key( $names ) ] = $id;
				if ( (int) $level['term_id'] > 0 ) {
					( $this->remember_category )( (int) $level['term_id'], $id, (string) $level['name'], $parent );
				}
				$parent = $id;
			}
		}
	}

	/**
	 * Current hash of a claimed SKU's offer or product data.
	 *
	 * @param string $sku  SKU.
	 * @param string $kind offer|product.
	 */
	private function hash_of( string $sku, string $kind ): ?string {
		$item = $this->items[ $sku ] ?? null;
		if ( null === $item ) {
			return null;
		}
		return 'offer' === $kind ? Desired::offer_hash( $item, $this->settings ) : Desired::product_hash( $item, $this->settings );
	}

	/**
	 * Sends rows, isolating rejected ones.
	 *
	 * @param list<mixed> $rows  Rows.
	 * @param string      $field Array field of the body.
	 * @param callable    $send  Sends a subset (one request).
	 * @return array{ok:list<mixed>, rejected:list<array{row:mixed, message:string}>, unknown:list<mixed>, failed:list<mixed>, error:KeyCrmError|null}
	 */
	private function bulk( array $rows, string $field, callable $send ): array {
		$r = array(
			'ok'       => array(),
			'rejected' => array(),
			'unknown'  => array(),
			'failed'   => array(),
			'error'    => null,
		);
		$this->bulk_into( $rows, $field, $send, $r );
		return $r;
	}

	/**
	 * Recursive step of bulk().
	 *
	 * @param list<mixed>          $rows  Rows.
	 * @param string               $field Array field.
	 * @param callable             $send  Sender.
	 * @param array<string, mixed> $r     Result.
	 * @throws KeyCrmError Auth, rate and budget errors.
	 */
	private function bulk_into( array $rows, string $field, callable $send, array &$r ): void {
		if ( array() === $rows ) {
			return;
		}
		try {
			$send( $rows );
			array_push( $r['ok'], ...$rows );
		} catch ( KeyCrmError $e ) {
			if ( in_array( $e->kind, array( 'auth', 'rate', 'budget' ), true ) ) {
				// Rows already sent keep their result; the rest waits for the next run.
				if ( array() !== $r['ok'] || array() !== $r['rejected'] ) {
					array_push( $r['failed'], ...$rows );
					$r['error'] = $e;
					return;
				}
				throw $e;
			}
			if ( 'unknown' === $e->kind ) {
				array_push( $r['unknown'], ...$rows );
				$r['error'] = $e;
				return;
			}
			if ( 'validation' !== $e->kind ) {
				array_push( $r['failed'], ...$rows );
				$r['error'] = $e;
				return;
			}
			$named = array_values( array_filter( $e->row_indexes( $field ), static fn( $i ) => $i < count( $rows ) ) );
			if ( array() !== $named ) {
				foreach ( $named as $i ) {
					$r['rejected'][] = array(
						'row'     => $rows[ $i ],
						'message' => $e->row_message( $field, $i ),
					);
				}
				$this->bulk_into( array_values( array_diff_key( $rows, array_flip( $named ) ) ), $field, $send, $r );
			} elseif ( 1 === count( $rows ) ) {
				$r['rejected'][] = array(
					'row'     => $rows[0],
					'message' => $e->row_message( $field, 0 ),
				);
			} else {
				$mid = (int) ceil( count( $rows ) / 2 );
				$this->bulk_into( array_slice( $rows, 0, $mid ), $field, $send, $r );
				$this->bulk_into( array_slice( $rows, $mid ), $field, $send, $r );
			}
		}
	}

	/**
	 * Moves a bulk result's rejected / failed rows into the outcome.
	 *
	 * @param array<string, mixed> $r   Bulk result.
	 * @param callable             $sku SKU of a row.
	 * @param array<string, mixed> $out Outcome.
	 */
	private function collect( array $r, callable $sku, array &$out ): void {
		foreach ( $r['rejected'] as $x ) {
			$out['failed'][] = array(
				'sku'     => $sku( $x['row'] ),
				'code'    => 'keycrm_rejected',
				'message' => $x['message'],
			);
		}
		foreach ( $r['failed'] as $row ) {
			$out['retry'][] = $r['error'] instanceof KeyCrmError ? self::failure( $sku( $row ), $r['error'] ) : array(
				'sku'     => $sku( $row ),
				'code'    => 'sender_error',
				'message' => 'failed',
			);
		}
	}

	/**
	 * Creates rows (import or variations); unknown outcomes are looked up before anything else.
	 *
	 * @param array<string, mixed> $out        Outcome.
	 * @param list<string>         $skus       SKUs by row index.
	 * @param string               $field      Array field.
	 * @param callable             $send       Sends rows by index.
	 * @param int|null             $product_id keyCRM product of the variations (null for imports).
	 * @param callable|null        $kept       Whether a rejected row (index, message) stays in hand instead of failing.
	 */
	private function create_rows( array &$out, array $skus, string $field, callable $send, ?int $product_id, ?callable $kept = null ): void {
		$r = $this->bulk( array_keys( $skus ), $field, $send );
		if ( null !== $kept ) {
			$r['rejected'] = array_values( array_filter( $r['rejected'], static fn( $x ) => ! $kept( $x['row'], (string) $x['message'] ) ) );
		}
		$created = function ( string $sku, array $ids ): void {
			$this->state->patch(
				$sku,
				array(
					'exists'       => 'yes',
					'created'      => true,
					'offer_hash'   => $this->hash_of( $sku, 'offer' ),
					'product_hash' => $this->hash_of( $sku, 'product' ),
				) + $ids
			);
		};
		foreach ( $r['ok'] as $i ) {
			$created( $skus[ $i ], null === $product_id ? array() : array( 'product_id' => $product_id ) );
		}
		$this->collect( $r, static fn( $i ) => $skus[ $i ], $out );
		if ( array() !== $r['unknown'] ) {
			$unknown = array_map( static fn( $i ) => $skus[ $i ], $r['unknown'] );
			foreach ( $unknown as $sku ) {
				$this->state->patch( $sku, array( 'exists' => 'unknown' ) );
			}
			// Never create again blindly: learn what keyCRM holds first.
			$found = $this->lookup( $unknown );
			foreach ( $found as $sku => $offer ) {
				$created(
					$sku,
					array(
						'offer_id'   => (int) $offer['id'],
						'product_id' => (int) $offer['product_id'],
					)
				);
			}
		}
	}

	/**
	 * Looks SKUs up and records ids / absence.
	 *
	 * @param list<string> $skus SKUs.
	 * @return array<string, array<string, mixed>> SKU => first offer found.
	 */
	private function lookup( array $skus ): array {
		$found = $this->client->find_offers_by_sku( $skus );
		$out   = array();
		foreach ( $skus as $sku ) {
			$offer = $found[ $sku ][0] ?? null;
			if ( null === $offer ) {
				$this->state->patch( $sku, array( 'exists' => 'no' ) );
				continue;
			}
			$this->state->patch(
				$sku,
				array(
					'exists'     => 'yes',
					'offer_id'   => (int) $offer['id'],
					'product_id' => (int) ( $offer['product_id'] ?? 0 ),
				)
			);
			$item = $this->items[ $sku ] ?? null;
			if ( null !== $item && 'variation' === $item['type'] && null !== $item['parent_id'] ) {
				$this->state->parents[ (int) $item['parent_id'] ] = (int) ( $offer['product_id'] ?? 0 );
			}
			$out[ $sku ] = $offer;
		}
		return $out;
	}
}
