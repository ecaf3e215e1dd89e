// Values that must never become a label: they identify people or are credentials (DESIGN §3).
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const API_KEY_PREFIX = /^(sk|pk|rk|ak|key|api)[-_]/i;
const LONG_HEX = /[0-9a-f]{24,}/i;
const LONG_BASE64 = /[A-Za-z0-9+/_-]{32,}={0,2}/;
const JWT = /^eyJ[\w-]+\.[\w-]+\./;

/** True when a tenant value looks like an e-mail address, an API key, a token or another secret. */
export function looksSensitive(value: string): boolean {
  return (
    EMAIL.test(value) || API_KEY_PREFIX.test(value) || JWT.test(value) || LONG_HEX.test(value) || hasLongMixedRun(value)
  );
}

// A long base64-like run counts only when it mixes letters and digits: long plain words stay allowed.
function hasLongMixedRun(value: string): boolean {
  const m = LONG_BASE64.exec(value);
  return m !== null && /[0-9]/.test(m[0]) && /[A-Za-z]/.test(m[0]);
}
