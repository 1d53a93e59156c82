import { invalidArgument, invalidEnum } from './errors.js';

/**
 * A cell as the emulator keeps it. Google keeps a typed value plus a number format and renders it
 * three ways; the emulator keeps the value and the text Google would display, which is enough to
 * answer FORMATTED_VALUE, UNFORMATTED_VALUE and FORMULA consistently. Formulas are stored, never
 * evaluated: every render option shows a formula cell as its formula text.
 */
export type CellValue = string | number | boolean;

export interface Cell {
  value: CellValue;
  /** What FORMATTED_VALUE returns. */
  formatted: string;
  formula?: string;
}

export const VALUE_INPUT_OPTIONS = ['RAW', 'USER_ENTERED'] as const;
export type ValueInputOption = (typeof VALUE_INPUT_OPTIONS)[number];
export const VALUE_RENDER_OPTIONS = ['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'] as const;
export type ValueRenderOption = (typeof VALUE_RENDER_OPTIONS)[number];

/** What a value in a write does to its cell: set it, clear it (''), or leave it as it is (null). */
export type CellWrite = { kind: 'set'; cell: Cell } | { kind: 'clear' } | { kind: 'skip' };

/**
 * Reads one value of a write's `values` array. Null skips the cell, '' clears it (as Google
 * documents); RAW stores strings as typed; USER_ENTERED parses numbers, percentages, currency,
 * booleans, dates and formulas the way the Sheets UI does, and a leading apostrophe forces text.
 */
export function enterValue(input: unknown, option: ValueInputOption, path: string): CellWrite {
  if (input === null || input === undefined) return { kind: 'skip' };
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) throw invalidArgument(`Invalid ${path}: number_value is not finite`);
    return { kind: 'set', cell: { value: input, formatted: formatNumber(input) } };
  }
  if (typeof input === 'boolean') return { kind: 'set', cell: { value: input, formatted: input ? 'TRUE' : 'FALSE' } };
  if (typeof input !== 'string') {
    // Google names the protobuf kind it could not store in a cell.
    throw invalidArgument(`Invalid ${path}: ${Array.isArray(input) ? 'list_value' : 'struct_value'}`);
  }
  if (input === '') return { kind: 'clear' };
  if (option === 'RAW') return { kind: 'set', cell: { value: input, formatted: input } };
  return { kind: 'set', cell: userEntered(input) };
}

function userEntered(text: string): Cell {
  if (text.startsWith("'")) return { value: text.slice(1), formatted: text.slice(1) };
  if (text.startsWith('=') && text.length > 1) return { value: text, formatted: text, formula: text };
  const trimmed = text.trim();
  const upper = trimmed.toUpperCase();
  if (upper === 'TRUE' || upper === 'FALSE') return { value: upper === 'TRUE', formatted: upper };
  const plain = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(trimmed) ? Number(trimmed) : undefined;
  if (plain !== undefined && Number.isFinite(plain)) return { value: plain, formatted: formatNumber(plain) };
  const formattedNumber = parseFormattedNumber(trimmed);
  if (formattedNumber !== undefined) return { value: formattedNumber, formatted: trimmed };
  const serial = parseDate(trimmed);
  if (serial !== undefined) return { value: serial, formatted: trimmed };
  return { value: text, formatted: text };
}

/** `1,234.5`, `$20.50`, `-$3`, `50%`: a number that keeps the format it was typed in. */
function parseFormattedNumber(text: string): number | undefined {
  const match = /^([+-]?)(\$?)(\d{1,3}(?:,\d{3})+|\d+)?(\.\d+)?(%?)$/.exec(text);
  if (match === null || (match[3] === undefined && match[4] === undefined)) return undefined;
  const [, sign = '', currency = '', whole = '', fraction = '', percent = ''] = match;
  if (currency === '' && percent === '' && !whole.includes(',')) return undefined;
  if (currency !== '' && percent !== '') return undefined;
  const n = Number(`${sign}${whole.replaceAll(',', '') || '0'}${fraction}`);
  return percent === '' ? n : n / 100;
}

/** Days since 1899-12-30, Google's date serial number, for `2024-01-31` and `1/31/2024` (en_US). */
function parseDate(text: string): number | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  if (y === undefined || m === undefined || d === undefined) return undefined;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const date = new Date(ms);
  if (date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return Math.round((ms - Date.UTC(1899, 11, 30)) / 86_400_000);
}

/** Google's "General" format: up to 15 significant digits, no trailing zeros, `1E+21` for huge ones. */
export function formatNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return String(Number(n.toPrecision(15))).replace('e', 'E');
}

export function renderCell(cell: Cell, option: ValueRenderOption): CellValue {
  if (option === 'FORMATTED_VALUE') return cell.formatted;
  if (option === 'FORMULA' && cell.formula !== undefined) return cell.formula;
  return cell.value;
}

export function readValueInputOption(raw: unknown, field = 'value_input_option'): ValueInputOption | undefined {
  if (raw === undefined || raw === null || raw === '' || raw === 'INPUT_VALUE_OPTION_UNSPECIFIED') return undefined;
  if (typeof raw === 'string' && (VALUE_INPUT_OPTIONS as readonly string[]).includes(raw)) return raw as ValueInputOption;
  throw invalidEnum(field, 'ValueInputOption', String(raw));
}

export function readValueRenderOption(raw: unknown, field = 'value_render_option'): ValueRenderOption {
  if (raw === undefined || raw === null || raw === '') return 'FORMATTED_VALUE';
  if (typeof raw === 'string' && (VALUE_RENDER_OPTIONS as readonly string[]).includes(raw)) return raw as ValueRenderOption;
  throw invalidEnum(field, 'ValueRenderOption', String(raw));
}
