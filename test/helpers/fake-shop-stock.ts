/**
 * The plugin's keyCRM → shop stock side for a FakeShop, as
 * plugin/includes/StockSource describes it: the pull schedule behind
 * `GET|POST /worker/stock-pull` (due when requested or when the interval
 * has elapsed; never while a pull runs) and `POST /worker/stock-apply`
 * (keyCRM mode applies `available` or `total`, clamped at 0 and rounded
 * down, without echoing the change back to the outbox; WooCommerce mode
 * compares keyCRM's total with the shop and reports drift).
 */
import type {
	StockApplyRequest,
	StockApplyResponse,
	StockApplyResult,
	StockPullReport,
	StockPullResult,
	StockPullState,
} from '@keycrm-sync/contract';
import type { Clock } from '../../src/util/clock';
import type { FakeShop } from './fake-shop';

/** A pull that started this long ago without finishing no longer counts as running (PHP: STALE_AFTER). */
const STALE_AFTER_MS = 60 * 60 * 1000;

/** The stock-source side of the model shop. */
export class FakeStockSource {
	/** Every batch the sender applied, in order (tests). */
	readonly applied: StockApplyRequest[] = [];
	/** Every report the sender made, in order (tests). */
	readonly reports: StockPullReport[] = [];
	/** `GET /worker/stock-pull` requests served (tests). */
	checks = 0;
	private lastStartedAt: number | null = null;
	private lastFinishedAt: number | null = null;
	private requestedAt: number | null = null;
	private lastResult: StockPullResult | null = null;

	constructor(
		private readonly shop: FakeShop,
		private readonly clock: Clock
	) {}

	/** "Pull stock now". */
	request(): void {
		this.requestedAt = this.clock.now();
	}

	/** `GET /worker/stock-pull`. */
	check(): StockPullState {
		this.checks++;
		return this.state();
	}

	/** The pull state (what the stock-pull routes answer). */
	state(): StockPullState {
		const iso = ( t: number | null ) =>
			t === null ? null : new Date( t ).toISOString();
		return {
			...this.due(),
			stock_source: this.shop.settings.stock_source,
			stock_apply: this.shop.settings.stock_apply,
			interval_minutes: this.shop.settings.pull_interval_minutes,
			last_started_at: iso( this.lastStartedAt ),
			last_finished_at: iso( this.lastFinishedAt ),
			requested_at: iso( this.requestedAt ),
			last_result: this.lastResult,
		};
	}

	/**
	 * `POST /worker/stock-pull`.
	 *
	 * @param report Start or finish.
	 */
	report( report: StockPullReport ): StockPullState {
		this.reports.push( report );
		const now = this.clock.now();
		if ( report.event === 'start' ) {
			this.lastStartedAt = now;
			return this.state();
		}
		const { complete, pages, scanned, counts, error } = report;
		this.lastFinishedAt = now;
		this.lastResult = { complete, pages, scanned, counts, error };
		if (
			this.requestedAt !== null &&
			this.requestedAt <= ( this.lastStartedAt ?? now )
		) {
			this.requestedAt = null;
		}
		return this.state();
	}

	/**
	 * `POST /worker/stock-apply`.
	 *
	 * @param req Items.
	 */
	apply( req: StockApplyRequest ): StockApplyResponse {
		this.applied.push( req );
		const results = req.items.map( ( item ) => this.applyOne( item ) );
		const counts: Record< string, number > = {};
		for ( const r of results ) {
			counts[ r.outcome ] = ( counts[ r.outcome ] ?? 0 ) + 1;
		}
		return {
			stock_source: this.shop.settings.stock_source,
			queued: false,
			results,
			counts,
		};
	}

	private due(): Pick< StockPullState, 'due' | 'reason' > {
		const now = this.clock.now();
		const started = this.lastStartedAt;
		if (
			started !== null &&
			( this.lastFinishedAt ?? 0 ) < started &&
			now - started < STALE_AFTER_MS
		) {
			return { due: false, reason: 'running' };
		}
		if (
			this.requestedAt !== null &&
			this.requestedAt >= ( started ?? 0 )
		) {
			return { due: true, reason: 'requested' };
		}
		const interval = this.shop.settings.pull_interval_minutes * 60_000;
		if ( interval === 0 ) {
			return { due: false, reason: 'interval_off' };
		}
		if (
			this.lastFinishedAt === null ||
			now - this.lastFinishedAt >= interval
		) {
			return { due: true, reason: 'interval' };
		}
		return { due: false, reason: 'not_yet' };
	}

	private applyOne(
		item: StockApplyRequest[ 'items' ][ number ]
	): StockApplyResult {
		const keycrmMode = this.shop.settings.stock_source === 'keycrm';
		const raw =
			keycrmMode && this.shop.settings.stock_apply === 'available'
				? item.in_stock - item.in_reserve
				: item.in_stock;
		const quantity = Math.floor( Math.max( 0, raw ) );
		const product = this.shop.bySku( item.sku );
		const base = { sku: item.sku, keycrm_quantity: quantity };
		if ( ! product ) {
			return { ...base, outcome: 'unknown', shop_stock: null };
		}
		if ( ! product.manageStock || product.stock === null ) {
			return { ...base, outcome: 'unmanaged', shop_stock: null };
		}
		if ( ! keycrmMode ) {
			const row = this.shop.rows.get( item.sku );
			const pending =
				row !== undefined &&
				row.version > row.syncedVersion &&
				row.state !== 'dead';
			const outcome = this.judge( pending, product.stock, quantity );
			return { ...base, outcome, shop_stock: product.stock };
		}
		if ( product.stock === quantity ) {
			return { ...base, outcome: 'unchanged', shop_stock: quantity };
		}
		// Applied without marking the outbox row dirty: the EchoGuard's net effect.
		product.stock = quantity;
		return { ...base, outcome: 'applied', shop_stock: quantity };
	}

	private judge(
		pending: boolean,
		shopStock: number,
		keycrm: number
	): StockApplyResult[ 'outcome' ] {
		if ( pending ) {
			return 'pending';
		}
		return shopStock === keycrm ? 'in_sync' : 'drift';
	}
}
