/**
 * SCIM filter text (RFC 7644 §3.4.2.2): a value is a JSON-style string literal, so a name holding a
 * quote or a backslash cannot end the literal early and add its own terms. The one place the
 * extension quotes a SCIM value (test/fuzz/parsers.test.ts checks the round trip).
 */
export function scimString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `attr eq "value"`. */
export function scimEq(attribute: string, value: string): string {
  return `${attribute} eq ${scimString(value)}`;
}
