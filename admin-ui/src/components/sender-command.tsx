/**
 * The exact command that starts the sender, and the button that creates an application password
 * for the current user (shown once, inside the command).
 */
import { Button, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { createAppPassword } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import type { PageData } from '../api/page-data';

/** Placeholder shown in the command until a password is created. */
export const PASSWORD_PLACEHOLDER = '<application-password>';

/**
 * Builds the sender command line (POSIX shell quoting).
 *
 * @param site     Site URL.
 * @param user     WordPress login.
 * @param password Application password or the placeholder.
 */
export function senderCommand(
	site: string,
	user: string,
	password: string
): string {
	const quote = ( v: string ) =>
		/^[\w@%+=:,./-]+$/.test( v ) ? v : `'${ v.replace( /'/g, `'\\''` ) }'`;
	return `node keycrm-sync.mjs worker --site ${ quote( site ) } --user ${ quote( user ) } --app-password ${
		password === PASSWORD_PLACEHOLDER ? password : quote( password )
	}`;
}

interface Props {
	page: PageData;
	/** Show the "Create application password" button. */
	allowCreate: boolean;
}

/**
 * @param props             Page data and whether the button is shown.
 * @param props.page
 * @param props.allowCreate
 */
export function SenderCommand( { page, allowCreate }: Props ) {
	const [ password, setPassword ] = useState< string | null >( null );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState< ApiError | null >( null );

	const create = async () => {
		setBusy( true );
		setError( null );
		try {
			const created = await createAppPassword(
				`keyCRM Sync sender ${ new Date().toISOString().slice( 0, 10 ) }`
			);
			setPassword( created.password );
		} catch ( thrown ) {
			setError( toApiError( thrown ) );
		} finally {
			setBusy( false );
		}
	};

	const command = senderCommand(
		page.siteUrl,
		page.userLogin,
		password ?? PASSWORD_PLACEHOLDER
	);
	return (
		<div className="keycrm-sync-command">
			<pre
				tabIndex={ 0 }
				aria-label={ __(
					'Command that starts the sender',
					'keycrm-sync'
				) }
			>
				<code>{ command }</code>
			</pre>
			<p className="description">
				{ __(
					'keycrm-sync.mjs is the one-file sender shipped beside the plugin zip. Run the command in its folder on any computer with Node.js 20 that can reach this site, and keep it running (e.g. as a systemd service).',
					'keycrm-sync'
				) }
			</p>
			{ password && (
				<Notice status="warning" isDismissible={ false }>
					{ __(
						'This application password is shown only once. Copy the command now; you can revoke the password in your profile.',
						'keycrm-sync'
					) }
				</Notice>
			) }
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ __(
						'Could not create an application password:',
						'keycrm-sync'
					) }{ ' ' }
					{ error.message }
				</Notice>
			) }
			{ allowCreate && ! password && (
				<Button
					variant="secondary"
					onClick={ create }
					isBusy={ busy }
					disabled={ busy || ! page.appPasswords }
				>
					{ __( 'Create application password', 'keycrm-sync' ) }
				</Button>
			) }
			{ ! page.appPasswords && (
				<p className="description">
					{ __(
						'Application passwords are disabled on this site (they need HTTPS or a local environment).',
						'keycrm-sync'
					) }
				</p>
			) }
		</div>
	);
}
