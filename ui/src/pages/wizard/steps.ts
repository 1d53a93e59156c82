/** The wizard's steps in order. The names are in the URL (`?step=mapping`) and on each step's root (`data-step`): never rename them. */
export const STEPS = ['source', 'action', 'account', 'mapping', 'test', 'schedule'] as const;
export type StepName = (typeof STEPS)[number];

export const isStep = (value: string | null): value is StepName => (STEPS as readonly (string | null)[]).includes(value);

/** The preview, the test send and the schedule work on the saved connection, so they wait for its first save (the mapping step's "Next"). */
export const needsSavedConnection = (step: StepName): boolean => step === 'test' || step === 'schedule';
