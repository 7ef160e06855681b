<?php
/**
 * `wp keycrm-sync`: the command class on the real shop, and the real WP-CLI where one is available.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Cli;

use KeyCrmSync\Cli\Output;
use KeyCrmSync\Cli\SyncCommand;
use KeyCrmSync\Plugin;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Tests\TestCase;

/**
 * Records what a command writes; fail() ends the command like WP_CLI::error() does.
 */
final class RecordingOutput implements Output {

	/** @var list<array{0:string, 1:mixed}> What was written, in order. */
	public array $log = array();

	/** Exit code given to fail(), or null. */
	public ?int $exit = null;

	public function items( string $format, array $rows, array $fields ): void {
		$this->log[] = array(
			'items',
			array(
				'format' => $format,
				'rows'   => $rows,
				'fields' => $fields,
			),
		);
	}

	public function line( string $text ): void {
		$this->log[] = array( 'line', $text );
	}

	public function success( string $text ): void {
		$this->log[] = array( 'success', $text );
	}

	public function warning( string $text ): void {
		$this->log[] = array( 'warning', $text );
	}

	public function fail( string $text, int $code = 1 ): void {
		$this->log[] = array( 'error', $text );
		$this->exit  = $code;
	}

	/** The first entry of a kind. */
	public function first( string $kind ) {
		foreach ( $this->log as $entry ) {
			if ( $kind === $entry[0] ) {
				return $entry[1];
			}
		}
		return null;
	}
}

final class SyncCommandTest extends TestCase {

	private RecordingOutput $out;

	private SyncCommand $cli;

	protected function setUp(): void {
		parent::setUp();
		$this->out = new RecordingOutput();
		$this->cli = Plugin::instance()->cli_command( $this->out );
		$this->use_settings(
			array(
				'api_key'      => 'cli-test-key',
				'warehouse_id' => 1,
			)
		);
	}

	protected function tearDown(): void {
		remove_all_filters( 'pre_http_request' );
		parent::tearDown();
	}

	public function test_status_json_is_the_rest_status_and_counts_the_outbox(): void {
		$this->simple( self::sku( 'CLI' ) );
		$this->simple( self::sku( 'CLI' ) );
		$this->flush();

		$this->cli->status( array(), array( 'format' => 'json' ) );

		$json = json_decode( (string) $this->out->first( 'line' ), true );
		$this->assertSame( 2, $json['counts']['pending'] );
		$this->assertSame( 2, $json['dirty'] );
		$this->assertTrue( $json['settings_complete'] );
		$rest = rest_do_request( new \WP_REST_Request( 'GET', '/keycrm-sync/v1/status' ) )->get_data();
		$this->assertSame( array_keys( $rest ), array_keys( $json ) );
		$this->assertNull( $this->out->exit );
	}

	public function test_status_table_has_one_dotted_field_a_row(): void {
		$this->simple( self::sku( 'CLI' ) );
		$this->flush();

		$this->cli->status( array(), array() );

		$items = $this->out->first( 'items' );
		$this->assertSame( 'table', $items['format'] );
		$this->assertSame( array( 'field', 'value' ), $items['fields'] );
		$values = array_column( $items['rows'], 'value', 'field' );
		$this->assertSame( '1', $values['counts.pending'] );
		$this->assertSame( 'yes', $values['settings_complete'] );
	}

	public function test_unknown_format_fails_with_exit_code_1(): void {
		$this->cli->status( array(), array( 'format' => 'xml' ) );
		$this->assertSame( 1, $this->out->exit );
		$this->assertStringContainsString( 'Unknown --format=xml', (string) $this->out->first( 'error' ) );
		$this->assertNull( $this->out->first( 'items' ) );
	}

	public function test_resync_queues_every_sku(): void {
		$a = self::sku( 'CLI' );
		$b = self::sku( 'CLI' );
		$this->simple( $a );
		$this->simple( $b );
		$this->flush();
		global $wpdb;
		$wpdb->query( 'UPDATE ' . \KeyCrmSync\Outbox\OutboxTable::name() . " SET state = 'synced', synced_version = version" ); // phpcs:ignore

		$this->cli->resync( array(), array( 'format' => 'json' ) );

		$result = json_decode( (string) $this->out->first( 'line' ), true );
		$this->assertGreaterThanOrEqual( 2, $result['marked'] );
		$this->assertContains( $a, $this->dirty_skus() );
		$this->assertContains( $b, $this->dirty_skus() );
	}

	public function test_retry_needs_skus_or_all_and_makes_dead_rows_due(): void {
		$sku = self::sku( 'CLI' );
		$this->simple( $sku );
		$this->flush();
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . \KeyCrmSync\Outbox\OutboxTable::name() . " SET state = 'dead', attempts = 8, synced_version = version WHERE sku = %s", $sku ) ); // phpcs:ignore

		$this->cli->retry( array(), array() );
		$this->assertSame( 1, $this->out->exit );
		$this->assertSame( 'dead', $this->row( $sku )->state );

		$this->out->exit = null;
		$this->cli->retry( array( $sku ), array() );
		$this->assertNull( $this->out->exit );
		$this->assertSame( '1 SKUs are due again.', $this->out->first( 'success' ) );
		$this->assertSame( 'pending', $this->row( $sku )->state );
		$this->assertSame( '0', (string) $this->row( $sku )->attempts );
	}

	public function test_problems_lists_a_product_without_sku_in_the_chosen_format(): void {
		$p = $this->simple( self::sku( 'CLI' ) );
		$p->set_sku( '' );
		$p->save();
		$this->flush();

		$this->cli->problems( array(), array( 'format' => 'csv' ) );

		$items = $this->out->first( 'items' );
		$this->assertSame( 'csv', $items['format'] );
		$ids = array_column( $items['rows'], 'product_id' );
		$this->assertContains( $p->get_id(), $ids );
		$this->assertSame( array( 'kind', 'sku', 'product_id', 'parent_id', 'product_name', 'detail' ), $items['fields'] );
	}

	public function test_doctor_passes_when_keycrm_accepts_the_key(): void {
		$seen = array();
		add_filter(
			'pre_http_request',
			function ( $pre, $args, $url ) use ( &$seen ) {
				$seen[] = array( $url, $args['headers']['Authorization'] ?? '' );
				return array(
					'response' => array( 'code' => 200 ),
					'body'     => '{"data":[],"total":0}',
					'headers'  => array(),
				);
			},
			10,
			3
		);

		$this->cli->doctor( array(), array( 'format' => 'json' ) );

		$checks = array_column( $this->out->first( 'items' )['rows'], 'status', 'check' );
		$this->assertSame( 'ok', $checks['woocommerce'] );
		$this->assertSame( 'ok', $checks['settings'] );
		$this->assertSame( 'ok', $checks['keycrm'] );
		$this->assertSame( array( array( \KeyCrmSync\Infrastructure\KeyCrmApi::root() . '/offers?limit=1', 'Bearer cli-test-key' ) ), $seen );
		$this->assertNull( $this->out->exit );
	}

	public function test_doctor_fails_with_exit_1_when_keycrm_refuses_the_key(): void {
		add_filter(
			'pre_http_request',
			fn() => array(
				'response' => array( 'code' => 401 ),
				'body'     => '{"message":"Unauthenticated."}',
				'headers'  => array(),
			)
		);

		$this->cli->doctor( array(), array() );

		$rows = array_column( $this->out->first( 'items' )['rows'], null, 'check' );
		$this->assertSame( 'error', $rows['keycrm']['status'] );
		$this->assertStringContainsString( 'refused the API key', $rows['keycrm']['message'] );
		$this->assertStringNotContainsString( 'cli-test-key', wp_json_encode( $this->out->log ) );
		$this->assertSame( 1, $this->out->exit );
	}

	public function test_doctor_says_what_is_missing_without_settings(): void {
		$this->use_settings(
			array(
				'api_key'      => '',
				'warehouse_id' => null,
			)
		);

		$this->cli->doctor( array(), array() );

		$rows = array_column( $this->out->first( 'items' )['rows'], null, 'check' );
		$this->assertSame( 'error', $rows['settings']['status'] );
		$this->assertStringContainsString( 'No keyCRM API key', $rows['settings']['message'] );
		$this->assertSame( 'warning', $rows['keycrm']['status'] );
		$this->assertSame( 1, $this->out->exit );
	}

	/**
	 * The real WP-CLI, where its phar is on this machine (KCS_WP_CLI or ~/.cache/wp-test-env/wp-cli.phar):
	 * the command is registered, `--format=json` prints the status, a bad option exits non-zero.
	 */
	public function test_real_wp_cli_runs_the_commands(): void {
		$phar = $this->wp_cli_phar();
		$this->simple( self::sku( 'CLI' ) );
		$this->flush();
		$run = function ( string $args ) use ( $phar ): array {
			$cmd = sprintf( 'php %s --path=%s --allow-root %s 2>&1', escapeshellarg( $phar ), escapeshellarg( getenv( 'KCS_TEST_DOCROOT' ) ), $args );
			exec( $cmd, $lines, $code );
			return array( implode( "\n", $lines ), $code );
		};

		list( $json, $code ) = $run( 'keycrm-sync status --format=json' );
		$this->assertSame( 0, $code, $json );
		$this->assertSame( 1, json_decode( $json, true )['counts']['pending'] ?? null, $json );

		list( $help, $code ) = $run( 'help keycrm-sync' );
		$this->assertSame( 0, $code, $help );
		foreach ( array( 'status', 'resync', 'retry', 'problems', 'doctor' ) as $sub ) {
			$this->assertMatchesRegularExpression( "/^\\s+{$sub}\\s/m", $help );
		}

		list( $out, $code ) = $run( 'keycrm-sync retry' );
		$this->assertSame( 1, $code, $out );
		$this->assertStringContainsString( 'Name the SKUs to retry', $out );
	}
}
