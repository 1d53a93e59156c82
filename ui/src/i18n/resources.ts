// Every text of the UI comes from these catalogs, one file a part of the app, the same keys in each
// language (test/ui-catalogs.test.ts checks that). English is the reference: its keys are the types.
import enAccounts from './en/accounts.json';
import enAuth from './en/auth.json';
import enCommon from './en/common.json';
import enDashboard from './en/dashboard.json';
import enRuns from './en/runs.json';
import enWizard from './en/wizard.json';
import ukAccounts from './uk/accounts.json';
import ukAuth from './uk/auth.json';
import ukCommon from './uk/common.json';
import ukDashboard from './uk/dashboard.json';
import ukRuns from './uk/runs.json';
import ukWizard from './uk/wizard.json';

export const en = { common: enCommon, auth: enAuth, dashboard: enDashboard, wizard: enWizard, runs: enRuns, accounts: enAccounts };
export const uk = { common: ukCommon, auth: ukAuth, dashboard: ukDashboard, wizard: ukWizard, runs: ukRuns, accounts: ukAccounts };

export const LANGUAGES = ['en', 'uk'] as const;
export type Language = (typeof LANGUAGES)[number];
/** The locale used for dates, numbers and money in each language. */
export const LOCALES: Record<Language, string> = { en: 'en-US', uk: 'uk-UA' };
