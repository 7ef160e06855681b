<?php
/**
 * Loads a test site's WordPress in this PHP (CLI) process as a front-end request to the site's
 * URL. Env: KCS_SITE_DOCROOT, KCS_SITE_URL.
 *
 * @package KeyCrmSync\Tests
 */

$kcs_docroot = (string) getenv( 'KCS_SITE_DOCROOT' );
if ( '' === $kcs_docroot || ! is_file( $kcs_docroot . '/wp-config.php' ) ) {
	fwrite( STDERR, "KCS_SITE_DOCROOT is not the docroot of a test site (made by test/shop/lib/site.sh)\n" );
	exit( 2 );
}
$kcs_url                    = parse_url( (string) getenv( 'KCS_SITE_URL' ) );
$_SERVER['HTTP_HOST']       = $kcs_url['host'] . ( isset( $kcs_url['port'] ) ? ':' . $kcs_url['port'] : '' );
$_SERVER['SERVER_NAME']     = $kcs_url['host'];
$_SERVER['SERVER_PORT']     = (string) ( $kcs_url['port'] ?? 80 );
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
if ( defined( 'KCS_INSTALLING' ) ) {
	define( 'WP_INSTALLING', true );
}
require $kcs_docroot . '/wp-load.php';
