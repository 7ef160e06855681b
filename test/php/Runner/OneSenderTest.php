<?php
/**
 * Exactly one runner sends: a Node sender that starts while the runner inside WordPress is
 * mid-run gets no work until that run has stopped, and the run stops before its next batch.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Runner;

use KeyCrmSync\Http\Permissions;
use KeyCrmSync\KeyCrm\RateBudget;
use KeyCrmSync\Plugin;
use KeyCrmSync\Runner\Runner;
use KeyCrmSync\Runner\RunnerSchedule;
use KeyCrmSync\StockSource\PullSchedule;
use KeyCrmSync\Tests\Http;
use KeyCrmSync\Tests\TestCase;

require_once __DIR__ . '/EmulatorServer.php';

/**
 * The sender's claim goes over real HTTP to the test site (another PHP process, another database
 * connection) while this process runs the runner against the emulator.
 */
final class OneSenderTest extends TestCase {

	use EmulatorServer {
		setUpBeforeClass as private start_emulator;
	}

	private const API_KEY = 'one-sender-key';

	/** Authorization of the sender user. @var array<string, string> */
	private static array $sender = array();

	public static function setUpBeforeClass(): void {
		self::start_emulator();
		Permissions::ensure_sender_role();
		$login = 'kcs_one_sender_' . wp_rand();
		$id    = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'user_email' => $login . '@example.test',
				'role'       => Permissions::SENDER_ROLE,
			)
		);
		$app          = \WP_Application_Passwords::create_new_application_password( $id, array( 'name' => 'sender' ) );
		self::$sender = Http::app_password( $login, $app[0] );
	}

	protected function setUp(): void {
		wp_cache_flush();
		parent::setUp();
		$this->use_settings(
			array(
				'api_key'      => self::API_KEY,
				'warehouse_id' => 1,
			)
		);
		foreach ( array( RateBudget::OPTION, Runner::CENSUS_OPTION, Runner::STATUS_OPTION ) as $option ) {
			delete_option( $option );
		}
		update_option(
			PullSchedule::OPTION,
			array(
				'last_started_at'  => time(),
				'last_finished_at' => time(),
			)
		);
		as_unschedule_all_actions( RunnerSchedule::HOOK, array(), RunnerSchedule::GROUP );
		self::control( 'reset' );
	}

	/**
	 * The Node sender's claim, over HTTP.
	 *
	 * @return array<string, mixed> Response body.
	 */
	private function sender_claim(): array {
		$r = Http::request(
			'POST',
			'/keycrm-sync/v1/worker/claim',
			array(
				'limit'         => 100,
				'lease_seconds' => 60,
				'worker_id'     => 'node-late',
				'heartbeat'     => array(
					'worker_id' => 'node-late',
					'version'   => '0.1.0',
				),
			),
			self::$sender
		);
		$this->assertSame( 200, $r['status'], $r['raw'] );
		return $r['body'];
	}

	public function test_a_sender_starting_mid_run_gets_nothing_and_the_run_stops_before_its_next_batch(): void {
		$first  = self::sku( 'OS1' );
		$second = self::sku( 'OS2' );
		$this->simple( $first, 3 );
		$this->simple( $second, 4 );
		$this->flush();

		// The sender starts while the run sends its first batch (at its first keyCRM answer).
		$during = null;
		$hook   = function ( $response, $context, $transport, $args, $url ) use ( &$during ) {
			if ( null === $during && str_starts_with( $url, KEYCRM_SYNC_API_URL ) ) {
				$during = $this->sender_claim();
			}
		};
		add_action( 'http_api_debug', $hook, 10, 5 );
		try {
			$result = Plugin::instance()->runner()->run( null, 1 ); // One SKU per batch.
		} finally {
			remove_action( 'http_api_debug', $hook, 10 );
		}

		$this->assertNotNull( $during, 'the sender claimed during the run' );
		$this->assertNull( $during['lease_token'], 'no work for the sender while the run holds the lock' );
		$this->assertSame( array(), $during['items'] );
		$this->assertSame( 'standby', $result['stopped'], wp_json_encode( $result ) );
		$this->assertSame( 1, $result['claimed'], 'the run took no second batch' );
		$state = self::control( 'state' );
		$skus  = array_column( $state['offers'], 'sku' );
		$this->assertCount( 1, $skus );
		$sent_by_run = $skus[0];
		$left        = $sent_by_run === $first ? $second : $first;
		$this->assertSame( 'synced', $this->row( $sent_by_run )->state );
		$this->assertNull( $this->row( $left )->lease_token, 'the second SKU was never claimed by the run' );

		// The run is over: the sender gets the rest.
		$after = $this->sender_claim();
		$this->assertNotNull( $after['lease_token'] );
		$this->assertSame( array( $left ), array_column( $after['items'], 'sku' ) );
		$this->assertSame( 'standby', Plugin::instance()->runner()->run()['stopped'], 'the runner stands by while the sender is online' );
	}

	public function test_the_sender_claims_as_usual_when_no_run_holds_the_lock(): void {
		$sku = self::sku( 'OS3' );
		$this->simple( $sku, 1 );
		$this->flush();
		$this->assertFalse( Runner::running() );
		$this->assertSame( array( $sku ), array_column( $this->sender_claim()['items'], 'sku' ) );
	}
}
