/**
 * Settings: keyCRM account, what to sync, rate budget, the webhook URL (made and shown once) and
 * the sender command.
 */
import {
	Button,
	Card,
	CardBody,
	CardHeader,
	Notice,
	Spinner,
} from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import {
	describeIssues,
	SettingsUpdate,
	type PublicSettings,
} from '@keycrm-sync/contract';
import { getSettings, saveSettings } from '../api/client';
import { toApiError, type ApiError } from '../api/errors';
import type { PageData } from '../api/page-data';
import { ErrorNotice } from '../components/error-notice';
import { SenderCommand } from '../components/sender-command';
import { SuccessNotice } from '../components/success-notice';
import { useRequest } from '../hooks/use-request';
import { SettingsFields, toDraft, type SettingsDraft } from './settings-form';
import { WebhookCard } from './webhook-card';

/**
 * Turns the draft into a PUT body; the API key only when typed. Returns the validation message
 * of the first invalid field instead when the draft does not fit the contract.
 *
 * @param draft Form state.
 */
export function draftToUpdate(
	draft: SettingsDraft
): { ok: true; update: SettingsUpdate } | { ok: false; message: string } {
	const toInt = ( v: string ) => ( v.trim() === '' ? NaN : Number( v ) );
	const { api_key: apiKey, ...rest } = draft;
	const candidate = {
		...rest,
		warehouse_id:
			draft.warehouse_id.trim() === ''
				? null
				: toInt( draft.warehouse_id ),
		rate_per_minute: toInt( draft.rate_per_minute ),
		pull_interval_minutes: toInt( draft.pull_interval_minutes ),
		max_attempts: toInt( draft.max_attempts ),
		untracked_stock:
			draft.untracked_stock.trim() === ''
				? null
				: toInt( draft.untracked_stock ),
		...( apiKey.trim() !== '' ? { api_key: apiKey.trim() } : {} ),
	};
	const parsed = SettingsUpdate.safeParse( candidate );
	if ( ! parsed.success ) {
		return { ok: false, message: describeIssues( parsed.error.issues ) };
	}
	return { ok: true, update: parsed.data };
}

/**
 * @param props      Page data.
 * @param props.page Page data (site URL, user login).
 */
export function SettingsScreen( { page }: { page: PageData } ) {
	const {
		state: req,
		reload,
		setData,
	} = useRequest< PublicSettings >( ( signal ) => getSettings( signal ), [] );
	const [ draft, setDraft ] = useState< SettingsDraft | null >( null );
	const [ saving, setSaving ] = useState< 'save' | 'clear' | null >( null );
	const [ error, setError ] = useState< ApiError | null >( null );
	const [ invalid, setInvalid ] = useState( '' );
	const [ saved, setSaved ] = useState( '' );

	useEffect( () => {
		if ( req.status === 'ready' ) {
			setDraft( ( prev ) => prev ?? toDraft( req.data ) );
		}
	}, [ req ] );

	if ( req.status === 'error' && ! req.data ) {
		return (
			<ErrorNotice
				error={ req.error }
				title={ __( 'Could not load the settings.', 'keycrm-sync' ) }
				onRetry={ reload }
			/>
		);
	}
	if ( ! req.data || ! draft ) {
		return (
			<Spinner aria-label={ __( 'Loading settings…', 'keycrm-sync' ) } />
		);
	}
	const settings = req.data;

	const put = async (
		kind: 'save' | 'clear',
		update: SettingsUpdate,
		done: string
	) => {
		setSaving( kind );
		setError( null );
		setSaved( '' );
		try {
			const next = await saveSettings( update );
			setData( next );
			setDraft( toDraft( next ) );
			setSaved( done );
		} catch ( thrown ) {
			setError( toApiError( thrown ) );
		} finally {
			setSaving( null );
		}
	};
	const submit = () => {
		const result = draftToUpdate( draft );
		setInvalid( result.ok ? '' : result.message );
		if ( result.ok ) {
			void put(
				'save',
				result.update,
				__( 'Settings saved.', 'keycrm-sync' )
			);
		}
	};

	return (
		<div className="keycrm-sync-settings">
			<SuccessNotice
				message={ saved }
				onDismiss={ () => setSaved( '' ) }
			/>
			{ error && (
				<ErrorNotice
					error={ error }
					title={ __(
						'Could not save the settings.',
						'keycrm-sync'
					) }
				/>
			) }
			{ invalid && (
				<Notice status="error" isDismissible={ false }>
					{ __( 'Please correct this field:', 'keycrm-sync' ) }{ ' ' }
					{ invalid }
				</Notice>
			) }
			<Card>
				<CardHeader>
					<h2>{ __( 'Settings', 'keycrm-sync' ) }</h2>
				</CardHeader>
				<CardBody>
					<form
						noValidate
						onSubmit={ ( e ) => {
							e.preventDefault();
							submit();
						} }
					>
						<SettingsFields
							draft={ draft }
							apiKeySet={ settings.api_key_set }
							onChange={ ( patch ) =>
								setDraft( { ...draft, ...patch } )
							}
						/>
						<div className="keycrm-sync-actions">
							<Button
								variant="primary"
								type="submit"
								isBusy={ saving === 'save' }
								disabled={ saving !== null }
							>
								{ __( 'Save settings', 'keycrm-sync' ) }
							</Button>
							{ settings.api_key_set && (
								<Button
									variant="tertiary"
									isDestructive
									disabled={ saving !== null }
									onClick={ () =>
										put(
											'clear',
											{ api_key: '' },
											__(
												'The API key was removed.',
												'keycrm-sync'
											)
										)
									}
								>
									{ __(
										'Remove stored API key',
										'keycrm-sync'
									) }
								</Button>
							) }
						</div>
					</form>
				</CardBody>
			</Card>
			<WebhookCard
				secretSet={ settings.webhook_secret_set }
				canRotate={ page.canRotateWebhook }
			/>
			<Card>
				<CardHeader>
					<h2>{ __( 'Start the sender', 'keycrm-sync' ) }</h2>
				</CardHeader>
				<CardBody>
					<p className="description">
						{ __(
							'The sender drains the queue into keyCRM. It logs in as you with an application password.',
							'keycrm-sync'
						) }
					</p>
					<SenderCommand page={ page } allowCreate />
				</CardBody>
			</Card>
		</div>
	);
}
