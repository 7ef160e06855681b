<?php
/**
 * Runner benchmark orchestrator (run by bench/runner/run.sh on a throw-away test site with the
 * keyCRM emulator): for each catalogue size, new simple products are marked by "Resync all" and
 * drained by runs of the runner inside WordPress, each in its own PHP process, waiting between
 * runs exactly as long as a run asks (its `next_at`, as the Action Scheduler continuation would).
 * Prints requests ÷ floor, wall time ÷ floor (the floor's requests at the rate budget), peak PHP
 * memory per run, and the latency of one stock edit while the queue is idle.
 *
 * @package KeyCrmSync\Bench
 */

$sizes = array_map( 'intval', preg_split( '/[\s,]+/', trim( getenv( 'BENCH_RUNNER_SKUS' ) ?: '1000 10000' ) ) );
$emu   = 'http://127.0.0.1:' . getenv( 'KCS_TEST_EMULATOR_PORT' );

/**
 * Runs a worker step and decodes its last line.
 *
 * @param string $args Arguments.
 * @return array<string, mixed>
 */
function kcs_runner_step( string $args ): array {
	$out   = (string) shell_exec( escapeshellarg( PHP_BINARY ) . ' -d memory_limit=256M ' . escapeshellarg( __DIR__ . '/worker.php' ) . ' ' . $args . ' 2>&1' );
	$lines = explode( "\n", trim( $out ) );
	$data  = json_decode( (string) end( $lines ), true );
	if ( ! is_array( $data ) ) {
		fwrite( STDERR, "worker $args failed:\n$out\n" );
		exit( 1 );
	}
	return $data;
}

/**
 * Calls the emulator's control API.
 *
 * @param string     $emu  Emulator base URL.
 * @param string     $name Endpoint.
 * @param array|null $body POST body.
 * @return array<string, mixed>
 */
function kcs_emulator( string $emu, string $name, ?array $body = null ): array {
	$ctx = stream_context_create(
		array(
			'http' => null === $body ? array() : array(
				'method'  => 'POST',
				'header'  => 'Content-Type: application/json',
				'content' => json_encode( (object) $body ),
			),
		)
	);
	return json_decode( (string) file_get_contents( $emu . '/__emulator/' . $name, false, $ctx ), true );
}

/**
 * keyCRM's stock of a SKU in warehouse 1 (null: no such offer).
 *
 * @param string $emu Emulator base URL.
 * @param string $sku SKU.
 */
function kcs_keycrm_stock( string $emu, string $sku ): ?float {
	foreach ( kcs_emulator( $emu, 'state' )['stock'] as $row ) {
		if ( $sku === $row['sku'] ) {
			return (float) $row['warehouses']['1']['quantity'];
		}
	}
	return null;
}

/**
 * Drains the outbox with runner runs. With $emu, after the second run a SKU keyCRM already holds
 * gets a stock edit (as an order would make it) and the time until keyCRM holds the new value is
 * measured (at the end of the run that sent it).
 *
 * @param string|null $emu Emulator base URL (null: no stock edit).
 * @return array{runs:int, requests:int, seconds:float, peak:int, edit_latency:float|null, edit_runs:int|null}
 */
function kcs_runner_drain( ?string $emu = null ): array {
	$t0      = microtime( true );
	$runs    = 0;
	$reqs    = 0;
	$peak    = 0;
	$edit    = null;
	$latency = null;
	$edit_runs = null;
	$idle      = 0;
	do {
		$r     = kcs_runner_step( 'run' );
		$runs += 1;
		$reqs += (int) $r['requests'];
		$peak  = max( $peak, (int) $r['memory'] );
		fprintf( STDERR, "  run %d: %s, claimed %d, synced %d, failed %d, retry %d, released %d, %d requests, %.1f s, backlog %d, next in %s\n", $runs, $r['stopped'], $r['claimed'], $r['synced'], $r['failed'], $r['retry'], $r['released'], $r['requests'], $r['seconds'] ?? 0, $r['backlog'], null === $r['next_at'] ? '-' : sprintf( '%.1f s', $r['next_at'] - microtime( true ) ) );
		if ( in_array( $r['stopped'], array( 'standby', 'auth', 'storage', 'error' ), true ) ) {
			fwrite( STDERR, "run $runs stopped with '{$r['stopped']}'" . ( null === $r['error'] ? '' : ": {$r['error']}" ) . "\n" );
			exit( 1 );
		}
		// A run that settles nothing and sends nothing made no progress; a few in a row are a loop.
		$idle = 0 === (int) $r['synced'] + (int) $r['failed'] + (int) $r['retry'] + (int) $r['requests'] ? $idle + 1 : 0;
		if ( $idle >= 5 ) {
			fwrite( STDERR, "$idle runs in a row made no progress (backlog {$r['backlog']})\n" );
			exit( 1 );
		}
		if ( null !== $edit && null === $latency && 777.0 === kcs_keycrm_stock( $emu, $edit['sku'] ) ) {
			$latency   = microtime( true ) - $edit['at'];
			$edit_runs = $runs - $edit['run'];
		}
		if ( null !== $emu && null === $edit && 2 === $runs ) {
			$offers = kcs_emulator( $emu, 'state' )['offers'];
			if ( array() !== $offers ) {
				$edit = array(
					'sku' => (string) $offers[0]['sku'],
					'at'  => microtime( true ),
					'run' => $runs,
				);
				kcs_runner_step( 'stock ' . escapeshellarg( $edit['sku'] ) . ' 777' );
			}
		}
		if ( 0 === (int) $r['backlog'] && 'empty' === $r['stopped'] ) {
			break;
		}
		$wait = null === $r['next_at'] ? 0 : $r['next_at'] - microtime( true );
		if ( $wait > 0 ) {
			usleep( (int) ( $wait * 1e6 ) );
		}
	} while ( $runs < 10000 );
	return array(
		'runs'     => $runs,
		'requests' => $reqs,
		'seconds'  => microtime( true ) - $t0,
		'peak'     => $peak,
		'edit_latency' => $latency,
		'edit_runs'    => $edit_runs,
	);
}

$boot = static function (): void {
	require dirname( __DIR__, 2 ) . '/test/php/lib/boot.php';
};
$boot();
// Through Settings: the API key lives in its own option.
\KeyCrmSync\Plugin::instance()->settings->update(
	array(
		'api_key'      => 'bench-key',
		'warehouse_id' => 1,
	)
);
$mode = ( new \KeyCrmSync\Runner\RunnerMode( \KeyCrmSync\Plugin::instance()->settings, new \KeyCrmSync\Settings\Heartbeat() ) )->mode();
if ( 'wordpress' !== $mode['runner'] ) { // phpcs:ignore WordPress.WP.CapitalPDangit -- the runner's name.
	fwrite( STDERR, "the runner inside WordPress would not send: {$mode['runner']} ({$mode['reason']})\n" );
	exit( 1 );
}
$rate  = (int) \KeyCrmSync\Settings\Settings::DEFAULTS['rate_per_minute'];
$burst = ( new \KeyCrmSync\KeyCrm\RateBudget( $rate ) )->burst();
printf( "runner inside WordPress, keyCRM emulator, rate budget %d/min (burst %d), time budget %.0f s per run\n", $rate, $burst, \KeyCrmSync\Runner\Runner::time_budget() );
printf( "PHP memory of a process that only boots WordPress + WooCommerce: %.1f MB\n", kcs_runner_step( 'noop' )['memory'] / 1048576 );
$done = 0;
foreach ( $sizes as $n ) {
	global $wpdb;
	$wpdb->query( 'TRUNCATE TABLE ' . \KeyCrmSync\Outbox\OutboxTable::name() );
	delete_option( \KeyCrmSync\Runner\Runner::CENSUS_OPTION );
	kcs_emulator( $emu, 'reset', array() );
	kcs_runner_step( 'seed ' . ( $n - $done ) );
	$done = $n;
	kcs_runner_step( 'mark' );
	sleep( 60 ); // A full rate window: every size starts with a full bucket.
	$d     = kcs_runner_drain( $n >= 10000 ? $emu : null );
	$floor = 1 + (int) ceil( $n / 100 ) + (int) ceil( $n / 10000 );
	$floor_seconds = max( 0, $floor - $burst ) * 60 / $rate;
	$stats = kcs_emulator( $emu, 'stats' );
	$state = kcs_emulator( $emu, 'state' );
	printf(
		"%6d new SKUs: %d requests (floor %d: %.2fx), %.1f s (floor %.1f s: %.2fx), %d runs, peak PHP memory per run %.1f MB, keyCRM offers %d, duplicates %d, routes %s\n",
		$n,
		$d['requests'],
		$floor,
		$d['requests'] / $floor,
		$d['seconds'],
		$floor_seconds,
		$floor_seconds > 0 ? $d['seconds'] / $floor_seconds : 0,
		$d['runs'],
		$d['peak'] / 1048576,
		count( $state['offers'] ),
		$state['duplicates'],
		json_encode( $stats['byRoute'] )
	);
	if ( null !== $d['edit_latency'] ) {
		printf( "        stock edit → keyCRM while this resync drains (edit after run 2): %.1f s, in the %d. run after the edit\n", $d['edit_latency'], $d['edit_runs'] );
	}
	// One stock edit while the queue is idle (a quiet minute: the rate budget is full again):
	// edit → keyCRM, through one run.
	sleep( 60 );
	$sku = (string) $state['offers'][0]['sku'];
	$t0  = microtime( true );
	kcs_runner_step( 'stock ' . escapeshellarg( $sku ) . ' 555' );
	$run = kcs_runner_step( 'run' );
	$took = microtime( true ) - $t0;
	$held = kcs_keycrm_stock( $emu, $sku );
	if ( 555.0 !== $held ) {
		fwrite( STDERR, 'the stock edit did not reach keyCRM in one run (keyCRM holds ' . var_export( $held, true ) . '): ' . json_encode( $run ) . "\n" );
		exit( 1 );
	}
	printf( "        stock edit → keyCRM with an idle queue: %.2f s from the edit (two PHP processes: the edit, then one run), of which the run %.2f s, %d request\n", $took, $run['seconds'], $run['requests'] );
}
