<?php
/**
 * Loads the test site's WordPress in this PHP process (CLI), as a front-end request.
 *
 * @package KeyCrmSync\Tests
 */

$kcs_docroot = getenv( 'KCS_TEST_DOCROOT' );
if ( ! $kcs_docroot || ! is_file( $kcs_docroot . '/wp-config.php' ) ) {
	fwrite( STDERR, "KCS_TEST_DOCROOT is not set: run the PHP tests with test/php/run.sh\n" );
	exit( 2 );
}
$kcs_url                    = parse_url( (string) getenv( 'KCS_TEST_URL' ) );
$_SERVER['HTTP_HOST']       = $kcs_url['host'] . ':' . $kcs_url['port'];
$_SERVER['SERVER_NAME']     = $kcs_url['host'];
$_SERVER['SERVER_PORT']     = (string) $kcs_url['port'];
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
if ( defined( 'KCS_INSTALLING' ) ) {
	define( 'WP_INSTALLING', true );
}
require $kcs_docroot . '/wp-load.php';
