/**
 * Table of keyCRM SKUs the shop cannot take (unknown / unmanaged) or whose stock drifted
 * (column definitions for SkuTable).
 */
import { __, sprintf } from '@wordpress/i18n';

import type { RemoteSku } from '@keycrm-sync/contract';
import type { RemoteSkuList } from '../api/client';
import { SkuTable, type SkuColumn } from '../components/sku-table';
import { formatAgo, formatNumber } from '../format';

interface Props {
	list: RemoteSkuList;
	items: RemoteSku[];
	caption: string;
	/** SKU being re-queued (drift only). */
	requeueing?: string | null;
	/** Drift only: re-queue one SKU. */
	onRequeue?: ( sku: string ) => void;
}

function ProductCell( { item }: { item: RemoteSku } ) {
	if ( item.product_id === null ) {
		return <>—</>;
	}
	const label = sprintf(
		/* translators: %d: product ID. */
		__( 'Product #%d', 'keycrm-sync' ),
		item.product_id
	);
	return item.edit_url ? <a href={ item.edit_url }>{ label }</a> : label;
}

/**
 * The columns of one list.
 *
 * @param list Which list.
 */
function columns( list: RemoteSkuList ): SkuColumn< RemoteSku >[] {
	const drift = list === 'drift';
	return [
		{
			key: 'sku',
			header: __( 'SKU', 'keycrm-sync' ),
			cell: ( item ) => <code>{ item.sku }</code>,
		},
		list === 'unknown'
			? {
					key: 'offer',
					header: __( 'keyCRM offer', 'keycrm-sync' ),
					cell: ( item ) => formatNumber( item.offer_id ),
				}
			: {
					key: 'product',
					header: __( 'Product', 'keycrm-sync' ),
					cell: ( item ) => <ProductCell item={ item } />,
				},
		{
			key: 'in_stock',
			header: __( 'keyCRM in stock', 'keycrm-sync' ),
			cell: ( item ) => formatNumber( item.keycrm_in_stock ),
		},
		drift
			? {
					key: 'shop_stock',
					header: __( 'Shop stock', 'keycrm-sync' ),
					cell: ( item ) => formatNumber( item.shop_stock ),
				}
			: {
					key: 'reserved',
					header: __( 'keyCRM reserved', 'keycrm-sync' ),
					cell: ( item ) => formatNumber( item.keycrm_in_reserve ),
				},
		{
			key: 'last_seen',
			header: __( 'Last seen', 'keycrm-sync' ),
			cell: ( item ) => formatAgo( item.last_seen_at ),
		},
	];
}

/**
 * @param props            Rows and how to show them.
 * @param props.list       Which list the rows are from.
 * @param props.items      Rows.
 * @param props.caption    Table caption (screen readers).
 * @param props.requeueing SKU being re-queued.
 * @param props.onRequeue  Re-queue callback (drift list).
 */
export function RemoteSkuTable( {
	list,
	items,
	caption,
	requeueing = null,
	onRequeue,
}: Props ) {
	return (
		<SkuTable
			caption={ caption }
			columns={ columns( list ) }
			rows={ items }
			action={
				list === 'drift' && onRequeue
					? {
							header: __( 'Actions', 'keycrm-sync' ),
							label: __( 'Re-queue', 'keycrm-sync' ),
							ariaLabel: ( item ) =>
								sprintf(
									/* translators: %s: SKU. */
									__( 'Re-queue %s', 'keycrm-sync' ),
									item.sku
								),
							busySku: requeueing,
							onRun: onRequeue,
						}
					: undefined
			}
		/>
	);
}
