<?php
/**
 * WP-CLI: wp keycrm-sync sync.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Cli;

use KeyCrmSync\Outbox\OutboxQueue;
use KeyCrmSync\Runner\Runner;

/**
 * Runs the runner inside WordPress now, run after run, until the outbox is empty or a limit.
 */
final class RunnerCommand {

	/**
	 * Constructor.
	 *
	 * @param Runner      $runner The runner.
	 * @param OutboxQueue $queue  Backlog counts.
	 * @param Output      $out    Where to write.
	 */
	public function __construct( private Runner $runner, private OutboxQueue $queue, private Output $out ) {
	}

	/**
	 * Sends what waits in the outbox to keyCRM now, inside WordPress (no Node.js needed).
	 *
	 * Waits for keyCRM's rate limit between runs (this is a command line, not a web request).
	 * Stands by, with exit code 1, while a Node sender is online or the settings are incomplete.
	 *
	 * ## OPTIONS
	 *
	 * [--limit=<n>]
	 * : Stop after this many SKUs were claimed (default: until nothing waits).
	 *
	 * [--format=<format>]
	 * : table prints a sentence per run; json prints the totals.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp keycrm-sync sync
	 *     wp keycrm-sync sync --limit=500 --format=json
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options.
	 */
	public function sync( array $args, array $assoc_args ): void {
		$limit  = isset( $assoc_args['limit'] ) ? (int) $assoc_args['limit'] : 0;
		$json   = 'json' === ( $assoc_args['format'] ?? 'table' );
		$totals = array(
			'runs'     => 0,
			'claimed'  => 0,
			'synced'   => 0,
			'failed'   => 0,
			'retry'    => 0,
			'requests' => 0,
			'backlog'  => 0,
			'stopped'  => 'empty',
		);
		if ( isset( $assoc_args['limit'] ) && $limit < 1 ) {
			$this->out->fail( '--limit must be a positive number.' );
			return;
		}
		for ( $i = 0; $i < 100000; $i++ ) {
			$batch  = $limit > 0 ? min( 2000, $limit - $totals['claimed'] ) : 2000;
			$result = $this->runner->run( null, max( 1, $batch ) );
			++$totals['runs'];
			foreach ( array( 'claimed', 'synced', 'failed', 'retry', 'requests' ) as $k ) {
				$totals[ $k ] += (int) $result[ $k ];
			}
			$totals['stopped'] = $result['stopped'];
			if ( ! $json && $result['claimed'] > 0 ) {
				$this->out->line( sprintf( 'Run %d: %d SKUs claimed, %d synced, %d failed, %d to retry, %d keyCRM requests.', $totals['runs'], $result['claimed'], $result['synced'], $result['failed'], $result['retry'], $result['requests'] ) );
			}
			if ( in_array( $result['stopped'], array( 'standby', 'auth', 'storage', 'error' ), true ) || ( $limit > 0 && $totals['claimed'] >= $limit ) ) {
				break;
			}
			if ( 'empty' === $result['stopped'] && ( 0 === $result['claimed'] || 0 === $this->queue->backlog() ) ) {
				break;
			}
			if ( 'empty' === $result['stopped'] && null !== $result['next_at'] && $result['next_at'] > microtime( true ) + 1 ) {
				break; // Only rows backing off are left.
			}
			$wait = null === $result['next_at'] ? 0 : $result['next_at'] - microtime( true );
			if ( $wait > 0 ) {
				usleep( (int) min( 120e6, $wait * 1e6 ) );
			}
		}
		$totals['backlog'] = $this->queue->backlog();
		if ( $json ) {
			$this->out->line( (string) wp_json_encode( $totals ) );
		}
		if ( 'standby' === $totals['stopped'] ) {
			$this->out->fail( 'The runner inside WordPress stands by: a Node sender is online, or the API key or warehouse is not set (see wp keycrm-sync status).' );
			return;
		}
		if ( 'auth' === $totals['stopped'] ) {
			$this->out->fail( 'keyCRM refused the API key (401): set it again in the settings.' );
			return;
		}
		if ( 'storage' === $totals['stopped'] || 'error' === $totals['stopped'] ) {
			$this->out->fail( 'The run failed: ' . (string) $result['error'] );
			return;
		}
		if ( ! $json ) {
			$this->out->success( sprintf( '%d SKUs synced, %d failed, %d to retry, in %d keyCRM requests; %d waiting.', $totals['synced'], $totals['failed'], $totals['retry'], $totals['requests'], $totals['backlog'] ) );
		}
	}
}
