import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client';
import type { Catalog, Connection } from '../../api/types';
import { Alert, ErrorAlert, PageHeader, Spinner } from '../../components/ui';
import { AccountStep } from './AccountStep';
import { ActionStep } from './ActionStep';
import { draftOf, emptyDraft, type Draft } from './draft';
import { MappingStep } from './MappingStep';
import { keys, useCatalog, useConnection } from './queries';
import { ScheduleStep } from './ScheduleStep';
import { SourceStep } from './SourceStep';
import type { StepProps } from './step-props';
import { Stepper } from './Stepper';
import { isStep, needsSavedConnection, STEPS, type StepName } from './steps';
import { TestStep } from './TestStep';

/**
 * The draft of a connection just created, handed from /connections/new to its /connections/:id/edit
 * page (a page of its own), so that what only the wizard holds (an uploaded file's name, the form
 * fields typed) survives the move.
 */
let handoff: { id: string; draft: Draft } | undefined;

/** /connections/new and /connections/:id/edit, the step in `?step=`. */
export function WizardPage() {
  const { id } = useParams();
  return <Wizard key={id ?? 'new'} id={id} />;
}

function Wizard({ id }: { id: string | undefined }) {
  const { t } = useTranslation('wizard');
  const catalog = useCatalog();
  const connection = useConnection(id);
  const title = id ? t('page.editTitle') : t('page.newTitle');
  if (catalog.error || connection.error) {
    const missing = connection.error instanceof ApiError && connection.error.status === 404;
    return (
      <>
        <PageHeader title={title} />
        {missing ? (
          <Alert kind="error">
            <p>{t('page.notFound')}</p>
            <Link to="/">{t('page.toDashboard')}</Link>
          </Alert>
        ) : (
          <ErrorAlert error={catalog.error ?? connection.error} />
        )}
      </>
    );
  }
  if (!catalog.data || (id !== undefined && !connection.data)) {
    return (
      <>
        <PageHeader title={title} />
        <Spinner />
      </>
    );
  }
  return <WizardSteps catalog={catalog.data} connection={connection.data} />;
}

function WizardSteps({ catalog, connection }: { catalog: Catalog; connection: Connection | undefined }) {
  const { t } = useTranslation('wizard');
  const navigate = useNavigate();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const handedOver = useRef(connection !== undefined && handoff?.id === connection.id);
  const [draft, setDraft] = useState<Draft>(() =>
    handedOver.current && handoff ? handoff.draft : connection ? draftOf(connection) : emptyDraft(),
  );
  useEffect(() => {
    if (handedOver.current) handoff = undefined;
  }, []);
  const update = useCallback((change: (d: Draft) => Draft) => setDraft(change), []);

  const requested = params.get('step');
  // A new connection has nothing to test or schedule until the mapping step saves it.
  const step: StepName = !isStep(requested) ? 'source' : !connection && needsSavedConnection(requested) ? 'mapping' : requested;
  const index = STEPS.indexOf(step);
  const [furthest, setFurthest] = useState(() => Math.max(index, connection ? STEPS.indexOf('test') : 0));
  useEffect(() => setFurthest((f) => Math.max(f, index)), [index]);

  const go = useCallback((next: StepName) => setParams({ step: next }), [setParams]);

  // The new step's heading takes the focus, so that a screen reader starts reading there. After a
  // frame: the app focuses <main> when the path changes (new → edit), and this must come after.
  const root = useRef<HTMLDivElement>(null);
  // On arrival the page's own focus handling applies, except right after the first save, which is a step change too.
  const first = useRef(!handedOver.current);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    const frame = requestAnimationFrame(() => {
      root.current?.querySelector<HTMLElement>('[data-step] h2')?.focus();
      window.scrollTo({ top: 0 });
    });
    return () => cancelAnimationFrame(frame);
  }, [step, connection?.id]);

  const onSaved = (saved: Connection, savedDraft?: Draft) => {
    client.setQueryData(keys.connection(saved.id), saved);
    void client.invalidateQueries({ queryKey: keys.connections });
    if (savedDraft) setDraft(savedDraft);
    if (!connection) {
      handoff = { id: saved.id, draft: savedDraft ?? draft };
      navigate(`/connections/${saved.id}/edit?step=test`, { replace: true });
    } else if (savedDraft) {
      go('test');
    }
  };

  const props: StepProps = { draft, update, catalog, connection, go };
  const isDone = (s: StepName) => STEPS.indexOf(s) < Math.max(index, connection ? STEPS.indexOf('mapping') + 1 : furthest);
  const canGo = (s: StepName) => (connection ? true : STEPS.indexOf(s) <= furthest && !needsSavedConnection(s));

  return (
    <div className="wizard" ref={root}>
      <PageHeader title={connection ? t('page.editTitleNamed', { name: connection.name }) : t('page.newTitle')} />
      <Stepper current={step} isDone={isDone} canGo={canGo} />
      {step === 'source' && <SourceStep {...props} />}
      {step === 'action' && <ActionStep {...props} />}
      {step === 'account' && <AccountStep {...props} />}
      {step === 'mapping' && <MappingStep {...props} onSaved={(saved, d) => onSaved(saved, d)} />}
      {step === 'test' && connection && <TestStep {...props} connection={connection} />}
      {step === 'schedule' && connection && <ScheduleStep {...props} connection={connection} onSaved={(saved) => onSaved(saved)} />}
    </div>
  );
}
