/**
 * Secret redaction for everything written to the output channel.
 * No `vscode` import: unit-tested under test/vscode-free.
 */

/** Patterns that look like credentials whatever their origin. */
const PATTERNS: ReadonlyArray<[RegExp, string]> = [
  // Databricks personal access tokens (dapi + 32 hex, optional -N suffix) and OAuth access tokens handed out by the CLI
  [/\bdapi[0-9a-f]{32}(?:-\d+)?\b/gi, 'dapi***'],
  [/\bdose[0-9a-f]{32}(?:-\d+)?\b/gi, 'dose***'],
  // Authorization headers
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, '$1 ***'],
  // key=value and "key": "value" forms of well-known secret fields
  [
    /(["']?)(token_value|access_token|refresh_token|client_secret|password|personal_access_token|token)\1(\s*[:=]\s*)(["']?)[^"'\s,&}]+\4/gi,
    '$1$2$1$3$4***$4',
  ],
];

export class Redactor {
  private readonly secrets = new Set<string>();

  /** Registers a concrete secret value; every later occurrence is replaced by ***. */
  addSecret(value: string | undefined): void {
    if (value && value.length >= 4) {
      this.secrets.add(value);
    }
  }

  redact(text: string): string {
    let out = text;
    // Longest first so that a secret containing another one is removed whole.
    for (const s of [...this.secrets].sort((a, b) => b.length - a.length)) {
      out = out.split(s).join('***');
    }
    for (const [re, replacement] of PATTERNS) {
      out = out.replace(re, replacement);
    }
    return out;
  }
}
