/**
 * The exact command that starts the sender, and the button that creates the dedicated sender
 * user and its application password (shown once, beside the command). The command reads the
 * password into the environment (`read -rs`): never on the command line, where `ps` and the shell
 * history would see it.
 */
import { Button, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { createSenderUser } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import type { PageData } from '../api/page-data';

/**
 * Builds the sender command line (POSIX shell): the application password is read into
 * KEYCRM_SYNC_APP_PASSWORD without echo, then the sender runs with the site and login.
 *
 * @param site Site URL.
 * @param user WordPress login of the sender user.
 */
export function senderCommand( site: string, user: string ): string {
	const quote = ( v: string ) =>
		/^[\w@%+=:,./-]+$/.test( v ) ? v : `'${ v.replace( /'/g, `'\\''` ) }'`;
	return `read -rsp 'Application password: ' KEYCRM_SYNC_APP_PASSWORD && export KEYCRM_SYNC_APP_PASSWORD && node keycrm-sync.mjs worker --site ${ quote( site ) } --user ${ quote( user ) }`;
}

interface Props {
	page: PageData;
	/** Show the "Create sender user and application password" button (administrators). */
	allowCreate: boolean;
}

/**
 * @param props             Page data and whether the button is shown.
 * @param props.page
 * @param props.allowCreate
 */
export function SenderCommand( { page, allowCreate }: Props ) {
	const [ created, setCreated ] = useState< {
		login: string;
		password: string;
	} | null >( null );
	const [ busy, setBusy ] = useState( false );
	const [ error, setError ] = useState< ApiError | null >( null );

	const create = async () => {
		setBusy( true );
		setError( null );
		try {
			const res = await createSenderUser();
			setCreated( { login: res.user_login, password: res.password } );
		} catch ( thrown ) {
			setError( toApiError( thrown ) );
		} finally {
			setBusy( false );
		}
	};

	const command = senderCommand(
		page.siteUrl,
		created?.login ?? page.senderLogin
	);
	const password = created?.password ?? null;
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
					<p>
						{ __(
							'Application password of the sender user (shown only once; paste it when the command asks for it, or put it in the service’s environment file):',
							'keycrm-sync'
						) }
					</p>
					<code data-testid="sender-app-password">{ password }</code>
				</Notice>
			) }
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ __(
						'Could not create the sender user and its application password:',
						'keycrm-sync'
					) }{ ' ' }
					{ error.message }
				</Notice>
			) }
			{ allowCreate && page.canCreateSender && ! password && (
				<Button
					variant="secondary"
					onClick={ create }
					isBusy={ busy }
					disabled={ busy || ! page.appPasswords }
				>
					{ __(
						'Create sender user and application password',
						'keycrm-sync'
					) }
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
