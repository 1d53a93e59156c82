import { quote } from './field-error.js';
import { fail, ok, type Result } from './result.js';

/**
 * ISO 3166-1 alpha-2 country codes, the form Stripe's `country` fields take, plus XK (Kosovo),
 * which Stripe uses although ISO has not assigned it. Stripe refuses any other code ("Country 'UK'
 * is unknown"), so Sluice refuses it first, with the row's own error, instead of sending it.
 */
const COUNTRIES: ReadonlySet<string> = new Set(
  (
    'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
    'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
    'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP ' +
    'KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT ' +
    'MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
    'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG ' +
    'UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
  ).split(' '),
);

/** Codes people type that look right but are not ISO's, with the one they mean. */
const MISTAKES: Readonly<Record<string, string>> = { UK: 'GB (the United Kingdom)', EL: 'GR (Greece)' };

const ALLOWED = 'a two-letter country code (ISO 3166-1 alpha-2) such as UA or US';

/** Reads a country code in any case (`ua`, ` UA `) into Stripe's form, `UA`. */
export function parseCountry(text: string): Result<string> {
  const code = text.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(code)) return fail(`${quote(text)} is not ${ALLOWED}`);
  if (COUNTRIES.has(code)) return ok(code);
  const meant = MISTAKES[code];
  return fail(`${quote(text)} is not a country code in ISO 3166-1; ${meant ? `use ${meant}` : `use ${ALLOWED}`}`);
}
