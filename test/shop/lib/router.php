<?php
/**
 * Router of the test sites' `php -S`: a file or a folder with an index.php is served as it is
 * (PHP files run); every other path goes to WordPress' index.php, as Apache's rewrite rules
 * would do it (pretty permalinks, /wp-json/).
 *
 * @package KeyCrmSync\Tests
 */

$kcs_root = rtrim( (string) $_SERVER['DOCUMENT_ROOT'], '/' );
$kcs_path = rawurldecode( (string) parse_url( (string) $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
if ( '' !== $kcs_path && '/' !== $kcs_path && file_exists( $kcs_root . $kcs_path ) ) {
	if ( ! is_dir( $kcs_root . $kcs_path ) || file_exists( rtrim( $kcs_root . $kcs_path, '/' ) . '/index.php' ) ) {
		return false;
	}
}
$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $kcs_root . '/index.php';
chdir( $kcs_root );
require $kcs_root . '/index.php';
