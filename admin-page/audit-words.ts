/**
 * The words the audit trail shows for each recorded action (`auditActionSchema`); an action
 * this page does not know yet is shown as its code.
 *
 * @packageDocumentation
 */

const ACTION_WORDS: Readonly<Record<string, string>> = {
  'service_account.create': 'Account created',
  'service_account.update': 'Account edited',
  'service_account.datasets.set': 'Data sets replaced',
  'service_account.datasets.grant': 'Data sets added',
  'service_account.datasets.revoke': 'Data sets removed',
  'service_account.disable': 'Account disabled',
  'service_account.enable': 'Account enabled',
  'service_account.delete': 'Account removed',
  'api_key.issue': 'Key generated',
  'api_key.regenerate': 'Key regenerated',
  'api_key.revoke': 'Key revoked',
  'api_key.leak': 'Key reported leaked',
  'api_key.update': 'Key edited',
  'api_key.disable': 'Key disabled',
  'api_key.enable': 'Key enabled',
  'api_key.sweep': 'Key swept (stale-key policy)',
  'api_key.expiry_notice': 'Expiry notice sent',
  'api_key.expired_notice': 'Expired notice sent',
  'api_key.reassign': 'Key reassigned',
  'api_key.refused': 'Key refused',
};

/**
 * The words of an audit action.
 *
 * @example
 * ```ts
 * actionWords('api_key.refused'); // 'Key refused'
 * ```
 */
export function actionWords(action: string): string {
  return ACTION_WORDS[action] ?? action;
}
