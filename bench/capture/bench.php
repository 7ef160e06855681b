<?php
/**
 * Capture benchmark orchestrator (run by bench/capture/run.sh on a throw-away test site).
 *
 * 1. Product saves and wc_update_product_stock() calls, plugin on vs off in the same process,
 *    alternating operation by operation (off = every hook callback of the plugin detached), so
 *    load from other processes on the machine hits both modes alike; prints the medians per
 *    operation and their ratio. BENCH_ROUNDS=N repeats this in N fresh processes and prints the
 *    median ratio of the rounds.
 * 2. "Resync all" marking time for 10,000 and 100,000 SKUs (bench products inserted with SQL):
 *    the first run creates the rows, the second marks existing rows (BENCH_SKUS=0: left out).
 * 3. One claim of 10,000 stock-only items: time and PHP peak memory, under memory_limit=128M
 *    (PHP's default) (BENCH_CLAIM=0: left out).
 *
 * @package KeyCrmSync\Bench
 */

$saves  = (int) ( getenv( 'BENCH_SAVES' ) ?: 1000 );
$sizes  = array_filter( array_map( 'intval', preg_split( '/[\s,]+/', trim( false === getenv( 'BENCH_SKUS' ) ? '10000 100000' : (string) getenv( 'BENCH_SKUS' ) ) ) ) );
$claimn = (int) ( false === getenv( 'BENCH_CLAIM' ) ? 10000 : getenv( 'BENCH_CLAIM' ) );
$rounds = max( 1, (int) ( getenv( 'BENCH_ROUNDS' ) ?: 1 ) );

/**
 * Runs the worker and decodes its JSON output.
 *
 * @param string $args   Worker arguments.
 * @param string $limit  memory_limit of the worker.
 * @return mixed
 */
function kcs_worker( string $args, string $limit = '512M' ) {
	$cmd = escapeshellarg( PHP_BINARY ) . ' -d memory_limit=' . $limit . ' ' . escapeshellarg( __DIR__ . '/worker.php' ) . ' ' . $args . ' 2>&1';
	$out = shell_exec( $cmd );
	$lines = explode( "\n", trim( (string) $out ) );
	$data  = json_decode( (string) end( $lines ), true );
	if ( null === $data ) {
		fwrite( STDERR, "worker $args failed:\n$out\n" );
		exit( 1 );
	}
	return $data;
}

/**
 * Median of a list.
 *
 * @param float[] $xs Values.
 */
function kcs_median( array $xs ): float {
	sort( $xs );
	$n = count( $xs );
	return $n % 2 ? $xs[ intdiv( $n, 2 ) ] : ( $xs[ $n / 2 - 1 ] + $xs[ $n / 2 ] ) / 2;
}

printf( "keyCRM Sync capture benchmark (PHP %s, %d cores)\n\n", PHP_VERSION, (int) trim( (string) shell_exec( 'nproc' ) ) );

$ratios = array();
for ( $round = 1; $round <= $rounds; $round++ ) {
	if ( $rounds > 1 ) {
		printf( "round %d of %d\n", $round, $rounds );
	}
	foreach ( array( 'saves' => 'product save ($product->save())', 'stock' => 'wc_update_product_stock()' ) as $mode => $label ) {
		$run = kcs_worker( "$mode " . ( 2 * $saves ) );
		$on  = kcs_median( $run['on'] );
		$off = kcs_median( $run['off'] );
		$ratios[ $label ][] = $on / $off;
		printf( "%-34s %5d ops each: median %7.0f µs with plugin (of which outbox flush %.0f µs), %7.0f µs without; ratio %.3f (%+.1f %%)\n", $label, count( $run['on'] ), $on, kcs_median( $run['flush'] ), $off, $on / $off, 100 * ( $on / $off - 1 ) );
	}
}
if ( $rounds > 1 ) {
	foreach ( $ratios as $label => $rs ) {
		printf( "%-34s median ratio of %d rounds: %.3f (%+.1f %%); rounds: %s\n", $label, $rounds, kcs_median( $rs ), 100 * ( kcs_median( $rs ) - 1 ), implode( ' ', array_map( static fn( $r ) => sprintf( '%+.1f%%', 100 * ( $r - 1 ) ), $rs ) ) );
	}
}
echo "\n";

$seeded = 0;
foreach ( $sizes as $size ) {
	$seed = kcs_worker( 'seed ' . ( $size - $seeded ) );
	$seeded = $size;
	$first  = kcs_worker( 'resync' );
	$second = kcs_worker( 'resync' );
	$status = kcs_worker( 'status' );
	printf( "resync all, %6d SKUs (seeded in %.1f s): first run %.2f s (created %d rows), second run %.2f s (marked %d existing rows)\n", $size, $seed['seconds'], $first['seconds'], $first['created'], $second['seconds'], $second['marked'] );
	printf( "  GET /status queries at %d rows: counts %.3f s, problems count %.3f s (stored list, no transient cache)\n", $status['rows'], $status['counts_seconds'], $status['problems_seconds'] );
}
echo "\n";

if ( $claimn <= 0 ) {
	exit( 0 );
}
$claim = kcs_worker( "claim $claimn", '128M' );
printf( "claim of %d stock-only items: %.2f s (%.0f items/s), JSON %.1f MB, PHP peak memory %.1f MB (%.1f MB after boot) with memory_limit=%s\n", $claim['items'], $claim['seconds'], $claim['items'] / $claim['seconds'], $claim['json_bytes'] / 1048576, $claim['peak_mb'], $claim['peak_before_mb'], $claim['memory_limit'] );
