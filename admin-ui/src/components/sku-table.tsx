/**
 * The one SKU table of the admin app (Items, and the keyCRM SKU lists of the Stock from keyCRM
 * tab): a `<table>` with a screen-reader caption, `<th scope="col">` headers, one row per SKU
 * built from column definitions, and an optional per-row action (Retry, Re-queue).
 */
import type { ReactNode } from 'react';

import { RowActionButton } from './row-action-button';

/** One column: its header and how a row fills its cell. */
export interface SkuColumn< Row > {
	/** Stable key (React). */
	key: string;
	header: ReactNode;
	cell: ( row: Row ) => ReactNode;
	/** Class of the cells. */
	className?: string;
}

/** The per-row action, in a last column. */
export interface SkuRowAction< Row > {
	/** Header of the action column. */
	header: ReactNode;
	/** Visible text of the button. */
	label: string;
	/** Accessible name of the button (names the SKU). */
	ariaLabel: ( row: Row ) => string;
	/** Whether the row has the action (default: every row). */
	visible?: ( row: Row ) => boolean;
	/** SKU whose action is running, or null. */
	busySku: string | null;
	onRun: ( sku: string ) => void;
}

interface Props< Row extends { sku: string } > {
	/** Caption for screen readers. */
	caption: string;
	columns: SkuColumn< Row >[];
	rows: Row[];
	action?: SkuRowAction< Row >;
}

/**
 * @param props         Caption, columns, rows and the row action.
 * @param props.caption
 * @param props.columns
 * @param props.rows
 * @param props.action
 */
export function SkuTable< Row extends { sku: string } >( {
	caption,
	columns,
	rows,
	action,
}: Props< Row > ) {
	return (
		<table className="widefat striped keycrm-sync-table">
			<caption className="screen-reader-text">{ caption }</caption>
			<thead>
				<tr>
					{ columns.map( ( column ) => (
						<th key={ column.key } scope="col">
							{ column.header }
						</th>
					) ) }
					{ action && <th scope="col">{ action.header }</th> }
				</tr>
			</thead>
			<tbody>
				{ rows.map( ( row ) => (
					<tr key={ row.sku }>
						{ columns.map( ( column ) => (
							<td
								key={ column.key }
								className={ column.className }
							>
								{ column.cell( row ) }
							</td>
						) ) }
						{ action && (
							<td>
								{ ( action.visible?.( row ) ?? true ) && (
									<RowActionButton
										sku={ row.sku }
										busySku={ action.busySku }
										onRun={ action.onRun }
										label={ action.label }
										ariaLabel={ action.ariaLabel( row ) }
									/>
								) }
							</td>
						) }
					</tr>
				) ) }
			</tbody>
		</table>
	);
}
