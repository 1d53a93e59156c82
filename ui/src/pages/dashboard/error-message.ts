import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';

/** An error as one sentence for people: the server's own message, or "Sluice cannot be reached". */
export function useErrorMessage() {
  const { t } = useTranslation();
  return (error: unknown) => (error instanceof ApiError && error.status === 0 ? t('errors.network') : (error as Error).message);
}
