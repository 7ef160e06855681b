<?php
/**
 * Plugin Name: keyCRM Sync demo: checkout on SQLite
 * Description: Demo shop only (WordPress Playground on SQLite). At checkout WooCommerce holds the
 * ordered stock for a while with one INSERT … SELECT … FROM DUAL … FOR UPDATE that Playground's
 * MySQL-on-SQLite driver cannot run, so every order failed with "Not enough units … in stock".
 * This turns the hold off (its documented filter; 0 minutes = no hold). Stock is still checked
 * and reduced when the order is placed, which is what the demo shows. Production shops run
 * MySQL/MariaDB and do not load this file.
 *
 * @package KeyCrmSync\Demo
 */

declare( strict_types=1 );

defined( 'ABSPATH' ) || exit;

add_filter( 'woocommerce_order_hold_stock_minutes', '__return_zero' );
