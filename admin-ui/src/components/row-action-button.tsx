/**
 * The small per-row action button of a SKU table (Retry, Re-queue): busy on its own row,
 * disabled while any row's action runs.
 */
import { Button } from '@wordpress/components';

interface Props {
	sku: string;
	/** SKU whose action is running, or null. */
	busySku: string | null;
	onRun: ( sku: string ) => void;
	/** Visible text. */
	label: string;
	/** Accessible name naming the SKU. */
	ariaLabel: string;
}

/**
 * @param props           Row SKU, running SKU, callback and texts.
 * @param props.sku
 * @param props.busySku
 * @param props.onRun
 * @param props.label
 * @param props.ariaLabel
 */
export function RowActionButton( {
	sku,
	busySku,
	onRun,
	label,
	ariaLabel,
}: Props ) {
	return (
		<Button
			variant="secondary"
			size="small"
			isBusy={ busySku === sku }
			disabled={ busySku !== null }
			onClick={ () => onRun( sku ) }
			aria-label={ ariaLabel }
		>
			{ label }
		</Button>
	);
}
