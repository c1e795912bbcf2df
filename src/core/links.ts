/**
 * Links every finding carries (the "educate developers" practice): the rule's docs page,
 * its CWE entries and its OWASP Top 10 2021 categories.
 */

/** Where the generated rule pages (docs/rules/<id>.md) are published. */
export const DOCS_BASE_URL = 'https://github.com/pysec-dev/pysec/blob/main/docs/rules/';

export function ruleDocsUrl(ruleId: string, base: string = DOCS_BASE_URL): string {
  return `${base.endsWith('/') ? base : `${base}/`}${ruleId}.md`;
}

export function cweUrl(cwe: string): string {
  const n = /(\d+)/.exec(cwe)?.[1] ?? cwe;
  return `https://cwe.mitre.org/data/definitions/${n}.html`;
}

export const OWASP_2021: Record<string, { title: string; slug: string }> = {
  'A01:2021': { title: 'Broken Access Control', slug: 'A01_2021-Broken_Access_Control' },
  'A02:2021': { title: 'Cryptographic Failures', slug: 'A02_2021-Cryptographic_Failures' },
  'A03:2021': { title: 'Injection', slug: 'A03_2021-Injection' },
  'A04:2021': { title: 'Insecure Design', slug: 'A04_2021-Insecure_Design' },
  'A05:2021': { title: 'Security Misconfiguration', slug: 'A05_2021-Security_Misconfiguration' },
  'A06:2021': { title: 'Vulnerable and Outdated Components', slug: 'A06_2021-Vulnerable_and_Outdated_Components' },
  'A07:2021': { title: 'Identification and Authentication Failures', slug: 'A07_2021-Identification_and_Authentication_Failures' },
  'A08:2021': { title: 'Software and Data Integrity Failures', slug: 'A08_2021-Software_and_Data_Integrity_Failures' },
  'A09:2021': { title: 'Security Logging and Monitoring Failures', slug: 'A09_2021-Security_Logging_and_Monitoring_Failures' },
  'A10:2021': { title: 'Server-Side Request Forgery (SSRF)', slug: 'A10_2021-Server-Side_Request_Forgery_%28SSRF%29' },
};

export function owaspUrl(id: string): string {
  const entry = OWASP_2021[id];
  return entry ? `https://owasp.org/Top10/${entry.slug}/` : 'https://owasp.org/Top10/';
}

export function owaspTitle(id: string): string {
  return OWASP_2021[id]?.title ?? id;
}
