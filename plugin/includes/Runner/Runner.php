<?php
/**
 * The sync runner inside WordPress: drains the outbox into keyCRM from an Action Scheduler action.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\KeyCrm\Client;
use KeyCrmSync\KeyCrm\KeyCrmError;
use KeyCrmSync\KeyCrm\RateBudget;
use KeyCrmSync\Outbox\OutboxQueue;
use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Settings\Heartbeat;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Snapshot\CategoryPath;
use KeyCrmSync\Snapshot\ItemSnapshot;

/**
 * One run = one PHP request's worth of work: claim leased SKUs from the outbox exactly as the Node
 * sender does (live changes first), plan and send the fewest keyCRM calls, re-plan until nothing is
 * left or the time budget ends, acknowledge every SKU (synced, failed, retry, or released untried),
 * and tell the caller when the next run is due. A MySQL named lock keeps runs from overlapping (a
 * variable product must never be created twice by two runs at once); it dies with the connection.
 */
final class Runner {

	/** Status option (not autoloaded). */
	public const STATUS_OPTION = 'keycrm_sync_runner';

	/** Census option (not autoloaded): the SKUs keyCRM held when it was last read whole. */
	public const CENSUS_OPTION = 'keycrm_sync_census';

	/** A census older than this is not trusted (seconds). */
	private const CENSUS_TTL = 600;

	/** Stock rows of SKUs created in this run that are worth a request of their own. */
	private const CREATED_FLUSH_ROWS = 2000;

	/** Pages a census may read in one run. */
	private const CENSUS_PAGES = 10;

	/**
	 * Constructor.
	 *
	 * @param OutboxQueue  $queue     Claim/ack.
	 * @param ItemSnapshot $snapshots Values at claim time.
	 * @param Settings     $settings  Settings.
	 * @param Heartbeat    $heartbeat The Node sender's heartbeat.
	 */
	public function __construct( private OutboxQueue $queue, private ItemSnapshot $snapshots, private Settings $settings, private Heartbeat $heartbeat ) {
	}

	/**
	 * A keyCRM client with the settings' key and the shared rate budget.
	 */
	public function client(): Client {
		return new Client( (string) $this->settings->get( 'api_key' ), $this->rate_budget() );
	}

	/**
	 * The shared rate budget at the settings' rate.
	 */
	public function rate_budget(): RateBudget {
		return new RateBudget( (int) $this->settings->get( 'rate_per_minute' ) );
	}

	/**
	 * Seconds one run may work: min(20, 2/3 of max_execution_time).
	 */
	public static function time_budget(): float {
		$max = (int) ini_get( 'max_execution_time' );
		return $max > 0 ? min( 20.0, $max * 2 / 3 ) : 20.0;
	}

	/**
	 * One run.
	 *
	 * @param float $budget Seconds of work (default: time_budget()).
	 * @param int   $limit  SKUs per claim.
	 * @return array<string, mixed> Counts, requests, why it stopped (`stopped`) and when the next run is due (`next_at`, Unix s, null: nothing waits).
	 */
	public function run( ?float $budget = null, int $limit = 2000 ): array {
		$started = microtime( true );
		$budget  = $budget ?? self::time_budget();
		$result  = array(
			'claimed'  => 0,
			'synced'   => 0,
			'failed'   => 0,
			'retry'    => 0,
			'released' => 0,
			'requests' => 0,
			'by_route' => array(),
			'stopped'  => 'empty',
			'error'    => null,
			'next_at'  => null,
		);
		$mode    = ( new RunnerMode( $this->settings, $this->heartbeat ) )->mode();
		if ( 'wordpress' !== $mode['runner'] ) { // phpcs:ignore WordPress.WP.CapitalPDangit -- the runner's name in the REST contract.
			$result['stopped'] = 'standby';
			return $result;
		}
		if ( ! self::lock() ) {
			$result['stopped'] = 'locked';
			$result['next_at'] = microtime( true ) + 30;
			return $result;
		}
		$sender     = $this->settings->sender();
		$budget_obj = new RateBudget( (int) $sender['rate_per_minute'] );
		$client     = new Client( (string) $sender['api_key'], $budget_obj );
		$state      = new RunState();
		$this->load_census( $state );
		try {
			$deadline = $started + $budget;
			\KeyCrmSync\Outbox\NeedsResync::act( new \KeyCrmSync\Outbox\Resync() );
			$batches = 0;
			while ( microtime( true ) < $deadline - 1 && 'empty' === $result['stopped'] ) {
				// A Node sender that came online during this run sends from now on: no new claim.
				if ( $batches++ > 0 && $this->sender_online() ) {
					$result['stopped'] = 'standby';
					break;
				}
				$claim = $this->queue->claim( $limit, (int) ceil( $budget ) + 120 );
				if ( null === $claim['token'] ) {
					break;
				}
				$result['claimed'] += count( $claim['rows'] );
				$released           = $result['released'];
				$this->process( $claim, $sender, $client, $state, $deadline, $result );
				if ( $result['released'] > $released && 'empty' === $result['stopped'] ) {
					$result['stopped'] = 'time'; // Work left that this run could not plan: continue in the next.
				}
			}
		} catch ( StorageFailed $e ) {
			$result['stopped'] = 'storage';
			$result['error']   = $e->getMessage();
		} catch ( \Throwable $e ) {
			// Claimed SKUs were handed back (process()); the Overview shows why nothing moves.
			$result['stopped'] = 'error';
			$result['error']   = get_class( $e ) . ': ' . $e->getMessage();
		} finally {
			self::unlock();
		}
		$result['requests'] = $client->total();
		$result['by_route'] = $client->by_route();
		$result['next_at']  = $this->next_due( $result, $budget_obj );
		$result['seconds']  = round( microtime( true ) - $started, 3 );
		$this->record( $result, $result['seconds'] );
		return $result;
	}

	/**
	 * Sends one claim's SKUs and acknowledges every one of them.
	 *
	 * @param array<string, mixed> $claim    Claim (token, rows).
	 * @param array<string, mixed> $settings Sender settings.
	 * @param Client               $client   keyCRM client.
	 * @param RunState             $state    Run state.
	 * @param float                $deadline Unix time to stop sending.
	 * @param array<string, mixed> $result   Run result.
	 * @throws StorageFailed On a database error.
	 */
	private function process( array $claim, array $settings, Client $client, RunState $state, float $deadline, array &$result ): void {
		$items       = array();
		$unencodable = array();
		foreach ( $this->snapshots->for_rows( $claim['rows'] ) as $item ) {
			$failure = ItemSnapshot::unencodable( $item );
			if ( null === $failure ) {
				$items[ (string) $item['sku'] ] = $item;
			} else {
				$unencodable[] = $failure; // INF/NaN: this SKU's error; the rest is sent.
			}
		}
		if ( array() !== $unencodable ) {
			$this->queue->ack( (string) $claim['token'], $unencodable, (int) $settings['max_attempts'] );
			$result['failed'] += count( $unencodable );
		}
		$acks   = array();
		$settle = function ( string $sku, string $outcome, ?array $failure = null ) use ( &$items, &$acks, &$result, $state ): void {
			if ( ! isset( $items[ $sku ] ) ) {
				return;
			}
			$acks[] = self::ack_result( $items[ $sku ], $state, $outcome, $failure );
			$key    = 'retry' === $outcome && 'released' === ( $failure['code'] ?? '' ) ? 'released' : $outcome;
			++$result[ $key ];
			unset( $items[ $sku ], $state->skus[ $sku ] );
		};
		$record = function ( int $parent_id, int $product_id ) use ( &$items ): void {
			// The keyCRM id of a new variable product is stored before its variations are added:
			// on the product itself (a parent without a SKU has no row) and on a row of the family.
			$sku = '';
			foreach ( $items as $item ) {
				if ( ( 'variable' === $item['type'] && (int) $item['product_id'] === $parent_id ) || ( 'variation' === $item['type'] && (int) $item['parent_id'] === $parent_id ) ) {
					$sku = (string) $item['sku'];
					break;
				}
			}
			$this->queue->ack(
				'ids-only',
				array(
					array(
						'sku'               => $sku,
						'keycrm_product_id' => $product_id,
						'parent_id'         => $parent_id,
					),
				),
				1
			);
		};
		try {
			$this->census( $items, $client, $state );
			for ( $round = 0; $round < 50 && array() !== $items; $round++ ) {
				$plan = Planner::plan( $items, $settings, $state );
				foreach ( $plan['done'] as $sku ) {
					$settle( $sku, 'synced' );
				}
				foreach ( $plan['blocked'] as $b ) {
					$settle( $b['sku'], 'failed', $b );
				}
				foreach ( $plan['not_sent'] as $n ) {
					$settle( $n['sku'], 'synced', $n ); // Kept out of keyCRM by the settings: done, with the reason.
				}
				if ( array() === $plan['calls'] ) {
					break;
				}
				$executor = new Executor( $client, $state, $items, $settings, $record, array( CategoryPath::class, 'remember' ) );
				$creating = array() !== array_filter( $plan['calls'], static fn( $c ) => 'stocks' !== $c['kind'] && 'offers' !== $c['kind'] );
				foreach ( $plan['calls'] as $call ) {
					if ( $creating && self::waits_for_creations( $call, $state, $deadline ) ) {
						continue; // Sent with the stock of the SKUs still being created, in a later round.
					}
					$left = $deadline - microtime( true );
					if ( $left < 1 ) {
						$result['stopped'] = 'time';
						break 2;
					}
					$client->set_max_wait( min( 5000, ( $left - 1 ) * 1000 ) );
					$out = $executor->execute( $call );
					foreach ( $out['failed'] as $f ) {
						$settle( $f['sku'], 'failed', $f );
					}
					foreach ( $out['retry'] as $f ) {
						$settle( $f['sku'], 'retry', $f );
					}
				}
			}
		} catch ( KeyCrmError $e ) {
			$result['stopped'] = 'auth' === $e->kind ? 'auth' : ( 'budget' === $e->kind ? 'time' : 'rate' );
			$result['error']   = 'budget' === $e->kind ? null : $e->getMessage();
			if ( 'auth' === $e->kind ) {
				foreach ( array_keys( $items ) as $sku ) {
					$settle( $sku, 'retry', Executor::failure( $sku, $e ) );
				}
			}
		} finally {
			foreach ( $items as $sku => $item ) {
				$settle( (string) $sku, 'retry', $this->release_of( $item, $state ) );
			}
			if ( array() !== $acks ) {
				$this->queue->ack( (string) $claim['token'], $acks, (int) $this->settings->get( 'max_attempts' ) );
			}
		}
	}

	/**
	 * Whether a stock call waits for the creations planned beside it: its rows are all SKUs this
	 * run created (keyCRM never sold them, nothing is urgent), fewer than fill a request worth
	 * sending, and the run has time left, so one stock request covers every SKU created (as the
	 * Node sender's schedule does: src/sender/schedule.ts).
	 *
	 * @param array<string, mixed> $call     Planned call.
	 * @param RunState             $state    Run state.
	 * @param float                $deadline Unix time to stop sending.
	 */
	private static function waits_for_creations( array $call, RunState $state, float $deadline ): bool {
		if ( 'stocks' !== $call['kind'] || count( $call['rows'] ) >= self::CREATED_FLUSH_ROWS || $deadline - microtime( true ) < 3 ) {
			return false;
		}
		foreach ( $call['rows'] as $row ) {
			if ( true !== $state->get( (string) $row['sku'], 'created' )[1] ) {
				return false;
			}
		}
		return true;
	}

	/**
	 * How a SKU still in hand is handed back: `released` (no attempt) unless a create of it may
	 * have landed and this run did not settle that, which must stay in doubt (an attempt).
	 *
	 * @param array<string, mixed> $item  Claimed item.
	 * @param RunState             $state Run state.
	 * @return array{code:string, message:string}
	 */
	private function release_of( array $item, RunState $state ): array {
		list( , $exists ) = $state->get( (string) $item['sku'], 'exists' );
		if ( 'unknown' === $exists || ( Planner::in_doubt( $item ) && 'yes' !== $exists && 'no' !== $exists ) ) {
			return array(
				'code'    => 'stopped_unresolved',
				'message' => 'The run stopped before learning whether keyCRM holds this SKU.',
			);
		}
		return array(
			'code'    => 'released',
			'message' => 'Not sent in this run.',
		);
	}

	/**
	 * The ack result of one SKU (the PHP twin of ackResult in src/sender/acks.ts).
	 *
	 * @param array<string, mixed>                   $item    Claimed item.
	 * @param RunState                               $state   Run state.
	 * @param string                                 $outcome synced|failed|retry.
	 * @param array{code:string, message:string}|null $failure Error details.
	 * @return array<string, mixed>
	 */
	private static function ack_result( array $item, RunState $state, string $outcome, ?array $failure ): array {
		$sku                       = (string) $item['sku'];
		$parent                    = 'variable' === $item['type'] ? $item['product_id'] : $item['parent_id'];
		list( $has_pid, $pid )     = $state->get( $sku, 'product_id' );
		list( $has_oid, $oid )     = $state->get( $sku, 'offer_id' );
		list( $has_stock, $stk )   = $state->get( $sku, 'pushed_stock' );
		list( $has_offer, $ohash ) = $state->get( $sku, 'offer_hash' );
		list( $has_prod, $phash )  = $state->get( $sku, 'product_hash' );
		$product_id                = ( $has_pid ? $pid : null ) ?? $item['keycrm_product_id'] ?? ( null !== $parent ? ( $state->parents[ (int) $parent ] ?? null ) : null );
		$result                    = array(
			'sku'                 => $sku,
			'version'             => (int) $item['version'],
			'outcome'             => $outcome,
			'keycrm_product_id'   => $product_id,
			'keycrm_offer_id'     => $has_oid ? $oid : $item['keycrm_offer_id'],
			'pushed_stock'        => $has_stock ? $stk : $item['pushed_stock'],
			'pushed_offer_hash'   => $has_offer ? $ohash : $item['pushed_offer_hash'],
			'pushed_product_hash' => $has_prod ? $phash : $item['pushed_product_hash'],
		);
		if ( null !== $failure ) {
			$result['code']  = substr( (string) $failure['code'], 0, 100 );
			$result['error'] = substr( (string) $failure['message'], 0, 2000 );
		}
		return $result;
	}

	/**
	 * The offer census: when many claimed SKUs are unknown and none shows an earlier sync, one
	 * page of GET /offers tells keyCRM's size; a small keyCRM is read whole (≤ 10 pages) and every
	 * SKU it does not hold is known new without lookups. Kept for 10 minutes across runs (SKUs the
	 * runners create meanwhile are known from the outbox).
	 *
	 * @param array<string, array<string, mixed>> $items  Items in hand.
	 * @param Client                              $client keyCRM client.
	 * @param RunState                            $state  Run state.
	 */
	private function census( array $items, Client $client, RunState $state ): void {
		if ( null !== $state->census ) {
			return;
		}
		$unknown = 0;
		foreach ( $items as $item ) {
			if ( null !== $item['keycrm_offer_id'] || null !== $item['pushed_offer_hash'] || null !== $item['pushed_stock'] || null !== $item['keycrm_product_id'] ) {
				return; // keyCRM already holds SKUs of this shop: look SKUs up.
			}
			$unknown += 'unknown' === Planner::existence( $item, $state ) ? 1 : 0;
		}
		if ( $unknown < Client::PAGE_SIZE ) {
			return;
		}
		$first   = $client->list_offers(
			array(
				'limit' => Client::PAGE_SIZE,
				'page'  => 1,
			)
		);
		$pages   = $first['last_page'];
		$backlog = $this->queue->backlog();
		if ( $pages > self::CENSUS_PAGES || $pages > (int) ceil( ( $unknown + $backlog ) / Client::PAGE_SIZE ) ) {
			return;
		}
		$census = array();
		$data   = $first['data'];
		for ( $page = 1; ; ) {
			foreach ( $data as $offer ) {
				if ( isset( $offer['sku'] ) && '' !== (string) $offer['sku'] && ! isset( $census[ (string) $offer['sku'] ] ) ) {
					$census[ (string) $offer['sku'] ] = array( (int) $offer['id'], (int) ( $offer['product_id'] ?? 0 ) );
				}
			}
			if ( ++$page > $pages || array() === $data ) {
				break;
			}
			$data = $client->list_offers(
				array(
					'limit' => Client::PAGE_SIZE,
					'page'  => $page,
				)
			)['data'];
		}
		$state->census = $census;
		update_option(
			self::CENSUS_OPTION,
			array(
				'at'   => time(),
				'skus' => $census,
			),
			false
		);
	}

	/**
	 * A recent census, when one is stored.
	 *
	 * @param RunState $state Run state.
	 */
	private function load_census( RunState $state ): void {
		$stored = get_option( self::CENSUS_OPTION );
		if ( is_array( $stored ) && isset( $stored['at'], $stored['skus'] ) && time() - (int) $stored['at'] < self::CENSUS_TTL ) {
			$state->census = (array) $stored['skus'];
		}
	}

	/**
	 * When the next run is due (Unix s), or null when nothing waits.
	 *
	 * @param array<string, mixed> $result Run result.
	 * @param RateBudget           $budget Rate budget.
	 */
	private function next_due( array $result, RateBudget $budget ): ?float {
		if ( 'auth' === $result['stopped'] || 'error' === $result['stopped'] || 'storage' === $result['stopped'] ) {
			return microtime( true ) + 300;
		}
		if ( 'rate' === $result['stopped'] || 'time' === $result['stopped'] ) {
			return max( microtime( true ), $budget->next_at() );
		}
		global $wpdb;
		$table = OutboxTable::name();
		$next  = $wpdb->get_var( "SELECT MIN(GREATEST(COALESCE(next_attempt_at, '1970-01-01'), COALESCE(lease_expires_at, '1970-01-01'))) FROM {$table} WHERE state IN ('pending', 'failed') AND version > synced_version" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.DirectDatabaseQuery -- table from prefix; no user input.
		if ( null === $next ) {
			return null;
		}
		return max( microtime( true ), (float) strtotime( $next . ' UTC' ), $budget->next_at() );
	}

	/**
	 * Stores what the Overview shows about the last run.
	 *
	 * @param array<string, mixed> $result  Run result.
	 * @param float                $seconds Duration.
	 */
	private function record( array $result, float $seconds ): void {
		$prev = get_option( self::STATUS_OPTION );
		$prev = is_array( $prev ) ? $prev : array();
		update_option(
			self::STATUS_OPTION,
			array(
				'last_run_at'     => time(),
				'last_success_at' => null === $result['error'] ? time() : ( $prev['last_success_at'] ?? null ),
				'last_error'      => $result['error'] ?? null,
				'last_error_at'   => null === $result['error'] ? ( $prev['last_error_at'] ?? null ) : time(),
				'last_stopped'    => $result['stopped'],
				'last_synced'     => $result['synced'],
				'last_requests'   => $result['requests'],
				'last_seconds'    => round( $seconds, 3 ),
				'next_at'         => $result['next_at'],
			),
			false
		);
	}

	/**
	 * The last run as the status report shows it.
	 *
	 * @return array<string, mixed>|null
	 */
	public function last_run(): ?array {
		$data = get_option( self::STATUS_OPTION );
		return is_array( $data ) && isset( $data['last_run_at'] ) ? $data : null;
	}

	/**
	 * Whether a Node sender's heartbeat is online now (read from the database, not a cache).
	 */
	private function sender_online(): bool {
		wp_cache_delete( 'notoptions', 'options' );
		wp_cache_delete( Heartbeat::OPTION, 'options' );
		$status = $this->heartbeat->status();
		return null !== $status && $status['online'];
	}

	/**
	 * Whether a run holds the run lock now (in any PHP process of the site).
	 */
	public static function running(): bool {
		global $wpdb;
		return '0' === (string) $wpdb->get_var( $wpdb->prepare( 'SELECT IS_FREE_LOCK(%s)', self::lock_name() ) );
	}

	/**
	 * Takes the run lock (MySQL GET_LOCK: released when the connection ends, also on a fatal error).
	 */
	private static function lock(): bool {
		global $wpdb;
		return '1' === (string) $wpdb->get_var( $wpdb->prepare( 'SELECT GET_LOCK(%s, 0)', self::lock_name() ) );
	}

	/**
	 * Releases the run lock.
	 */
	private static function unlock(): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'SELECT RELEASE_LOCK(%s)', self::lock_name() ) );
	}

	/**
	 * Lock name, per database and table prefix.
	 */
	private static function lock_name(): string {
		global $wpdb;
		return substr( 'keycrm_sync_run_' . md5( DB_NAME . '|' . $wpdb->prefix ), 0, 64 );
	}
}
