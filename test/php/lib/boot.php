<?php
/**
 * Loads the test site's WordPress in this PHP process (CLI), as a front-end request: the
 * project's site loader (test/shop/lib/boot.php) with the site run.sh made (KCS_TEST_DOCROOT,
 * KCS_TEST_URL).
 *
 * @package KeyCrmSync\Tests
 */

if ( ! getenv( 'KCS_TEST_DOCROOT' ) ) {
	fwrite( STDERR, "KCS_TEST_DOCROOT is not set: run the PHP tests with test/php/run.sh\n" );
	exit( 2 );
}
putenv( 'KCS_SITE_DOCROOT=' . getenv( 'KCS_TEST_DOCROOT' ) );
putenv( 'KCS_SITE_URL=' . getenv( 'KCS_TEST_URL' ) );
require dirname( __DIR__, 2 ) . '/shop/lib/boot.php';
