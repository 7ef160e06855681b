/**
 * The per-SKU table of the Items screen (column definitions for SkuTable).
 */
import { __, sprintf } from '@wordpress/i18n';

import type { Item } from '@keycrm-sync/contract';
import { SkuTable, type SkuColumn } from '../components/sku-table';
import { StateBadge } from '../components/state-badge';
import { formatDateTime, formatNumber } from '../format';

interface Props {
	items: Item[];
	retrying: string | null;
	onRetry: ( sku: string ) => void;
}

/** The columns (built at render: translations are loaded by then). */
const columns = (): SkuColumn< Item >[] => [
	{
		key: 'sku',
		header: __( 'SKU', 'keycrm-sync' ),
		cell: ( item ) => <code>{ item.sku }</code>,
	},
	{
		key: 'product',
		header: __( 'Product', 'keycrm-sync' ),
		cell: ( item ) =>
			item.edit_url ? (
				<a href={ item.edit_url }>
					{ item.product_name ?? `#${ item.product_id ?? '' }` }
				</a>
			) : (
				( item.product_name ?? __( '(deleted)', 'keycrm-sync' ) )
			),
	},
	{
		key: 'type',
		header: __( 'Type', 'keycrm-sync' ),
		cell: ( item ) => item.type ?? '—',
	},
	{
		key: 'shop_stock',
		header: __( 'Shop stock', 'keycrm-sync' ),
		cell: ( item ) => formatNumber( item.shop_stock ),
	},
	{
		key: 'pushed_stock',
		header: __( 'Pushed stock', 'keycrm-sync' ),
		cell: ( item ) => formatNumber( item.pushed_stock ),
	},
	{
		key: 'ids',
		header: __( 'keyCRM ids', 'keycrm-sync' ),
		cell: ( item ) =>
			item.keycrm_product_id || item.keycrm_offer_id
				? sprintf(
						/* translators: 1: keyCRM product id, 2: keyCRM offer id. */
						__( 'product %1$s / offer %2$s', 'keycrm-sync' ),
						String( item.keycrm_product_id ?? '—' ),
						String( item.keycrm_offer_id ?? '—' )
					)
				: '—',
	},
	{
		key: 'state',
		header: __( 'State', 'keycrm-sync' ),
		cell: ( item ) => (
			<>
				<StateBadge state={ item.state } />
				{ item.dirty &&
					( item.state === 'synced' || item.state === 'skipped' ) && (
						<span className="keycrm-sync-dirty">
							{ ' ' }
							{ __( '(changed since)', 'keycrm-sync' ) }
						</span>
					) }
			</>
		),
	},
	{
		key: 'synced_at',
		header: __( 'Last sync', 'keycrm-sync' ),
		cell: ( item ) => formatDateTime( item.synced_at ),
	},
	{
		key: 'error',
		header: __( 'Last error', 'keycrm-sync' ),
		className: 'keycrm-sync-error',
		cell: ( item ) => (
			<>
				{ item.last_error ?? '' }
				{ item.last_error_code && (
					<small> ({ item.last_error_code })</small>
				) }
			</>
		),
	},
];

/**
 * @param props          Rows, the SKU being retried and the retry callback.
 * @param props.items
 * @param props.retrying
 * @param props.onRetry
 */
export function ItemsTable( { items, retrying, onRetry }: Props ) {
	return (
		<SkuTable
			caption={ __( 'SKUs and their sync state', 'keycrm-sync' ) }
			columns={ columns() }
			rows={ items }
			action={ {
				header: (
					<span className="screen-reader-text">
						{ __( 'Actions', 'keycrm-sync' ) }
					</span>
				),
				label: __( 'Retry', 'keycrm-sync' ),
				ariaLabel: ( item ) =>
					sprintf(
						/* translators: %s: SKU. */
						__( 'Retry %s', 'keycrm-sync' ),
						item.sku
					),
				visible: ( item ) =>
					item.state === 'failed' || item.state === 'dead',
				busySku: retrying,
				onRun: onRetry,
			} }
		/>
	);
}
