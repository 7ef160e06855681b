<?php
/**
 * Runs PHP inside a test site, as its admin: `-r CODE`, or a file (which sees its arguments in
 * $args). Used by test/shop/shop-eval.sh. Env: KCS_SITE_DOCROOT, KCS_SITE_URL.
 *
 * @package KeyCrmSync\Tests
 */

if ( $argc < 2 || ( '-r' === $argv[1] && $argc < 3 ) ) {
	fwrite( STDERR, "usage: eval.php -r CODE | FILE [ARG...]\n" );
	exit( 2 );
}
require __DIR__ . '/boot.php';
$kcs_admin = get_user_by( 'login', 'admin' );
if ( $kcs_admin ) {
	wp_set_current_user( $kcs_admin->ID );
}
if ( '-r' === $argv[1] ) {
	$args = array_slice( $argv, 3 );
	eval( $argv[2] ); // phpcs:ignore Squiz.PHP.Eval -- the purpose of this tool.
} else {
	$args = array_slice( $argv, 2 );
	require $argv[1];
}
