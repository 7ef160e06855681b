<?php
/**
 * Claims from the outbox in its own PHP process, for the concurrency test.
 * Usage: php claim.php START_AT LIMIT  → prints the claimed SKUs as JSON.
 * START_AT (microtime) lines several processes up so their claims really race.
 *
 * @package KeyCrmSync\Tests
 */

require __DIR__ . '/../lib/boot.php';

$start = (float) ( $argv[1] ?? 0 );
$limit = (int) ( $argv[2] ?? 10 );
while ( microtime( true ) < $start ) {
	usleep( 200 );
}
$claim = ( new \KeyCrmSync\Outbox\OutboxQueue( new \KeyCrmSync\Outbox\Backoff() ) )->claim( $limit, 60 );
echo wp_json_encode( array_map( static fn( $r ) => (string) $r->sku, $claim['rows'] ) );
