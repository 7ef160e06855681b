<?php
/**
 * WP-CLI: wp keycrm-sync status|resync|retry|problems|doctor.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Cli;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Outbox\OutboxReader;
use KeyCrmSync\Outbox\Resync;
use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Status\StatusReport;

/**
 * Sync status, resync, retries, SKU problems and a health check of keyCRM Sync for WooCommerce.
 *
 * Output is English, like WP-CLI's own commands. Exit codes: 0 done (doctor: nothing failed),
 * 1 an error (doctor: at least one check failed).
 *
 * ## EXAMPLES
 *
 *     wp keycrm-sync status --format=json
 *     wp keycrm-sync resync
 *     wp keycrm-sync retry --all
 *     wp keycrm-sync problems --format=csv > sku-problems.csv
 *     wp keycrm-sync doctor
 */
final class SyncCommand {

	/** Formats the list commands accept (WP-CLI's format_items). */
	private const FORMATS = array( 'table', 'json', 'csv', 'yaml', 'count' );

	/**
	 * Takes the services it drives and where to write.
	 *
	 * @param StatusReport  $status   Status report.
	 * @param Resync        $resync   Resync all.
	 * @param OutboxReader  $reader   Outbox reads and retries.
	 * @param ProblemFinder $problems SKU problems.
	 * @param Settings      $settings Settings.
	 * @param Output        $out      Where to write.
	 */
	public function __construct( private StatusReport $status, private Resync $resync, private OutboxReader $reader, private ProblemFinder $problems, private Settings $settings, private Output $out ) {
	}

	/**
	 * Shows the sync status: SKUs per state, what waits, resync progress, the sender, problems.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : table (one field a row), json (the whole report, as GET /wp-json/keycrm-sync/v1/status), csv or yaml.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options.
	 */
	public function status( array $args, array $assoc_args ): void {
		$format = $this->format( $assoc_args );
		if ( null === $format ) {
			return;
		}
		$report = $this->status->build();
		if ( 'json' === $format ) {
			$this->out->line( (string) wp_json_encode( $report ) );
			return;
		}
		$rows = array();
		foreach ( $this->flatten( $report ) as $field => $value ) {
			$rows[] = array(
				'field' => $field,
				'value' => $value,
			);
		}
		$this->out->items( $format, $rows, array( 'field', 'value' ) );
	}

	/**
	 * Queues every SKU of the shop to be sent to keyCRM again (stock, prices and product data).
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : table prints a sentence; json prints {marked, created, started_at}.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 * ---
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options.
	 */
	public function resync( array $args, array $assoc_args ): void {
		try {
			$result = $this->resync->run();
		} catch ( StorageFailed $e ) {
			$this->out->fail( 'The database refused the resync: ' . $e->getMessage() );
			return;
		}
		if ( 'json' === ( $assoc_args['format'] ?? 'table' ) ) {
			$this->out->line( (string) wp_json_encode( $result ) );
			return;
		}
		$this->out->success( sprintf( 'Queued %d SKUs for a full resync (%d new to the outbox).', $result['marked'], $result['created'] ) );
	}

	/**
	 * Makes failed and dead SKUs due again, with fresh attempts.
	 *
	 * ## OPTIONS
	 *
	 * [<sku>...]
	 * : The SKUs to retry.
	 *
	 * [--all]
	 * : Retry every failed and dead SKU.
	 *
	 * @param list<string>          $args       SKUs.
	 * @param array<string, string> $assoc_args Options.
	 */
	public function retry( array $args, array $assoc_args ): void {
		$all   = ! empty( $assoc_args['all'] );
		$named = array() !== $args;
		if ( $all === $named ) {
			$this->out->fail( 'Name the SKUs to retry, or pass --all (not both).' );
			return;
		}
		$count = $this->reader->retry( $all ? null : array_map( 'strval', $args ) );
		$this->out->success( sprintf( '%d SKUs are due again.', $count ) );
	}

	/**
	 * Lists the products that cannot be synced, with the reason (no SKU, a duplicate SKU, an unusable SKU).
	 *
	 * ## OPTIONS
	 *
	 * [--page=<page>]
	 * : Page of the list.
	 * ---
	 * default: 1
	 * ---
	 *
	 * [--per-page=<n>]
	 * : Problems per page (at most 1000).
	 * ---
	 * default: 100
	 * ---
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 *   - count
	 * ---
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options.
	 */
	public function problems( array $args, array $assoc_args ): void {
		$format   = $this->format( $assoc_args );
		$page     = (int) ( $assoc_args['page'] ?? 1 );
		$per_page = (int) ( $assoc_args['per-page'] ?? 100 );
		if ( null === $format ) {
			return;
		}
		if ( $page < 1 || $per_page < 1 || $per_page > 1000 ) {
			$this->out->fail( '--page must be 1 or more and --per-page from 1 to 1000.' );
			return;
		}
		$result = $this->problems->page( $page, $per_page );
		$fields = array( 'kind', 'sku', 'product_id', 'parent_id', 'product_name', 'detail' );
		$this->out->items( $format, $result['problems'], $fields );
		if ( 'table' === $format && $result['total'] > $page * $per_page ) {
			$this->out->line( sprintf( '%d problems in all; next: --page=%d', $result['total'], $page + 1 ) );
		}
	}

	/**
	 * Checks what the sync needs: WooCommerce, settings, the keyCRM key, a runner, WP-Cron, SKUs.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - csv
	 *   - yaml
	 * ---
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options.
	 */
	public function doctor( array $args, array $assoc_args ): void {
		$format = $this->format( $assoc_args );
		if ( null === $format ) {
			return;
		}
		$checks = ( new Doctor( $this->status, $this->settings ) )->checks();
		$this->out->items( $format, $checks, array( 'check', 'status', 'message' ) );
		$failed = count( array_filter( $checks, fn( $c ) => 'error' === $c['status'] ) );
		if ( $failed > 0 ) {
			$this->out->fail( sprintf( '%d of %d checks failed.', $failed, count( $checks ) ) );
		}
	}

	/**
	 * The --format option, or null after a failure for an unknown one.
	 *
	 * @param array<string, string> $assoc_args Options.
	 */
	private function format( array $assoc_args ): ?string {
		$format = (string) ( $assoc_args['format'] ?? 'table' );
		if ( ! in_array( $format, self::FORMATS, true ) ) {
			$this->out->fail( sprintf( 'Unknown --format=%s (use %s).', $format, implode( ', ', self::FORMATS ) ) );
			return null;
		}
		return $format;
	}

	/**
	 * A nested report as dotted fields: counts.pending => 3.
	 *
	 * @param array<string, mixed> $data   Report.
	 * @param string               $prefix Prefix of the keys.
	 * @return array<string, string>
	 */
	private function flatten( array $data, string $prefix = '' ): array {
		$out = array();
		foreach ( $data as $key => $value ) {
			if ( is_array( $value ) ) {
				$out += $this->flatten( $value, $prefix . $key . '.' );
			} elseif ( is_bool( $value ) ) {
				$out[ $prefix . $key ] = $value ? 'yes' : 'no';
			} else {
				$out[ $prefix . $key ] = null === $value ? '' : (string) $value;
			}
		}
		return $out;
	}
}
