import type { Catalog, Connection } from '../../api/types';
import type { Draft } from './draft';
import type { StepName } from './steps';

/** What every step gets from the wizard: the draft and how to change it, the catalog, the saved connection (once there is one), and how to move on. */
export interface StepProps {
  draft: Draft;
  update: (change: (d: Draft) => Draft) => void;
  catalog: Catalog;
  connection: Connection | undefined;
  go: (step: StepName) => void;
}
