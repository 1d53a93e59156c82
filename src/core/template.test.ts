import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findField, isConstant, parseTemplate, renderTemplate, templateFields, type Template, type TemplatePart } from './template.js';

function parsed(source: string): Template {
  const result = parseTemplate(source);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('parseTemplate', () => {
  const cases: Array<[source: string, parts: TemplatePart[]]> = [
    ['{{Email}}', [{ kind: 'field', name: 'Email' }]],
    ['{{ Email }}', [{ kind: 'field', name: 'Email' }]],
    ['{{\tEmail\n}}', [{ kind: 'field', name: 'Email' }]],
    [
      '{{First name}} {{Last name}}',
      [
        { kind: 'field', name: 'First name' },
        { kind: 'text', text: ' ' },
        { kind: 'field', name: 'Last name' },
      ],
    ],
    ['usd', [{ kind: 'text', text: 'usd' }]],
    ['', []],
    [
      'Order {{Order #}}',
      [
        { kind: 'text', text: 'Order ' },
        { kind: 'field', name: 'Order #' },
      ],
    ],
    ['{{customer.email}}', [{ kind: 'field', name: 'customer.email' }]],
    ['{{Прізвище}}', [{ kind: 'field', name: 'Прізвище' }]],
    [
      '{{items.0.sku}}x',
      [
        { kind: 'field', name: 'items.0.sku' },
        { kind: 'text', text: 'x' },
      ],
    ],
    ['\\{{Email}}', [{ kind: 'text', text: '{{Email}}' }]],
    [
      'a \\{{ b {{c}}',
      [
        { kind: 'text', text: 'a {{ b ' },
        { kind: 'field', name: 'c' },
      ],
    ],
    ['50% off } }} {', [{ kind: 'text', text: '50% off } }} {' }]],
    ['C:\\path', [{ kind: 'text', text: 'C:\\path' }]],
    [
      '{{a}}{{b}}',
      [
        { kind: 'field', name: 'a' },
        { kind: 'field', name: 'b' },
      ],
    ],
    ['{{a}b}}', [{ kind: 'field', name: 'a}b' }]],
  ];
  for (const [source, parts] of cases) {
    it(`parses ${JSON.stringify(source)}`, () => assert.deepEqual(parseTemplate(source), { ok: true, value: { source, parts } }));
  }

  const errors: Array<[source: string, error: string]> = [
    ['Hello {{Name', 'the {{ at character 7 is never closed; end the field name with }}, such as {{Email}} (write \\{{ for a literal {{)'],
    ['{{', 'the {{ at character 1 is never closed; end the field name with }}, such as {{Email}} (write \\{{ for a literal {{)'],
    ['{{}}', 'the placeholder {{}} at character 1 is empty; put a source field name inside, such as {{Email}}'],
    ['x {{   }}', 'the placeholder {{   }} at character 3 is empty; put a source field name inside, such as {{Email}}'],
    [
      '{{a {{b}} }}',
      'a {{ at character 5 is inside the placeholder opened at character 1; a placeholder holds one field name, such as {{Email}} (write \\{{ for a literal {{)',
    ],
    [
      '{{a {{b',
      'a {{ at character 5 is inside the placeholder opened at character 1; a placeholder holds one field name, such as {{Email}} (write \\{{ for a literal {{)',
    ],
  ];
  for (const [source, error] of errors) {
    it(`refuses ${JSON.stringify(source)}`, () => assert.deepEqual(parseTemplate(source), { ok: false, error }));
  }
});

describe('templateFields and isConstant', () => {
  const cases: Array<[source: string, fields: string[], constant: boolean]> = [
    ['usd', [], true],
    ['', [], true],
    ['\\{{x}}', [], true],
    ['{{Email}}', ['Email'], false],
    ['{{First name}} {{Last name}} <{{First name}}>', ['First name', 'Last name'], false],
  ];
  for (const [source, fields, constant] of cases) {
    it(JSON.stringify(source), () => {
      const t = parsed(source);
      assert.deepEqual(templateFields(t), fields);
      assert.equal(isConstant(t), constant);
    });
  }
});

describe('renderTemplate', () => {
  const row = {
    Email: 'ann@example.com',
    'First name': 'Ann',
    'Last name': 'Lee',
    'Order #': 'A-17',
    Notes: '',
    'E-mail ': 'loose@example.com',
    'Post  Code': '01001',
    'customer.email': 'nested@example.com',
    Café: 'yes',
  };
  const cases: Array<[source: string, result: ReturnType<typeof renderTemplate>]> = [
    ['{{Email}}', { ok: true, value: 'ann@example.com' }],
    ['{{ Email }}', { ok: true, value: 'ann@example.com' }],
    ['{{First name}} {{Last name}}', { ok: true, value: 'Ann Lee' }],
    ['Order {{Order #}}', { ok: true, value: 'Order A-17' }],
    ['usd', { ok: true, value: 'usd' }],
    ['[{{Notes}}]', { ok: true, value: '[]' }],
    ['{{customer.email}}', { ok: true, value: 'nested@example.com' }],
    ['{{email}}', { ok: true, value: 'ann@example.com' }],
    ['{{e-mail}}', { ok: true, value: 'loose@example.com' }],
    ['{{post code}}', { ok: true, value: '01001' }],
    ['{{FIRST   NAME}}', { ok: true, value: 'Ann' }],
    ['{{Cafe\u0301}}', { ok: true, value: 'yes' }],
    ['{{Phone}} {{Email}} {{Fax}} {{Phone}}', { ok: false, missing: ['Phone', 'Fax'] }],
    ['\\{{Email}} {{Email}}', { ok: true, value: '{{Email}} ann@example.com' }],
  ];
  for (const [source, result] of cases) {
    it(JSON.stringify(source), () => assert.deepEqual(renderTemplate(parsed(source), row), result));
  }

  it('prefers an exact match to a loose one', () => {
    assert.equal(findField({ email: 'loose', Email: 'exact' }, 'Email'), 'exact');
    assert.equal(findField({ email: 'first', EMAIL: 'second' }, 'Email'), 'first');
  });

  it('does not read inherited properties as fields', () => {
    assert.deepEqual(renderTemplate(parsed('{{constructor}}{{__proto__}}'), {}), { ok: false, missing: ['constructor', '__proto__'] });
  });
});
