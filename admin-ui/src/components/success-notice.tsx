/**
 * A dismissible success notice inside a polite live region, so screen readers announce it.
 */
import { Notice } from '@wordpress/components';

interface Props {
	/** Text to show; nothing is shown when empty. */
	message: string;
	/** Clears the message. */
	onDismiss: () => void;
	/** Class of the live region. */
	className?: string;
}

/**
 * @param props           Message, dismiss callback and live-region class.
 * @param props.message
 * @param props.onDismiss
 * @param props.className
 */
export function SuccessNotice( { message, onDismiss, className }: Props ) {
	return (
		<div aria-live="polite" className={ className }>
			{ message && (
				<Notice status="success" onRemove={ onDismiss }>
					{ message }
				</Notice>
			) }
		</div>
	);
}
