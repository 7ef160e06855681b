<?php
/**
 * The keyCRM Sync admin page under the WooCommerce menu.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Admin;

use KeyCrmSync\Infrastructure\Registerable;

/**
 * Registers wp-admin → WooCommerce → keyCRM Sync, connects it to WooCommerce's admin page
 * controller (WooCommerce header, `wc-components` loaded) and enqueues the React app built into
 * plugin/build/. The inline data holds only URLs and the current user's login: never the API key.
 */
final class AdminPage implements Registerable {

	/** Menu slug: wp-admin/admin.php?page=keycrm-sync. */
	public const SLUG = 'keycrm-sync';

	/** Script and style handle. */
	public const HANDLE = 'keycrm-sync-admin';

	/** Capability needed to see the page (the REST routes check the same). */
	public const CAPABILITY = 'manage_woocommerce';

	/** @var string Absolute path of the plugin's main file. */
	private string $plugin_file;

	/** @var string Screen hook suffix returned by add_submenu_page(). */
	private string $hook_suffix = '';

	/**
	 * @param string|null $plugin_file Absolute path of keycrm-sync.php (URLs and paths); defaults
	 *                                 to plugin/keycrm-sync.php next to includes/.
	 */
	public function __construct( ?string $plugin_file = null ) {
		$this->plugin_file = $plugin_file ?? dirname( __DIR__, 2 ) . '/keycrm-sync.php';
	}

	/**
	 * Hooks the menu, the WooCommerce page connection and the assets.
	 */
	public function register(): void {
		add_action( 'init', array( $this, 'load_textdomain' ) );
		add_action( 'admin_menu', array( $this, 'add_menu' ), 60 );
		add_action( 'admin_init', array( $this, 'connect_wc_page' ) );
		add_action( 'admin_enqueue_scripts', array( $this, 'enqueue' ) );
		add_filter(
			'plugin_action_links_' . plugin_basename( $this->plugin_file ),
			array( $this, 'action_links' )
		);
	}

	/**
	 * Loads the plugin's translations from plugin/languages (uk is shipped there).
	 */
	public function load_textdomain(): void {
		load_plugin_textdomain( 'keycrm-sync', false, dirname( plugin_basename( $this->plugin_file ) ) . '/languages' );
	}

	/**
	 * Adds the submenu page under WooCommerce.
	 */
	public function add_menu(): void {
		$suffix            = add_submenu_page(
			'woocommerce',
			__( 'keyCRM Sync', 'keycrm-sync' ),
			__( 'keyCRM Sync', 'keycrm-sync' ),
			self::CAPABILITY,
			self::SLUG,
			array( $this, 'render' )
		);
		$this->hook_suffix = is_string( $suffix ) ? $suffix : '';
	}

	/**
	 * Registers the page with WooCommerce's admin page controller (gives the WooCommerce header).
	 */
	public function connect_wc_page(): void {
		if ( ! function_exists( 'wc_admin_connect_page' ) ) {
			return;
		}
		wc_admin_connect_page(
			array(
				'id'        => 'keycrm-sync',
				'screen_id' => 'woocommerce_page_' . self::SLUG,
				'title'     => __( 'keyCRM Sync', 'keycrm-sync' ),
				'path'      => add_query_arg( 'page', self::SLUG, 'admin.php' ),
			)
		);
	}

	/**
	 * Adds a "Settings" link on the Plugins screen.
	 *
	 * @param array<int|string, string> $links Existing links.
	 * @return array<int|string, string>
	 */
	public function action_links( array $links ): array {
		$url = admin_url( 'admin.php?page=' . self::SLUG );
		array_unshift(
			$links,
			sprintf( '<a href="%s">%s</a>', esc_url( $url ), esc_html__( 'Settings', 'keycrm-sync' ) )
		);
		return $links;
	}

	/**
	 * Prints the mount point (the React app replaces its content).
	 */
	public function render(): void {
		if ( ! current_user_can( self::CAPABILITY ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to access this page.', 'keycrm-sync' ), 403 );
		}
		printf(
			'<div class="wrap keycrm-sync-wrap"><div id="keycrm-sync-root">%s</div><noscript>%s</noscript></div>',
			esc_html__( 'Loading…', 'keycrm-sync' ),
			esc_html__( 'This page needs JavaScript.', 'keycrm-sync' )
		);
	}

	/**
	 * Enqueues the built app on our screen only.
	 *
	 * @param string $hook_suffix Current admin screen's hook suffix.
	 */
	public function enqueue( string $hook_suffix ): void {
		if ( '' === $this->hook_suffix || $hook_suffix !== $this->hook_suffix ) {
			return;
		}
		$dir        = plugin_dir_path( $this->plugin_file );
		$asset_file = $dir . 'build/admin.asset.php';
		if ( ! is_readable( $asset_file ) ) {
			add_action( 'admin_notices', array( $this, 'missing_build_notice' ) );
			return;
		}
		$asset = require $asset_file;
		$deps  = isset( $asset['dependencies'] ) && is_array( $asset['dependencies'] ) ? $asset['dependencies'] : array();
		$ver   = isset( $asset['version'] ) && is_string( $asset['version'] ) ? $asset['version'] : false;
		$url   = plugin_dir_url( $this->plugin_file ) . 'build/';

		wp_enqueue_script( self::HANDLE, $url . 'admin.js', $deps, $ver, true );
		wp_set_script_translations( self::HANDLE, 'keycrm-sync', $dir . 'languages' );
		wp_add_inline_script(
			self::HANDLE,
			'window.keycrmSyncAdmin = ' . wp_json_encode( $this->inline_data() ) . ';',
			'before'
		);
		$style_deps = array( 'wp-components' );
		if ( in_array( 'wc-components', $deps, true ) ) {
			$style_deps[] = 'wc-components';
		}
		if ( is_readable( $dir . 'build/style-admin.css' ) ) {
			wp_enqueue_style( self::HANDLE, $url . 'style-admin.css', $style_deps, $ver );
		} else {
			foreach ( $style_deps as $handle ) {
				wp_enqueue_style( $handle );
			}
		}
	}

	/**
	 * Shown when plugin/build/ has not been built.
	 */
	public function missing_build_notice(): void {
		printf(
			'<div class="notice notice-error"><p>%s</p></div>',
			esc_html__( 'keyCRM Sync: the admin app is not built. Run "npm run build:admin".', 'keycrm-sync' )
		);
	}

	/**
	 * Data the app needs at start. No secrets: the REST nonce is handled by api-fetch's own
	 * middleware (WordPress core adds it to the wp-api-fetch script).
	 *
	 * @return array<string, mixed>
	 */
	public function inline_data(): array {
		$user = wp_get_current_user();
		return array(
			'restRoot'         => esc_url_raw( rest_url() ),
			'siteUrl'          => esc_url_raw( home_url( '/' ) ),
			'adminUrl'         => esc_url_raw( admin_url() ),
			'productsUrl'      => esc_url_raw( admin_url( 'edit.php?post_type=product' ) ),
			'profileUrl'       => esc_url_raw( admin_url( 'profile.php#application-passwords-section' ) ),
			'userLogin'        => $user->user_login,
			'senderLogin'      => \KeyCrmSync\Http\Permissions::SENDER_LOGIN,
			'canCreateSender'  => current_user_can( 'create_users' ),
			'canRotateWebhook' => current_user_can( 'manage_options' ),
			'appPasswords'     => function_exists( 'wp_is_application_passwords_available' ) && wp_is_application_passwords_available(),
			'wcHeader'         => function_exists( 'wc_admin_connect_page' ),
			'pluginVersion'    => defined( 'KEYCRM_SYNC_VERSION' ) ? (string) constant( 'KEYCRM_SYNC_VERSION' ) : '',
		);
	}
}
