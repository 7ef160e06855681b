<?php
/**
 * keyCRM → shop stock: the webhook receiver and the sender's pull routes.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Infrastructure\Registerable;
use KeyCrmSync\Outbox\OutboxWriter;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Sku\SkuOwners;

/**
 * Composition of the "keyCRM is the source of stock" mode (and the drift scan of WooCommerce
 * mode). The plugin's composition root builds one instance and calls register(); hooks are added
 * there, never in the constructor.
 */
final class StockSourceModule implements Registerable {

	private StockReceiver $receiver;
	private RemoteStockRegistry $registry;
	private PullSchedule $schedule;
	private WebhookController $webhook;
	private WorkerStockController $worker;
	private AdminStockController $admin;

	/**
	 * @param Settings  $settings   The plugin's settings.
	 * @param SkuOwners $owners     SKU → live products.
	 * @param EchoGuard $echo_guard Echo suppression.
	 */
	public function __construct( Settings $settings, SkuOwners $owners, EchoGuard $echo_guard = new EchoGuard() ) {
		$inbox          = new StockInbox();
		$this->registry = new RemoteStockRegistry();
		$this->schedule = new PullSchedule( $settings );
		$this->receiver = new StockReceiver( $inbox, new StockApplier( $owners, $this->registry, $echo_guard ), $settings );
		$this->webhook  = new WebhookController( $this->receiver, $settings );
		$this->worker   = new WorkerStockController( $this->receiver, $this->schedule, $this->registry );
		$this->admin    = new AdminStockController( $this->schedule, $this->registry, $inbox, new OutboxWriter( $owners ) );
	}

	/**
	 * Adds this module's hooks: REST routes, the inbox apply action, and the removal of the WP-Cron
	 * event earlier versions used for it (its tables are installed with the others by the
	 * Installer).
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
		add_action( StockReceiver::ACTION_HOOK, array( $this->receiver, 'apply_pending' ) );
		add_action( 'init', array( $this->receiver, 'retire_cron_event' ), 20 );
	}

	/**
	 * Registers the REST routes of this module (namespace keycrm-sync/v1).
	 */
	public function register_routes(): void {
		$this->webhook->register_routes();
		$this->worker->register_routes();
		$this->admin->register_routes();
	}

	/**
	 * Where webhook and pull batches are stored and applied.
	 */
	public function receiver(): StockReceiver {
		return $this->receiver;
	}

	/**
	 * SKUs keyCRM reported that the shop cannot take, and drift.
	 */
	public function registry(): RemoteStockRegistry {
		return $this->registry;
	}

	/**
	 * When the next pull is due.
	 */
	public function schedule(): PullSchedule {
		return $this->schedule;
	}
}
