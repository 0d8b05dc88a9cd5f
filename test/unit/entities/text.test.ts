import { describe, expect, it } from 'vitest';
import { requestContextSchema } from '../../../src/entities/audit-event.js';
import { descriptionSchema, metadataSchema, nameSchema } from '../../../src/entities/text.js';
import { ERROR_CODES, isKeywardError } from '../../../src/errors/index.js';
import { admin, setup } from '../../support/keyward-fixture.js';

/** Code points that forge log lines or spoof a UI, one per class the text fields refuse. */
const REFUSED: readonly [string, string][] = [
  ['U+0000 NUL', '\u0000'],
  ['U+0009 TAB', '\t'],
  ['U+000A LF', '\n'],
  ['U+000D CR', '\r'],
  ['U+001B ESC', '\u001b'],
  ['U+007F DEL', '\u007f'],
  ['U+0085 NEL', '\u0085'],
  ['U+009B CSI', '\u009b'],
  ['U+00AD soft hyphen', '\u00ad'],
  ['U+061C arabic letter mark', '\u061c'],
  ['U+200B zero width space', '\u200b'],
  ['U+200E left-to-right mark', '\u200e'],
  ['U+200F right-to-left mark', '\u200f'],
  ['U+2028 line separator', '\u2028'],
  ['U+2029 paragraph separator', '\u2029'],
  ['U+202A left-to-right embedding', '\u202a'],
  ['U+202E right-to-left override', '\u202e'],
  ['U+2066 left-to-right isolate', '\u2066'],
  ['U+2067 right-to-left isolate', '\u2067'],
  ['U+2068 first strong isolate', '\u2068'],
  ['U+2069 pop directional isolate', '\u2069'],
  ['U+FEFF byte order mark', '\ufeff'],
  ['U+FFF9 interlinear annotation anchor', '\ufff9'],
  ['U+E0001 language tag', '\u{e0001}'],
  ['a lone surrogate', '\ud800'],
];

const PLACES = ['at the start', 'in the middle', 'at the end'] as const;
const place = (where: (typeof PLACES)[number], c: string) =>
  where === 'at the start' ? `${c}etl` : where === 'in the middle' ? `et${c}l` : `etl${c}`;

describe('free-text fields', () => {
  describe.each(REFUSED)('refuse %s', (_name, c) => {
    it.each(PLACES)('in a name, a description, metadata keys and values, %s', (where) => {
      const text = place(where, c);
      expect(nameSchema.safeParse(text).success).toBe(false);
      expect(descriptionSchema.safeParse(text).success).toBe(false);
      expect(metadataSchema.safeParse({ [text]: 'v' }).success).toBe(false);
      expect(metadataSchema.safeParse({ team: text }).success).toBe(false);
    });

    it('in the audit request metadata: ip, userAgent and requestId', () => {
      for (const field of ['ip', 'userAgent', 'requestId']) {
        expect([field, requestContextSchema.safeParse({ [field]: `x${c}y` }).success]).toEqual([
          field,
          false,
        ]);
      }
    });
  });

  it('accept ordinary text in every script, emoji included', () => {
    for (const text of [
      'ETL nightly',
      'Équipe données',
      'データ連携',
      'نقل البيانات',
      'ingest 🚀',
      'a.b-c_d (e)',
    ]) {
      expect(nameSchema.safeParse(text).success).toBe(true);
      expect(descriptionSchema.safeParse(text).success).toBe(true);
      expect(metadataSchema.safeParse({ [text]: text }).success).toBe(true);
    }
    expect(
      requestContextSchema.safeParse({
        ip: '2001:db8::1',
        userAgent: 'curl/8.5.0 (x86_64-pc-linux-gnu) libcurl/8.5.0',
        requestId: 'req_01HZX4',
      }).success,
    ).toBe(true);
  });

  it('still trim ordinary spaces around a name', () => {
    expect(nameSchema.parse('  etl  ')).toBe('etl');
  });

  it('refuse each code point through the management API, naming the field but never the value', async () => {
    const { kw } = setup();
    for (const [name, c] of REFUSED) {
      const inputs: [string, Record<string, unknown>][] = [
        ['name', { name: `et${c}l` }],
        ['description', { name: 'etl', description: `et${c}l` }],
        ['metadata', { name: 'etl', metadata: { team: `da${c}ta` } }],
        ['metadata', { name: 'etl', metadata: { [`te${c}am`]: 'data' } }],
        ['firstKey', { name: 'etl', firstKey: { name: `k${c}1` } }],
      ];
      for (const [field, input] of inputs) {
        const error = await kw.serviceAccounts
          .create(admin, { workspaceId: 'w_sales', roles: ['viewer'], ...input } as never)
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect([name, field, isKeywardError(error, ERROR_CODES.INVALID_INPUT)]).toEqual([name, field, true]);
        if (!isKeywardError(error)) continue;
        expect(error.issues.map((issue) => issue.path[0])).toContain(field);
        expect([name, JSON.stringify(error.toJSON()).includes(c)]).toEqual([name, false]);
        expect([name, error.message.includes(c)]).toEqual([name, false]);
      }
      for (const field of ['ip', 'userAgent', 'requestId']) {
        const error = await kw.serviceAccounts
          .create(
            admin,
            { workspaceId: 'w_sales', name: 'etl', roles: ['viewer'] },
            {
              request: { [field]: `x${c}y` },
            },
          )
          .then(
            () => null,
            (e: unknown) => e,
          );
        expect([name, field, isKeywardError(error, ERROR_CODES.INVALID_INPUT)]).toEqual([name, field, true]);
      }
    }
    const listed = await kw.serviceAccounts.list(admin, {});
    expect(listed.items).toHaveLength(0);
  });
});
