import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, del, post } from '../../api/client';
import type { Account } from '../../api/types';
import { fieldMessages } from './field-messages';
import { ACCOUNTS_KEY } from './queries';

export type AddAccountBusy = 'add' | 'check' | 'delete' | null;

/**
 * Adding an account of any type through POST /api/accounts. The server checks the secret with its
 * service at once and keeps a refused one as an inactive account: that account is held here as
 * `refused` (shown with the service's reason) and replaced when the corrected secret is sent again,
 * so fixing a typo never leaves a dead account behind. `fields` are the body's fields the form
 * shows: the server's messages about them go under them, anything else above the form.
 */
export function useAddAccount<F extends string>(fields: readonly F[], onAdded: (account: Account) => void) {
  const client = useQueryClient();
  const [busy, setBusy] = useState<AddAccountBusy>(null);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<F, string>>>({});
  const [error, setError] = useState<unknown>(null);
  const [refused, setRefused] = useState<Account | null>(null);

  const refresh = () => client.invalidateQueries({ queryKey: ACCOUNTS_KEY });

  /** The account either turned out active (done) or stays refused (shown with its reason). */
  const settle = (account: Account) => {
    if (account.status === 'active') {
      setRefused(null);
      onAdded(account);
    } else setRefused(account);
  };

  /** Shows the form's own problems (`local`) and stops there; otherwise sends `body`. Resolves to the account, if one was stored. */
  const add = async (local: Partial<Record<F, string>>, body: () => Record<string, unknown>): Promise<Account | undefined> => {
    setError(null);
    setFieldErrors(local);
    if (Object.keys(local).length) return undefined;
    setBusy('add');
    try {
      if (refused) await del(`/api/accounts/${refused.id}`).catch(() => undefined);
      setRefused(null);
      const account = await post<Account>('/api/accounts', body());
      await refresh();
      settle(account);
      return account;
    } catch (err) {
      const { fields: found, rest } = fieldMessages(err, fields);
      setFieldErrors(found as Partial<Record<F, string>>);
      if (rest) setError(err);
      return undefined;
    } finally {
      setBusy(null);
    }
  };

  const checkAgain = async () => {
    if (!refused) return;
    setBusy('check');
    setError(null);
    try {
      const account = await post<Account>(`/api/accounts/${refused.id}/check`);
      await refresh();
      settle(account);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const deleteRefused = async () => {
    if (!refused) return;
    setBusy('delete');
    setError(null);
    try {
      await del(`/api/accounts/${refused.id}`);
      setRefused(null);
      await refresh();
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) setRefused(null);
      else setError(err);
    } finally {
      setBusy(null);
    }
  };

  return { busy, fieldErrors, error, refused, add, checkAgain, deleteRefused };
}

export type AddAccount = ReturnType<typeof useAddAccount>;
