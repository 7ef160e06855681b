/**
 * keyCRM's stock webhook: the URL (it carries a secret) is shown once, right after an
 * administrator makes a new secret; the settings never return it. Rotating asks first, because
 * the old URL stops working at once.
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
} from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { rotateWebhookSecret } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import { ErrorNotice } from '../components/error-notice';

interface Props {
	/** A secret is stored (a webhook URL exists). */
	secretSet: boolean;
	/** The current user may make a new secret (administrators). */
	canRotate: boolean;
}

/**
 * Copies text with the Clipboard API; false when the browser refuses (no HTTPS, no permission).
 *
 * @param text Text to copy.
 */
async function copyText( text: string ): Promise< boolean > {
	try {
		await navigator.clipboard.writeText( text );
		return true;
	} catch {
		return false;
	}
}

/**
 * @param props           Whether a secret is set and whether the user may rotate it.
 * @param props.secretSet
 * @param props.canRotate
 */
export function WebhookCard( { secretSet, canRotate }: Props ) {
	const [ url, setUrl ] = useState< string | null >( null );
	const [ confirming, setConfirming ] = useState( false );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState< ApiError | null >( null );
	const [ copied, setCopied ] = useState< 'yes' | 'no' | null >( null );
	const hasSecret = secretSet || url !== null;

	const rotate = async () => {
		setBusy( true );
		setError( null );
		setCopied( null );
		try {
			const res = await rotateWebhookSecret();
			setUrl( res.webhook_url );
			setConfirming( false );
		} catch ( thrown ) {
			setError( toApiError( thrown ) );
		} finally {
			setBusy( false );
		}
	};

	return (
		<Card>
			<CardHeader>
				<h2>{ __( 'keyCRM stock webhook', 'keycrm-sync' ) }</h2>
			</CardHeader>
			<CardBody>
				<p className="description">
					{ __(
						'In keyCRM, add a webhook for stock changes with the URL made here. The URL contains a secret: anyone who has it can set the stock of every product, so it appears here only once, right after it is made.',
						'keycrm-sync'
					) }
				</p>
				{ url !== null && (
					<Notice status="warning" isDismissible={ false }>
						<p>
							{ __(
								'Copy this URL into keyCRM now. It will not be shown again; if it is lost, make a new one.',
								'keycrm-sync'
							) }
						</p>
						<pre
							tabIndex={ 0 }
							aria-label={ __( 'Webhook URL', 'keycrm-sync' ) }
						>
							<code>{ url }</code>
						</pre>
						<Button
							variant="secondary"
							onClick={ () =>
								void copyText( url ).then( ( ok ) =>
									setCopied( ok ? 'yes' : 'no' )
								)
							}
						>
							{ __( 'Copy URL', 'keycrm-sync' ) }
						</Button>
						<span aria-live="polite">
							{ copied === 'yes' &&
								__( 'Copied.', 'keycrm-sync' ) }
							{ copied === 'no' &&
								__(
									'The browser did not allow copying; select the URL and copy it.',
									'keycrm-sync'
								) }
						</span>
					</Notice>
				) }
				{ url === null && (
					<p>
						{ secretSet
							? __(
									'A webhook URL exists. It is not shown again.',
									'keycrm-sync'
								)
							: __( 'No webhook URL yet.', 'keycrm-sync' ) }
					</p>
				) }
				{ error && (
					<ErrorNotice
						error={ error }
						title={ __(
							'Could not make a new webhook URL.',
							'keycrm-sync'
						) }
					/>
				) }
				{ ! canRotate && (
					<p className="description">
						{ __(
							'Only an administrator can make a new webhook URL.',
							'keycrm-sync'
						) }
					</p>
				) }
				{ canRotate && confirming && (
					<Notice status="warning" isDismissible={ false }>
						<p>
							{ __(
								'The current URL stops working at once: keyCRM’s stock changes are refused until the new URL is pasted into keyCRM. Make a new URL?',
								'keycrm-sync'
							) }
						</p>
						<Button
							variant="primary"
							isDestructive
							isBusy={ busy }
							disabled={ busy }
							onClick={ () => void rotate() }
						>
							{ __( 'Yes, make a new URL', 'keycrm-sync' ) }
						</Button>{ ' ' }
						<Button
							variant="tertiary"
							disabled={ busy }
							onClick={ () => setConfirming( false ) }
						>
							{ __( 'Cancel', 'keycrm-sync' ) }
						</Button>
					</Notice>
				) }
				{ canRotate && ! confirming && (
					<Button
						variant="secondary"
						isBusy={ busy }
						disabled={ busy }
						onClick={ () =>
							hasSecret ? setConfirming( true ) : void rotate()
						}
					>
						{ hasSecret
							? __( 'Rotate secret', 'keycrm-sync' )
							: __( 'Make webhook URL', 'keycrm-sync' ) }
					</Button>
				) }
			</CardBody>
		</Card>
	);
}
