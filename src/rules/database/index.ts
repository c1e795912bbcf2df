import type { Rule } from '../../core/types.js';
import sqlStringBuilt from './sql-string-built.js';
import sqlInjection from './sql-injection.js';
import sqlExcessivePrivilege from './sql-excessive-privilege.js';
import databaseSuperuserAccount from './database-superuser-account.js';
import databaseUrlCredentials from './database-url-credentials.js';

export const rules: Rule[] = [
  sqlStringBuilt,
  sqlInjection,
  sqlExcessivePrivilege,
  databaseSuperuserAccount,
  databaseUrlCredentials,
];
