/**
 * Error notice with the server's message and an optional "Try again".
 */
import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { ApiError } from '../api/errors';

interface Props {
	error: ApiError;
	/** What failed, e.g. "Could not load the SKUs." */
	title: string;
	onRetry?: () => void;
}

/**
 * @param props         Error, heading and retry callback.
 * @param props.error
 * @param props.title
 * @param props.onRetry
 */
export function ErrorNotice( { error, title, onRetry }: Props ) {
	return (
		<Notice
			status="error"
			isDismissible={ false }
			className="keycrm-sync-notice"
		>
			<p>
				<strong>{ title }</strong>{ ' ' }
				{ error.status
					? sprintf(
							/* translators: 1: server's error message, 2: HTTP status code. */
							__( '%1$s (HTTP %2$d)', 'keycrm-sync' ),
							error.message,
							error.status
						)
					: error.message }
			</p>
			{ onRetry && (
				<Button variant="secondary" onClick={ onRetry }>
					{ __( 'Try again', 'keycrm-sync' ) }
				</Button>
			) }
		</Notice>
	);
}
